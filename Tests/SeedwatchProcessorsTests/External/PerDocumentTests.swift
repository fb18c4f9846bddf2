#if canImport(Glibc)
import Glibc
#endif
import Foundation
import SeedwatchCore
import SeedwatchPipeline
@testable import SeedwatchProcessors
import SeedwatchTestSupport
import Testing

@Suite("External processors, per-document mode")
struct PerDocumentTests {
    @Test func wordCounterExampleAnswers() async throws {
        let processor = makeExternal("wc", command: [PluginFixture.example("wordcount.sh")])
        let result = await outcome(processor, text: "Hello big\nworld, \"quoted\" here.")
        #expect(result.value == .object(["words": .integer(5)]))
    }

    @Test func requestCarriesProtocolDocumentAndUniqueId() async throws {
        let fixture = try PluginFixture()
        defer { fixture.remove() }
        // Echoes the request back as its result, with `id` answered correctly.
        let script = try fixture.script("echo.py", """
        #!/usr/bin/env python3
        import json, sys
        request = json.loads(sys.stdin.readline())
        print(json.dumps({"id": request["id"], "result": request}))
        """)
        let processor = makeExternal(command: script)
        let result = try #require(await outcome(processor, text: "some text", name: "b.txt").value)
        #expect(result["protocol"] == .integer(1))
        #expect(result["document"]?["text"] == .string("some text"))
        #expect(result["document"]?["path"] == .string("b.txt"))
        #expect(result["document"]?["sha256"]?.stringValue?.count == 64)
        let first = result["id"]?.stringValue
        let second = try #require(await outcome(processor, text: "some text", name: "b.txt").value)["id"]?.stringValue
        #expect(first != nil && first != second)
    }

    /// A plugin holding a copy of another process's pipe or socket would keep that end open
    /// (a sibling plugin never sees end of input; a parent never sees its child's exit).
    @Test func pluginInheritsOnlyItsStandardStreams() async throws {
        let fixture = try PluginFixture()
        defer { fixture.remove() }
        // A descriptor this test process holds without close-on-exec, as a careless library might.
        let leaked = open("/dev/null", O_RDONLY)
        try #require(leaked >= 0)
        defer { close(leaked) }
        let script = try fixture.script("fds.py", """
        #!/usr/bin/env python3
        import json, os, sys
        request = json.loads(sys.stdin.readline())
        fds = sorted(int(fd) for fd in os.listdir("/proc/self/fd") if os.path.exists("/proc/self/fd/" + fd))
        print(json.dumps({"id": request["id"], "result": {"fds": fds}}))
        """)
        let result = try #require(await outcome(makeExternal(command: script)).value)
        #expect(result["fds"] == .array([.integer(0), .integer(1), .integer(2)]))
    }

    @Test func pluginErrorBecomesItsCode() async throws {
        let fixture = try PluginFixture()
        defer { fixture.remove() }
        let script = try fixture.script("err.py", """
        #!/usr/bin/env python3
        import json, sys
        request = json.loads(sys.stdin.readline())
        print(json.dumps({"id": request["id"], "error": {"code": "too_short", "message": "need more"}}))
        """)
        let result = await outcome(makeExternal(command: script))
        #expect(result.failureCode == "too_short")
    }

    @Test func crashIsCrashed() async throws {
        let fixture = try PluginFixture()
        defer { fixture.remove() }
        let script = try fixture.script("crash.sh", "#!/bin/sh\nkill -SEGV $$\n")
        #expect(await outcome(makeExternal(command: script)).failureCode == "crashed")
    }

    @Test func nonZeroExitIsExitStatus() async throws {
        let fixture = try PluginFixture()
        defer { fixture.remove() }
        let script = try fixture.script("exit.sh", "#!/bin/sh\ncat >/dev/null\necho 'oops' >&2\nexit 3\n")
        let result = await outcome(makeExternal(command: script))
        #expect(result.failureCode == "exit_status")
    }

    @Test func garbageIsInvalidOutput() async throws {
        let fixture = try PluginFixture()
        defer { fixture.remove() }
        let script = try fixture.script("garbage.sh", "#!/bin/sh\ncat >/dev/null\necho 'this is not json'\n")
        #expect(await outcome(makeExternal(command: script)).failureCode == "invalid_output")
    }

    @Test func missingOrUnknownIdIsInvalidOutput() async throws {
        let fixture = try PluginFixture()
        defer { fixture.remove() }
        let missing = try fixture.script("noid.sh", "#!/bin/sh\ncat >/dev/null\necho '{\"result\": 1}'\n")
        let unknown = try fixture.script("unknown.sh", "#!/bin/sh\ncat >/dev/null\necho '{\"id\": \"nope\", \"result\": 1}'\n")
        #expect(await outcome(makeExternal(command: missing)).failureCode == "invalid_output")
        #expect(await outcome(makeExternal(command: unknown)).failureCode == "invalid_output")
    }

