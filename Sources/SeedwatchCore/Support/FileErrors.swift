import FoundationEssentials
import Glibc

/// What a failed file-system call of FoundationEssentials (`Data(contentsOf:)`, `FileManager`) says,
/// in the system's words: its errors wrap the errno as an underlying `POSIXError`.
public enum FileErrors {
    /// The errno behind `error`, if it carries one.
    public static func code(of error: any Error) -> Int32? {
        if let posix = error as? POSIXError { return posix.code.rawValue }
        if let cocoa = error as? CocoaError, let posix = cocoa.underlying as? POSIXError { return posix.code.rawValue }
        return nil
    }

    /// `strerror` of the errno behind `error` ("No such file or directory"), else its description.
    public static func describe(_ error: any Error) -> String {
        guard let code = code(of: error) else { return String(describing: error) }
        return String(cString: strerror(code))
    }
}
