import FoundationEssentials
import SeedwatchCore

/// Where and how the control API listens, read from the `control.*` keys.
public struct ControlSettings: Sendable {
    public var enabled: Bool
    /// Absolute path of the unix socket bound when systemd hands none over.
    public var socketPath: String
    public var tcp: (host: String, port: Int)?
    public var maxBody: Int
    public var maxConnections: Int
    /// How long a connection may take to send its whole request.
    public var readTimeout: Duration

    public init(_ configuration: Configuration, workingDirectory: String = FileManager.default.currentDirectoryPath) throws(ControlError) {
        enabled = configuration.bool("control.enabled")
        maxBody = configuration.integer("control.max_body")
        maxConnections = configuration.integer("control.max_connections")
        readTimeout = .milliseconds(configuration.integer("control.read_timeout_ms"))
        let state = DaemonSettings(configuration, workingDirectory: workingDirectory).state
        let configured = configuration.string("control.socket")
        if configured.isEmpty {
            socketPath = state + "/control.sock"
        } else {
            let joined = configured.hasPrefix("/") ? configured : workingDirectory + "/" + configured
            socketPath = URL(fileURLWithPath: joined).standardizedFileURL.path
        }
        // sun_path holds 108 bytes including the terminating NUL.
        guard socketPath.utf8.count < 108 else { throw .socketPathTooLong(socketPath) }
        tcp = try Self.loopback(configuration.string("control.tcp"))
    }

    /// Parses `HOST:PORT` and refuses anything but a loopback host: the API has no authentication.
    static func loopback(_ text: String) throws(ControlError) -> (host: String, port: Int)? {
        if text.isEmpty { return nil }
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (1...65535).contains(port) else {
            throw .badTCPAddress(text)
        }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard host == "127.0.0.1" || host == "::1" || host == "localhost" else { throw .badTCPAddress(text) }
        return (host, port)
    }
}

/// Why the control API could not be set up.
public enum ControlError: Error, Sendable, CustomStringConvertible {
    case socketPathTooLong(String)
    case badTCPAddress(String)
    case cannotListen(String, String)
    /// A connection past `control.max_connections` while every open one is being answered.
    case tooManyConnections

    public var description: String {
        switch self {
        case let .socketPathTooLong(path): "bad value for key 'control.socket': the path is too long for a unix socket (over 107 bytes): \(path)"
        case .tooManyConnections: "too many control connections (control.max_connections)"
        case let .cannotListen(address, reason): "cannot listen on control socket \(address): \(reason)"
        case let .badTCPAddress(text): "bad value '\(text)' for key 'control.tcp': expected a loopback address 127.0.0.1:PORT or [::1]:PORT"
        }
    }
}
