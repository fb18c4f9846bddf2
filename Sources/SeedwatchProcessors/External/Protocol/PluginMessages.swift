import FoundationEssentials
import SeedwatchCore

/// The JSON-lines protocol spoken with plugins (docs/PLUGINS.md).
enum PluginMessages {
    static let version = 1

    /// One request line, newline-terminated, keys sorted.
    static func request(id: String, input: ProcessorInput, includeResults: [String]) -> [UInt8] {
        let document = input.document
        let text = input.output(of: "text", as: TextResult.self)?.analysis.text ?? document.text
        var results: [String: JSONValue] = [:]
        for name in includeResults {
            guard let output = input.upstream[name], let value = try? jsonValue(of: output) else { continue }
            results[name] = value
        }
        var fields: [String: JSONValue] = [
            "id": .string(document.id), "path": .string(document.source.path),
            "sha256": .string(document.source.sha256), "text": .string(text),
        ]
        if !results.isEmpty { fields["results"] = .object(results) }
        let message: JSONValue = .object(["protocol": .integer(version), "id": .string(id), "document": .object(fields)])
        let bytes = (try? SortedJSONEncoder.encode(message)) ?? Array(#"{"protocol":1}"#.utf8)
        return bytes + [UInt8(ascii: "\n")]
    }

    private static func jsonValue(of output: any ProcessorOutput) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(SortedJSONEncoder.encode(output)))
    }

    /// A parsed response line.
    enum Response: Sendable {
        case result(id: String, JSONValue)
        case error(id: String, ProcessorFailure)
        /// Not JSON, not an object, or without a string `id`, or with neither `result` nor `error`.
        case invalid(id: String?, reason: String)
    }

    static func parse(_ line: [UInt8]) -> Response {
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(line)) else {
            return .invalid(id: nil, reason: "not JSON: \(preview(line))")
        }
        guard case let .object(members) = value else { return .invalid(id: nil, reason: "not a JSON object: \(preview(line))") }
        guard let id = members["id"]?.stringValue else { return .invalid(id: nil, reason: "response without a string id") }
        if let result = members["result"] { return .result(id: id, result) }
        if let error = members["error"] {
            let code = error["code"]?.stringValue ?? "plugin_error"
            let message = error["message"]?.stringValue ?? "the plugin reported an error"
            return .error(id: id, ProcessorFailure(code: code, message: message))
        }
        return .invalid(id: id, reason: "response with neither result nor error")
    }

    static func preview(_ line: [UInt8]) -> String {
        let text = String(decoding: line.prefix(120), as: UTF8.self)
        return line.count > 120 ? text + "…" : text
    }
}
