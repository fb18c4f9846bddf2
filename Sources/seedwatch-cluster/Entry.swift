import SeedwatchCommandLine
import SeedwatchDaemon

/// `seedwatch-cluster`: `seedwatch` with a PostgreSQL client for `database.url` (several daemons on
/// one database). `seedwatch` hands over to it when the configuration names a database.
@main
enum Entry {
    static func main() {
        DatabaseBackends.register(PostgresBackend())
        Seedwatch.runAsMain()
    }
}
