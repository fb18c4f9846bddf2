import Glibc

/// A failed system call, with the errno and the path it concerned.
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

    public var description: String {
        let reason = String(cString: strerror(code))
        if let path { return "\(operation) \(path): \(reason) (errno \(code))" }
        return "\(operation): \(reason) (errno \(code))"
    }
}
