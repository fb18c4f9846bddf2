import SeedwatchCommandLine

/// `seedwatch`: state in SQLite. With `database.url` set it hands over to `seedwatch-cluster`
/// (`ClusterHandoff`), so PostgreSQL's client (and the full Foundation it links) stays out of this binary.
@main
enum Entry {
    static func main() {
        Seedwatch.runAsMain()
    }
}
