/// The tables the daemon keeps in PostgreSQL, created and migrated by the daemon itself. Each
/// migration runs once, in order, in one transaction with the row that records it in
/// `schema_version`; the whole migration holds a transaction-level advisory lock, so daemons
/// starting together wait for each other instead of racing (two `CREATE TABLE IF NOT EXISTS`
/// at once can both fail on the catalogue's unique index).
public enum PostgresSchema {
    /// `pg_advisory_xact_lock`'s key for migrations: "seed" and 1 in hex, any fixed number would do.
    static let migrationLock: Int64 = 0x5EED_0001

    /// Text columns compare bytes (`COLLATE "C"`): two names that differ only in Unicode
    /// normalisation are two files, and the order of paths is the same as SQLite's.
    static let migrations: [[String]] = [
        // 1: the ledger, processor state, alerts and the dashboard's index.
        [
            """
            CREATE TABLE files(
                path TEXT COLLATE "C" PRIMARY KEY,
                size BIGINT NOT NULL,
                mtime_ns BIGINT NOT NULL,
                sha256 TEXT COLLATE "C" NOT NULL,
                status TEXT NOT NULL,
                duplicate_of TEXT COLLATE "C",
                result_id TEXT,
                code TEXT,
                updated_at_ms BIGINT NOT NULL
            )
            """,
            "CREATE INDEX files_by_sha256 ON files(sha256, status)",
            """
            CREATE TABLE processor_state(
                namespace TEXT COLLATE "C" NOT NULL,
                key TEXT COLLATE "C" NOT NULL,
                value BYTEA NOT NULL,
                PRIMARY KEY(namespace, key)
            )
            """,
            """
            CREATE TABLE alerts(
                sequence BIGSERIAL PRIMARY KEY,
                identity BYTEA UNIQUE,
                line TEXT NOT NULL
            )
            """,
            "CREATE SEQUENCE dashboard_documents_sequence",
            """
            CREATE TABLE dashboard_documents(
                sequence BIGINT NOT NULL DEFAULT nextval('dashboard_documents_sequence') UNIQUE,
                id TEXT COLLATE "C" PRIMARY KEY,
                path TEXT NOT NULL,
                title TEXT,
                topic TEXT COLLATE "C",
                topic_label TEXT,
                alerts TEXT NOT NULL,
                time_ms BIGINT NOT NULL
            )
            """,
            "CREATE INDEX dashboard_documents_by_time ON dashboard_documents(time_ms)",
            "CREATE INDEX dashboard_documents_by_topic ON dashboard_documents(topic, time_ms)",
            """
            CREATE TABLE dashboard_alerts(
                sequence BIGSERIAL PRIMARY KEY,
                class TEXT NOT NULL,
                topic TEXT NOT NULL,
                topic_label TEXT NOT NULL,
                document_id TEXT NOT NULL,
                document_path TEXT NOT NULL,
                time_ms BIGINT NOT NULL
            )
            """,
        ],
        // 2: cluster membership, the leader's lease and term, the node that raised each alert.
        [
            """
            CREATE TABLE nodes(
                name TEXT COLLATE "C" PRIMARY KEY,
                pid BIGINT NOT NULL,
                started_at TIMESTAMPTZ NOT NULL,
                heartbeat_at TIMESTAMPTZ NOT NULL,
                queue BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE leader(
                id INTEGER PRIMARY KEY CHECK (id = 1),
                term BIGINT NOT NULL,
                node TEXT COLLATE "C" NOT NULL,
                lease_until TIMESTAMPTZ NOT NULL
            )
            """,
            "ALTER TABLE alerts ADD COLUMN node TEXT",
        ],
        // 3: each result's bytes, so any node answers for a result another node wrote.
        [
            """
            CREATE TABLE results(
                id TEXT COLLATE "C" PRIMARY KEY,
                body BYTEA NOT NULL
            )
            """,
        ],
    ]

    /// The version this build of seedwatch creates.
    public static var currentVersion: Int { migrations.count }

    /// Brings the database to `currentVersion`; returns the version it found. A database of a
    /// newer seedwatch (a higher version) is refused rather than written with an older layout.
    @discardableResult
    public static func migrate(_ session: PostgresSession) throws(PostgresStateError) -> Int {
        try session.withTransaction { run throws(PostgresStateError) in
            _ = try run("SELECT pg_advisory_xact_lock($1)", [.integer(migrationLock)])
            _ = try run(
                "CREATE TABLE IF NOT EXISTS schema_version(version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())", []
            )
            let found = Int(try run("SELECT COALESCE(MAX(version), 0)::BIGINT FROM schema_version", []).first?.first?.integer ?? 0)
            guard found <= currentVersion else {
                throw .schema(message: "the database has schema version \(found), newer than this seedwatch knows (\(currentVersion))")
            }
            for (offset, statements) in migrations.enumerated().dropFirst(found) {
                for sql in statements { _ = try run(sql, []) }
                _ = try run("INSERT INTO schema_version(version) VALUES($1)", [.integer(Int64(offset + 1))])
            }
            return found
        }
    }

    /// The version the database has now (0: no schema yet), without changing anything.
    public static func version(_ session: PostgresSession) throws(PostgresStateError) -> Int {
        let exists = try session.query("SELECT to_regclass('schema_version') IS NOT NULL").first?.first?.integer == 1
        guard exists else { return 0 }
        return Int(try session.query("SELECT COALESCE(MAX(version), 0)::BIGINT FROM schema_version").first?.first?.integer ?? 0)
    }

    /// The server's version, e.g. "15.18 (Debian 15.18-0+deb12u1)".
    public static func serverVersion(_ session: PostgresSession) throws(PostgresStateError) -> String {
        try session.query("SELECT current_setting('server_version')").first?.first?.text ?? "unknown"
    }
}
