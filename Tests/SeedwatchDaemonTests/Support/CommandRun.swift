import Foundation
import Glibc
import SeedwatchCore

/// Runs `seedwatch` as a one-shot command with bytes on its standard input and, when asked, a
/// pseudo-terminal as its standard error (what a person at a terminal gives it).
enum CommandRun {
    struct Output: Sendable {
        var status: Int32
        var out: String
        /// Standard error: the pipe's bytes, or everything written to the terminal.
        var err: String
    }

    static func run(_ arguments: [String], input: [UInt8] = [], terminal: Bool = false, timeout: Double = 60) async throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: DaemonHarness.binary)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("SEEDWATCH_") }
        let stdin = Pipe(), out = Pipe(), errPipe = Pipe()
        process.standardInput = stdin
        process.standardOutput = out
        var terminalFDs: (primary: Int32, secondary: Int32)?
        if terminal {
            let pair = try openTerminal()
            terminalFDs = pair
            process.standardError = FileHandle(fileDescriptor: pair.secondary, closeOnDealloc: false)
        } else {
            process.standardError = errPipe
        }
        try process.run()
        if let terminalFDs { close(terminalFDs.secondary) }
        let pid = process.processIdentifier
        let readErr: @Sendable () -> Data = { [terminalFDs] in
            guard let terminalFDs else { return errPipe.fileHandleForReading.readDataToEndOfFile() }
            return readTerminal(terminalFDs.primary)
        }
        do {
            return try await within(timeout, "seedwatch \(arguments.joined(separator: " "))") {
                await withCheckedContinuation { continuation in
                    Thread {
                        Thread { try? stdin.fileHandleForWriting.write(contentsOf: Data(input)); try? stdin.fileHandleForWriting.close() }.start()
                        let errData = Locked(Data())
                        let errRead = DispatchSemaphore(value: 0)
                        Thread {
                            errData.withLock { $0 = readErr() }
                            errRead.signal()
                        }.start()
                        let outData = out.fileHandleForReading.readDataToEndOfFile()
                        process.waitUntilExit()
                        errRead.wait()
                        continuation.resume(returning: Output(
                            status: process.terminationStatus, out: String(decoding: outData, as: UTF8.self),
                            err: String(decoding: errData.withLock { $0 }, as: UTF8.self)
                        ))
                    }.start()
                }
            }
        } catch {
            kill(pid, SIGKILL)
            throw error
        }
    }

    /// A pseudo-terminal pair: the primary side for the test, the secondary for the child.
    /// `posix_openpt`, `unlockpt` and `ptsname` are hidden from Swift by glibc's feature macros,
    /// so this is what they do: open /dev/ptmx, unlock (TIOCSPTLCK), read the number (TIOCGPTN);
    /// the two request numbers are asm-generic's, as on x86-64 and arm64, whose macros do not import.
    private static func openTerminal() throws -> (primary: Int32, secondary: Int32) {
        let primary = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard primary >= 0 else { throw POSIXError(.ENODEV) }
        var unlock: Int32 = 0
        var number: UInt32 = 0
        guard ioctl(primary, 0x4004_5431, &unlock) == 0, ioctl(primary, 0x8004_5430, &number) == 0 else {
            close(primary)
            throw POSIXError(.EIO)
        }
        let secondary = open("/dev/pts/\(number)", O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard secondary >= 0, isatty(secondary) == 1 else {
            close(primary)
            throw POSIXError(.EIO)
        }
        return (primary, secondary)
    }

    /// Everything the child wrote to the terminal: read until EIO, which Linux returns once no
    /// process holds the secondary side open any more.
    private static func readTerminal(_ primary: Int32) -> Data {
        defer { close(primary) }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(primary, $0.baseAddress, $0.count) }
            if count > 0 {
                data.append(contentsOf: buffer[..<count])
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                return data
            }
        }
    }
}
