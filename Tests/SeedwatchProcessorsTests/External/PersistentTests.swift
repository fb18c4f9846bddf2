import Foundation
import SeedwatchCore
import SeedwatchPipeline
@testable import SeedwatchProcessors
import Testing

@Suite("External processors, persistent mode")
struct PersistentTests {
    @Test func keywordExampleAnswersManyDocuments() async throws {
        let processor = makeExternal("keywords", command: [PluginFixture.example("keywords.py")], mode: .persistent)
        let results = await withTaskGroup(of: (Int, Result<JSONValue, ProcessorFailure>).self) { group in
            for index in 0..<12 {
                group.addTask { (index, await outcome(processor, text: "river river stone \(String(repeating: "word\(index) ", count: 3))", name: "d\(index).txt")) }
            }
            var all: [Int: Result<JSONValue, ProcessorFailure>] = [:]
            for await (index, result) in group { all[index] = result }
            return all
        }
        for index in 0..<12 {
            let keywords = results[index]?.value?["keywords"]
            guard case let .array(items)? = keywords else {
                Issue.record("document \(index): \(String(describing: results[index]))")
                continue
            }
            // word<index> (3) and river (2): each answer belongs to its own document.
            #expect(items.first?["word"] == .string("word\(index)"))
            #expect(items.first?["count"] == .integer(3))
        }
    }

    @Test func outOfOrderResponsesAreMatchedById() async throws {
        let fixture = try PluginFixture()
        defer { fixture.remove() }
        // Reads two requests, then answers them last first.
        let script = try fixture.script("reverse.py", """
        #!/usr/bin/env python3
        import json, sys
        while True:
            first = sys.stdin.readline()
            second = sys.stdin.readline()
            if not second:
                break
            for line in (second, first):
                request = json.loads(line)
                print(json.dumps({"id": request["id"], "result": request["document"]["text"]}), flush=True)
        """)
        let processor = makeExternal(command: script, mode: .persistent, concurrency: 2)
        async let first = outcome(processor, text: "first")
        async let second = outcome(processor, text: "second")
        let firstResult = await first
        #expect(firstResult.value == .string("first"), "\(firstResult)")
        #expect(await second.value == .string("second"))
    }

    @Test func unknownIdIsIgnoredAndTheRealAnswerStillCounts() async throws {
        let fixture = try PluginFixture()
        defer { fixture.remove() }
        let script = try fixture.script("stray.py", """
        #!/usr/bin/env python3
        import json, sys
        for line in sys.stdin:
            request = json.loads(line)
            print(json.dumps({"id": "not-a-request", "result": 0}), flush=True)
            print(json.dumps({"id": request["id"], "result": 42}), flush=True)
        """)
        let processor = makeExternal(command: script, mode: .persistent)
        #expect(await outcome(processor).value == .integer(42))
        #expect(await outcome(processor).value == .integer(42))
    }

    @Test func garbageFailsPendingRequestsAndRestarts() async throws {
        let fixture = try PluginFixture()
        defer { fixture.remove() }
        let marker = fixture.path("spawned")
        // The first process writes garbage; the restarted one (marker present) behaves.
        let script = try fixture.script("flaky.py", """
        #!/usr/bin/env python3
        import json, os, sys
        first = not os.path.exists("\(marker)")
        open("\(marker)", "a").write("x\\n")
        for line in sys.stdin:
            request = json.loads(line)
            if first:
                print("garbage", flush=True)
            else:
                print(json.dumps({"id": request["id"], "result": "ok"}), flush=True)
        """)
        let processor = makeExternal(command: script, mode: .persistent, restartBackoffMilliseconds: 10)
        #expect(await outcome(processor).failureCode == "invalid_output")
        #expect(await outcome(processor).value == .string("ok"))
    }

    @Test func oversizedResponseIsOutputTooLarge() async throws {
        let fixture = try PluginFixture()
        defer { fixture.remove() }
        let script = try fixture.script("big.py", """
        #!/usr/bin/env python3
        import sys
        for line in sys.stdin:
            sys.stdout.write("x" * 100000 + "\\n")
            sys.stdout.flush()
        """)
        let processor = makeExternal(command: script, mode: .persistent, maxOutputBytes: 4096)
        #expect(await outcome(processor).failureCode == "output_too_large")
    }

