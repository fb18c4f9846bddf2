import FoundationEssentials
import Glibc

/// A failed system call, with the errno, the operation and the path it concerned: the one error
/// type of every POSIX edge (reads, writes, pipes, folders).
public struct SystemError: Error, Sendable, Equatable, CustomStringConvertible {
    public var operation: String
    public var path: String?
    public var code: Int32

    /// Captures the current `errno`.
    public init(operation: String, path: String?) {
        self.init(operation: operation, path: path, code: errno)
    }

    public init(operation: String, path: String?, code: Int32) {
        self.operation = operation
        self.path = path
        self.code = code
    }

    /// A failed call of FoundationEssentials (`FileManager`, `Data(contentsOf:)`), by the errno it
    /// wraps (EIO when it wraps none).
    public init(operation: String, path: String?, wrapping error: any Error) {
        self.init(operation: operation, path: path, code: Self.code(of: error) ?? EIO)
    }

    /// A full disk or quota: worth retrying later.
    public var isNoSpace: Bool { code == ENOSPC || code == EDQUOT }

    public var description: String {
        let reason = String(cString: strerror(code))
        if let path { return "\(operation) \(path): \(reason) (errno \(code))" }
        return "\(operation): \(reason) (errno \(code))"
    }

    /// The errno behind an error of FoundationEssentials' file calls, which wrap it as an
    /// underlying `POSIXError`, if it carries one.
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
