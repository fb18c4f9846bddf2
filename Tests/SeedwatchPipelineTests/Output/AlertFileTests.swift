import Foundation
import SeedwatchCore
import SeedwatchPipeline
import Testing

/// What only the file form of the alert log has; ordering and durability are in the state
/// contract tests.
@Suite("AlertFile")
struct AlertFileTests {
    static let alert = RaisedAlert(alertClass: "new_topic", messageID: String(repeating: "b", count: 32), message: "m", fields: [:], record: .object(["n": .integer(1)]))

    @Test("a line cut short by a crash is skipped when read, and the next alert starts on a line of its own")
    func partialLastLine() async throws {
        try await withTemporaryDirectory { folder in
            let log = AlertFile(directory: folder)
            try log.append(Self.alert, time: Date(timeIntervalSince1970: 1_700_000_000))
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log.path))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(#"{"class":"new_topic","cut"#.utf8))
            try handle.close()
            #expect(try log.alerts().count == 1)

            try log.append(Self.alert, time: Date(timeIntervalSince1970: 1_700_000_001))
            let kept = try log.alerts()
            #expect(kept.count == 2)
            #expect(kept.last?["time"] == .string("2023-11-14T22:13:21.000Z"))
            let text = try String(contentsOfFile: log.path, encoding: .utf8)
            #expect(text.split(separator: "\n").count == 3)
        }
    }

    @Test("no file yet: no alerts")
    func missingFile() async throws {
        try await withTemporaryDirectory { folder in
            let kept = try AlertFile(directory: folder).alerts()
            #expect(kept.isEmpty)
        }
    }
}