    @Test func crashesAreRestartedWithBackOffThenDisabled() async throws {
        let fixture = try PluginFixture()
        defer { fixture.remove() }
        let starts = fixture.path("starts")
        // Each process records its start time and dies on its first request.
        let script = try fixture.script("dies.sh", "#!/bin/sh\ndate +%s%N >> \(starts)\nread line\nexit 7\n")
        let processor = makeExternal(command: script, mode: .persistent, restartBackoffMilliseconds: 100, maxFailures: 3)
        for _ in 0..<3 {
            let result = await outcome(processor)
            #expect(result.failureCode == "exit_status", "\(result)")
        }
        #expect(await outcome(processor).failureCode == "disabled")
        #expect(await outcome(processor).failureCode == "disabled")
        let times = try String(contentsOfFile: starts, encoding: .utf8).split(separator: "\n").compactMap { Int($0) }
        #expect(times.count == 3, "no start after being disabled")
        if times.count == 3 {
            // Back-off doubles: at least 100 ms, then at least 200 ms between starts.
            #expect(times[1] - times[0] >= 100_000_000)
            #expect(times[2] - times[1] >= 200_000_000)
        }
    }

    @Test func timeoutKillsTheProcessGroupFailsItsOtherRequestsAndRestarts() async throws {
        let fixture = try PluginFixture()
        defer { fixture.remove() }
        let starts = fixture.path("starts"), held = fixture.path("held"), sleeper = fixture.path("sleeper")
        // "hold" is read and never answered; "hang" blocks on a child `sleep`; anything else is
        // answered with the plugin's pid.
        let script = try fixture.script("hangs.py", """
        #!/usr/bin/env python3
        import json, os, subprocess, sys
        open("\(starts)", "a").write("%d\\n" % os.getpid())
        for line in sys.stdin:
            request = json.loads(line)
            text = request["document"]["text"]
            if text == "hold":
                open("\(held)", "w").write("x")
            elif text == "hang":
                child = subprocess.Popen(["sleep", "600"])
                open("\(sleeper).tmp", "w").write("%d\\n" % child.pid)
                os.rename("\(sleeper).tmp", "\(sleeper)")
                child.wait()
            else:
                print(json.dumps({"id": request["id"], "result": os.getpid()}), flush=True)
        """)
        let processor = makeExternal("hangs", command: script, mode: .persistent, restartBackoffMilliseconds: 10)
        let holding = Task { await outcome(processor, text: "hold") }
        #expect(await eventually(within: 120) { FileManager.default.fileExists(atPath: held) }, "the held request is in flight")

        let runner = try ProcessorRunner(entries: [.init(processor: processor, timeout: .seconds(2))])
        let outcomes = await runner.run(.fromText("hang"))
        guard case let .failure(failure)? = outcomes.byName["hangs"] else {
            Issue.record("expected a failure, got \(String(describing: outcomes.byName["hangs"]))")
            return
        }
        #expect(failure.code == "timeout")
        #expect(await value(of: holding)?.failureCode == "killed", "the other request in flight fails with the process")

        let first = try #require(integers(in: starts).first)
        let child = try #require(integers(in: sleeper).first)
        #expect(await eventually { processHasExited(first) }, "the plugin \(first) was killed and reaped")
        #expect(await eventually { processIsGone(child) }, "its child \(child) died with its group")

        let later = await within { await outcome(processor, text: "ping") }
        guard case let .integer(second)? = later?.value else {
            Issue.record("a later request is served: \(String(describing: later))")
            return
        }
        #expect(Int32(second) != first, "by a new process")
        #expect(integers(in: starts) == [first, Int32(second)])
    }

    @Test func timeoutsCountTowardDisabling() async throws {
        let fixture = try PluginFixture()
        defer { fixture.remove() }
        let starts = fixture.path("starts")
        // Reads requests and never answers.
        let script = try fixture.script("silent.sh", "#!/bin/sh\necho $$ >> \(starts)\nwhile read line; do :; done\n")
        let processor = makeExternal("silent", command: script, mode: .persistent, restartBackoffMilliseconds: 10, maxFailures: 1)
        let runner = try ProcessorRunner(entries: [.init(processor: processor, timeout: .milliseconds(300))])
        if case let .failure(failure)? = await runner.run(.fromText("one")).byName["silent"] {
            #expect(failure.code == "timeout")
        } else {
            Issue.record("expected a timeout")
        }
        #expect(await within { await outcome(processor) }?.failureCode == "disabled")
        let pids = integers(in: starts)
        #expect(pids.count == 1, "no start after being disabled")
        #expect(await eventually { pids.allSatisfy(processHasExited) })
    }
}