    @Test func oversizedOutputIsOutputTooLarge() async throws {
        let fixture = try PluginFixture()
        defer { fixture.remove() }
        // Endless output without a newline: must be cut at the limit, not buffered.
        let script = try fixture.script("big.sh", "#!/bin/sh\ncat >/dev/null\nyes x | tr -d '\\n'\n")
        #expect(await outcome(makeExternal(command: script, maxOutputBytes: 4096)).failureCode == "output_too_large")
    }

    @Test func missingProgramFails() async throws {
        let result = await outcome(makeExternal(command: ["/nonexistent/seedwatch-plugin"]))
        #expect(result.failureCode == "crashed")
    }

    @Test func timeoutKillsTheProcessGroup() async throws {
        let fixture = try PluginFixture()
        defer { fixture.remove() }
        let pids = fixture.path("pids")
        // The plugin starts a grandchild and both hang; the timeout must kill both.
        let script = try fixture.script("hang.sh", "#!/bin/sh\nsleep 300 &\necho $! > \(pids).tmp\necho $$ >> \(pids).tmp\nmv \(pids).tmp \(pids)\nwait\n")
        // A limit long enough for the script to record both pids on a loaded machine.
        let runner = try ProcessorRunner(entries: [.init(processor: makeExternal("hang", command: script), timeout: .seconds(1))])
        let outcomes = await runner.run(.fromText("text"))
        guard case let .failure(failure)? = outcomes.byName["hang"] else {
            Issue.record("expected a failure")
            return
        }
        #expect(failure.code == "timeout")
        let started = integers(in: pids)
        #expect(started.count == 2, "the plugin and its child `sleep`")
        // The child is reparented when the plugin dies and may stay a zombie: processIsGone counts that as gone.
        #expect(await eventually { started.allSatisfy(processIsGone) })
        if let plugin = started.last { #expect(await eventually { processHasExited(plugin) }, "the plugin is killed and reaped") }
    }

    /// A plugin that answers and exits, leaving a child that holds its standard output open: its
    /// answer counts as soon as it exits (not when the child would end), and the child is killed
    /// with the plugin's process group.
    @Test func answerCountsAtExitAndALeftBehindChildIsKilled() async throws {
        let fixture = try PluginFixture()
        defer { fixture.remove() }
        let pids = fixture.path("pids")
        let script = try fixture.script("leave.sh", """
        #!/bin/sh
        read -r request
        id=$(printf '%s' "$request" | sed 's/.*"id":"\\([^"]*\\)".*/\\1/')
        sleep 300 &
        echo $! > \(pids)
        printf '{"id":"%s","result":{"ok":true}}\\n' "$id"
        exit 0
        """)
        let result = await within(60) { await outcome(makeExternal(command: script)) }
        #expect(result?.value == .object(["ok": .bool(true)]), "answered within 60 s, not after the child's 300 s")
        let child = integers(in: pids)
        #expect(child.count == 1)
        #expect(await eventually { child.allSatisfy(processIsGone) }, "the left-behind child is killed")
    }

    @Test func slowPluginDoesNotDelayOtherProcessors() async throws {
        let fixture = try PluginFixture()
        defer { fixture.remove() }
        let script = try fixture.script("slow.sh", "#!/bin/sh\nexec sleep 600\n")
        let runner = try ProcessorRunner(entries: [
            .init(processor: makeExternal("slow", command: script), timeout: .milliseconds(400)),
            .init(processor: StatsProcessor(), timeout: .seconds(10)),
            .init(processor: makeExternal("wc", command: [PluginFixture.example("wordcount.sh")]), timeout: .seconds(10)),
        ])
        let clock = ContinuousClock()
        let start = clock.now
        let outcomes = await runner.run(.fromText("three small words"))
        let elapsed = clock.now - start
        // The plugin would take 600 s; the run ends at its 400 ms timeout. The bound is loose, a
        // fifth of the plugin's time, because the whole suite shares two cores with CPU-heavy tests.
        #expect(elapsed < .seconds(TestTime.seconds(120)), "the whole run waits only for the slow plugin's own timeout")
        if case let .failure(failure)? = outcomes.byName["slow"] { #expect(failure.code == "timeout") } else { Issue.record("slow did not time out") }
        if case .success? = outcomes.byName["stats"] {} else { Issue.record("stats failed") }
        if case let .success(value)? = outcomes.byName["wc"] { #expect((value as? JSONValue)?["words"] == .integer(3)) } else { Issue.record("wc failed") }
    }
}
