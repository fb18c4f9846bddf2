import Foundation
import SeedwatchCore
import Testing
@testable import SeedwatchPipeline

/// A processor output with awkward values: nested objects, non-finite numbers, text to escape.
private struct Awkward: ProcessorOutput {
    var ratio = Double.infinity
    var nested = ["path": "a/b", "quote": "\"q\""]
    var count = 3
}

@Suite("ResultRecord, OutboxWriter and QuarantineWriter")
struct OutputRecordTests {
    private func parse(_ bytes: [UInt8]) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(bytes))
    }

    private func parseFile(_ path: String) throws -> JSONValue {
        try parse([UInt8](Data(contentsOf: URL(fileURLWithPath: path))))
    }

    private func outcomes(for document: Document) async throws -> ProcessorOutcomes {
        let runner = try ProcessorRunner(entries: [
            .init(processor: MakeText("echo") { $0.document.text }, timeout: .seconds(10)),
            .init(processor: MakeText("broken") { _ in throw ProcessorFailure(code: "bad_input", message: "nothing to do") },
                  timeout: .seconds(10)),
            .init(processor: AwkwardProcessor(), timeout: .seconds(10)),
        ])
        return await runner.run(document)
    }

    private struct AwkwardProcessor: Processor {
        let name = "awkward"
        func process(_ input: ProcessorInput) async throws -> any ProcessorOutput { Awkward() }
    }

    private func document(_ text: String = "Hello there.", name: String = "in/note.txt") -> Document {
        var document = Document.fromText(text, name: name, sequence: 4)
        document.source.path = "/srv/seeds/" + name
        document.source.modified = Date(timeIntervalSince1970: 1_700_000_000)
        document.arrivedAt = Date(timeIntervalSince1970: 1_700_000_001.5)
        return document
    }

    @Test("a result record encodes schema, id, status, source, results and errors with code and message")
    func resultRecordFields() async throws {
        let document = document()
        let record = ResultRecord(document: document, outcomes: try await outcomes(for: document), completedAt: Date(timeIntervalSince1970: 1_700_000_002))
        let bytes = try record.encoded()
        #expect(bytes.last == 0x0A)
        #expect(!bytes.dropLast().contains(0x0A), "one line")
        let json = try parse(bytes)
        #expect(json["schema"] == .string("seedwatch.result/1"))
        #expect(json["id"] == .string(document.id))
        #expect(json["status"] == .string("processed"))
        #expect(json["source"]?["path"] == .string("/srv/seeds/in/note.txt"))
        #expect(json["source"]?["relative_path"] == .string("in/note.txt"))
        #expect(json["source"]?["size"] == .integer(12))
        #expect(json["source"]?["sha256"] == .string(SHA256.hex(of: Array("Hello there.".utf8))))
        #expect(json["source"]?["modified_at"] == .string("2023-11-14T22:13:20.000Z"))
        #expect(json["arrived_at"] == .string("2023-11-14T22:13:21.500Z"))
        #expect(json["completed_at"] == .string("2023-11-14T22:13:22.000Z"))
        #expect(json["encoding"] == .string("utf-8"))
        #expect(json["format"] == .string("plain"))
        #expect(json["warnings"] == .array([]))
        #expect(json["results"]?["echo"]?["text"] == .string("Hello there."))
        #expect(json["results"]?["awkward"]?["ratio"] == .string("inf"))
        #expect(json["results"]?["awkward"]?["nested"]?["path"] == .string("a/b"))
        #expect(json["results"]?["broken"] == nil)
        #expect(json["errors"]?["broken"] == .object(["code": .string("bad_input"), "message": .string("nothing to do")]))
        #expect(json["errors"]?["echo"] == nil)
        #expect(json["processors"]?["echo"]?["status"] == .string("ok"))
        #expect(json["processors"]?["broken"]?["status"] == .string("error"))
        let duration = json["processors"]?["echo"]?["duration_ms"]
        #expect(duration.map { if case .number = $0 { true } else if case .integer = $0 { true } else { false } } == true)
    }

    @Test("a Latin-1 document carries a warning")
    func latin1Warning() async throws {
        var document = document()
        document.encoding = .latin1
        let json = try parse(try ResultRecord(document: document, outcomes: ProcessorOutcomes(), completedAt: Date()).encoded())
        #expect(json["encoding"] == .string("latin-1"))
        guard case let .array(warnings)? = json["warnings"] else {
            Issue.record("no warnings array")
            return
        }
        #expect(warnings.count == 1)
        #expect(warnings.first?.stringValue?.hasPrefix("decoded_as_latin1") == true)
    }

    @Test("a duplicate record names the original")
    func duplicateRecord() throws {
        let source = SourceFile(path: "/w/copy.txt", relativePath: "copy.txt", size: 3, modified: Date(), sha256: "abc")
        let record = ResultRecord(duplicate: source, id: "copy.abc", of: "first.txt", originalResult: "first.abcdef12", arrivedAt: Date())
        let json = try parse(try record.encoded())
        #expect(json["status"] == .string("duplicate"))
        #expect(json["duplicate_of"] == .string("first.abcdef12"))
        #expect(json["results"] == .object([:]))
        #expect(json["errors"] == .object([:]))
        let fallback = ResultRecord(duplicate: source, id: "copy.abc", of: "first.txt", originalResult: nil, arrivedAt: Date())
        #expect(try parse(try fallback.encoded())["duplicate_of"] == .string("first.txt"))
    }

    @Test("the outbox writer writes <id>.json atomically; exists and remove follow it")
    func outboxWriter() async throws {
        try await withTemporaryDirectory { folder in
            let outbox = folder + "/outbox"
            let writer = try OutboxWriter(directory: outbox)
            let document = document()
            try writer.write(ResultRecord(document: document, outcomes: try await outcomes(for: document), completedAt: Date()))
            #expect(try FileManager.default.contentsOfDirectory(atPath: outbox) == [document.id + ".json"])
            let json = try parseFile(outbox + "/" + OutboxWriter.fileName(id: document.id))
            #expect(json["id"] == .string(document.id))
            #expect(json["errors"]?["broken"]?["code"] == .string("bad_input"))
            #expect(writer.exists(id: document.id))
            writer.remove(id: document.id)
            #expect(!writer.exists(id: document.id))
        }
    }

    @Test("opening the outbox removes leftovers of an interrupted write")
    func outboxRemovesLeftovers() async throws {
        try await withTemporaryDirectory { folder in
            try Data("partial".utf8).write(to: URL(fileURLWithPath: folder + "/.tmp-1-2-x.json"))
            try Data("{}".utf8).write(to: URL(fileURLWithPath: folder + "/kept.json"))
            _ = try OutboxWriter(directory: folder)
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["kept.json"])
        }
    }

    @Test("the quarantine writer writes <name>.error.json with code, message, advice, path and time")
    func quarantineWriter() async throws {
        try await withTemporaryDirectory { folder in
            let quarantine = folder + "/quarantine"
            let writer = try QuarantineWriter(directory: quarantine)
            let time = Date(timeIntervalSince1970: 1_700_000_000.25)
            try writer.write(.init(
                code: .binary, message: "NUL byte at offset 3", path: "/w/sub/photo.jpg", relativePath: "sub/photo.jpg",
                size: 2048, sha256: "feed", time: time
            ))
            let name = "sub%2Fphoto.jpg.error.json"
            #expect(try FileManager.default.contentsOfDirectory(atPath: quarantine) == [name])
            let json = try parseFile(quarantine + "/" + name)
            #expect(json["schema"] == .string("seedwatch.quarantine/1"))
            #expect(json["code"] == .string("binary"))
            #expect(json["message"] == .string("NUL byte at offset 3"))
            #expect(json["advice"] == .string(QuarantineCode.binary.advice))
            #expect(json["path"] == .string("/w/sub/photo.jpg"))
            #expect(json["relative_path"] == .string("sub/photo.jpg"))
            #expect(json["size"] == .integer(2048))
            #expect(json["sha256"] == .string("feed"))
            #expect(json["time"] == .string("2023-11-14T22:13:20.250Z"))
            #expect(json["time"]?.stringValue.flatMap(Timestamp.parse) == time)

            writer.clear(relativePath: "sub/photo.jpg")
            #expect(try FileManager.default.contentsOfDirectory(atPath: quarantine) == [])
        }
    }

    @Test("every quarantine code writes a parseable record, size and hash optional")
    func everyQuarantineCode() async throws {
        try await withTemporaryDirectory { folder in
            let writer = try QuarantineWriter(directory: folder)
            for code in QuarantineCode.allCases {
                try writer.write(.init(code: code, message: "m", path: "/w/\(code.rawValue)", relativePath: code.rawValue,
                                       size: nil, sha256: nil, time: Date()))
                let json = try parseFile(folder + "/" + ResultNaming.quarantineName(relativePath: code.rawValue))
                #expect(json["code"] == .string(code.rawValue))
                #expect(json["advice"]?.stringValue?.isEmpty == false)
                #expect(json["size"] == nil || json["size"] == .null)
            }
        }
    }
}
