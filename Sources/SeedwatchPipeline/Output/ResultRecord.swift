import FoundationEssentials
import SeedwatchCore

/// One outbox result: the schema documented in the README (`schema` = `seedwatch.result/1`).
public struct ResultRecord: Encodable, Sendable {
    public static let schemaVersion = "seedwatch.result/1"

    public var schema = Self.schemaVersion
    public var id: String
    /// `processed`, or `duplicate` for content already processed under another name.
    public var status: String
    public var source: Source
    public var encoding: String
    public var format: String
    public var warnings: [String]
    public var arrivedAt: String
    public var completedAt: String
    public var duplicateOf: String?
    public var processors: [String: ProcessorSummary]
    public var results: [String: EncodedOutput]
    public var errors: [String: ErrorEntry]

    public struct Source: Encodable, Sendable {
        public var path: String
        public var relativePath: String
        public var size: Int64
        public var sha256: String
        public var modifiedAt: String

        enum CodingKeys: String, CodingKey {
            case path, size, sha256
            case relativePath = "relative_path"
            case modifiedAt = "modified_at"
        }
    }

    public struct ProcessorSummary: Encodable, Sendable {
        public var status: String
        public var durationMs: Double

        enum CodingKeys: String, CodingKey {
            case status
            case durationMs = "duration_ms"
        }
    }

    public struct ErrorEntry: Encodable, Sendable {
        public var code: String
        public var message: String
    }

    enum CodingKeys: String, CodingKey {
        case schema, id, status, source, encoding, format, warnings, processors, results, errors
        case arrivedAt = "arrived_at"
        case completedAt = "completed_at"
        case duplicateOf = "duplicate_of"
    }

    /// The record for a processed document.
    public init(document: Document, outcomes: ProcessorOutcomes, completedAt: Date) {
        id = document.id
        status = "processed"
        source = Source(document.source)
        encoding = document.encoding.rawValue
        format = document.format.rawValue
        warnings = document.encoding == .latin1 ? ["decoded_as_latin1: the bytes are not valid UTF-8; read as Latin-1"] : []
        arrivedAt = Timestamp.format(document.arrivedAt)
        self.completedAt = Timestamp.format(completedAt)
        processors = [:]
        results = [:]
        errors = [:]
        for (name, result) in outcomes.byName {
            let milliseconds = Double((outcomes.durations[name] ?? .zero).components.attoseconds) / 1e15
                + Double((outcomes.durations[name] ?? .zero).components.seconds) * 1000
            let rounded = (milliseconds * 1000).rounded() / 1000
            switch result {
            case let .success(output):
                results[name] = EncodedOutput(output)
                processors[name] = ProcessorSummary(status: "ok", durationMs: rounded)
            case let .failure(failure):
                errors[name] = ErrorEntry(code: failure.code, message: failure.message)
                processors[name] = ProcessorSummary(status: "error", durationMs: rounded)
            }
        }
    }

    /// The record for content already processed under another name (`ingest.duplicates = skip`).
    public init(duplicate source: SourceFile, id: String, of original: String, originalResult: String?, arrivedAt: Date) {
        self.id = id
        status = "duplicate"
        self.source = Source(source)
        encoding = ""
        format = ""
        warnings = []
        self.arrivedAt = Timestamp.format(arrivedAt)
        completedAt = Timestamp.format(Date())
        duplicateOf = originalResult ?? original
        processors = [:]
        results = [:]
        errors = [:]
    }

    /// One line of JSON with sorted keys: the outbox file and `seedwatch process --json` alike.
    public func encoded() throws -> [UInt8] {
        var bytes = try SortedJSONEncoder.encode(self)
        bytes.append(0x0A)
        return bytes
    }
}

extension ResultRecord.Source {
    init(_ source: SourceFile) {
        self.init(
            path: source.path, relativePath: source.relativePath, size: source.size, sha256: source.sha256,
            modifiedAt: Timestamp.format(source.modified)
        )
    }
}

/// Type-erased processor output, so results of different types share one dictionary.
public struct EncodedOutput: Encodable, Sendable {
    public let output: any ProcessorOutput

    public init(_ output: any ProcessorOutput) {
        self.output = output
    }

    public func encode(to encoder: any Encoder) throws {
        try output.encode(to: encoder)
    }
}
