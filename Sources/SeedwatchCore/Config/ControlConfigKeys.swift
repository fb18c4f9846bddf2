/// Configuration keys of the control API (kept apart from `DaemonConfigKeys` so the control
/// feature reads as one unit).
public enum ControlConfigKeys {
    public static let all: [ConfigKey] = [
        ConfigKey("control.enabled", .bool, default: .bool(true),
                  help: "serve the control API (status, metrics, submissions) over HTTP/1.1"),
        ConfigKey("control.socket", .path, default: .string(""),
                  help: "unix socket bound when not socket-activated (empty: control.sock in the state folder)"),
        ConfigKey("control.tcp", .string, default: .string(""),
                  help: "also listen on this loopback address, e.g. 127.0.0.1:8081 (empty: off)"),
        ConfigKey("control.max_body", .integer(min: 1, max: 1 << 30), default: .integer(8 << 20),
                  help: "largest request body accepted, in bytes; larger requests get 413"),
        ConfigKey("control.max_connections", .integer(min: 1, max: 65_536), default: .integer(256),
                  help: "connections open at once; past this the oldest one still waiting for its request is closed"),
        ConfigKey("control.read_timeout_ms", .integer(min: 1, max: 3_600_000), default: .integer(10_000),
                  help: "time a connection has to send its whole request (line, headers and body) before it is closed"),
    ]
}
