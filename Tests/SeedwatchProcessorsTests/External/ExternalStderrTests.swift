import Foundation
import InMemoryLogging
import Logging
import SeedwatchCore
@testable import SeedwatchProcessors
import Testing

@Suite("External processors, stderr")
struct ExternalStderrTests {
    @Test(arguments: [ExternalSettings.Mode.perDocument, .persistent])
    func stderrLinesAreLoggedWithTheProcessorName(mode: ExternalSettings.Mode) async throws {
        let fixture = try PluginFixture()
        defer { fixture.remove() }
        let script = try fixture.script("noisy.py", """
        #!/usr/bin/env python3
        import json, sys
        for line in sys.stdin:
            request = json.loads(line)
            print("working on " + request["document"]["text"], file=sys.stderr, flush=True)
            print(json.dumps({"id": request["id"], "result": 1}), flush=True)
        """)
        let handler = InMemoryLogHandler()
        let processor = makeExternal("noisy", command: script, mode: mode, logger: Logger(label: "test") { _ in handler })
        #expect(await outcome(processor, text: "the stderr check").value == .integer(1))
        // The stderr reader is its own thread: its line may be logged after the answer arrived.
        let logged = await eventually { handler.entries.contains { $0.message.description == "working on the stderr check" } }
        #expect(logged, "logged: \(handler.entries.map(\.message.description))")
        let entry = handler.entries.first { $0.message.description == "working on the stderr check" }
        #expect(entry?.metadata["processor"] == "noisy")
        #expect(entry?.level == .notice)
    }
}
