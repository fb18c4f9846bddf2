/// Configuration keys of the state database and of the node in a cluster (kept apart from
/// `DaemonConfigKeys` so the feature reads as one unit). All need a restart.
public enum DatabaseConfigKeys {
    public static let all: [ConfigKey] = [
        ConfigKey("database.url", .string, default: .string(""),
                  help: "empty: the SQLite database in the state folder; postgres://USER@HOST:PORT/DB (or postgresql://): all state in PostgreSQL"),
        ConfigKey("database.password_file", .path, default: .string(""),
                  help: "file holding the PostgreSQL password (empty: $CREDENTIALS_DIRECTORY/database-password when present); never put it in the URL"),
        ConfigKey("node.name", .string, default: .string(""),
                  help: "this daemon's name in a cluster, unique among its nodes (empty: the host name)"),
        ConfigKey("cluster.lease_ms", .integer(min: 100, max: 3_600_000), default: .integer(5000),
                  help: "how long a node's claims and leadership last without renewal"),
    ]
}
