#if canImport(Glibc)
import Glibc
#endif
import SeedwatchCore

/// Why an external processor could not give a result; each becomes a `ProcessorFailure` code.
enum ExternalError: Error, Sendable, CustomStringConvertible {
    case spawn(command: [String], errno: Int32)

    var description: String {
        switch self {
        case let .spawn(command, code):
            "cannot start \(command.joined(separator: " ")): \(String(cString: strerror(code)))"
        }
    }

    static func failure(_ code: String, _ message: String) -> ProcessorFailure {
        ProcessorFailure(code: code, message: message)
    }

    /// The failure for a child that ended before answering.
    static func ended(_ status: ExitStatus) -> ProcessorFailure {
        switch status {
        case .exited(0): failure("invalid_output", "the plugin exited without answering")
        case .exited: failure("exit_status", "the plugin \(status)")
        case .signalled: failure("crashed", "the plugin was \(status)")
        }
    }
}
