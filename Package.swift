// swift-tools-version:6.1
import PackageDescription

// Dependencies are kept few on purpose: each one is rebuilt by CI on 2 cores.
// See README.md § "Dependencies" for why each is here.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "seedwatch",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "seedwatch", targets: ["seedwatch"]),
        // The same daemon with a PostgreSQL client (`database.url`); `seedwatch` hands over to it.
        .executable(name: "seedwatch-cluster", targets: ["seedwatch-cluster"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    ],
    targets: [
        // C edges: each imported by exactly one Swift module.
        .systemLibrary(name: "CSystemd", pkgConfig: "libsystemd", providers: [.apt(["libsystemd-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        // glibc's malloc.h: giving freed heap back to the system when the daemon goes idle.
        .systemLibrary(name: "CMalloc"),
        // statfs(2): the kind of file system under a watched folder (ingest.mode auto).
        .systemLibrary(name: "CStatfs"),

        // Threads and executors of our own, none from libdispatch: an idle daemon never wakes (README "Threads").
        .target(
            name: "SeedwatchExecutors",
            dependencies: [
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "HeapModule", package: "swift-collections"),
            ],
            swiftSettings: strict
        ),
        // Data types, configuration, the Processor protocol. No C, no file watching.
        .target(name: "SeedwatchCore", dependencies: ["SeedwatchExecutors"], swiftSettings: strict),
        // Text foundation: formats, boilerplate removal, sentences, tokens. No I/O.
        .target(name: "SeedwatchText", swiftSettings: strict),
        // glibc edge: the calls Swift's Glibc module hides (spawning; renameat2 for moving inputs).
        .target(name: "CSpawn"),
        // Built-in processors, one folder each, and the registry.
        .target(
            name: "SeedwatchProcessors",
            dependencies: [
                "SeedwatchCore", "SeedwatchText", "SeedwatchExecutors", "CSpawn",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "DequeModule", package: "swift-collections"),
            ],
            // Found by ResourceLocator, not `Bundle.module`: SwiftPM's accessor for declared resources
            // imports Foundation, which would load libFoundation and ICU into the daemon.
            exclude: ["Resources"],
            swiftSettings: strict
        ),
        // libsystemd edge: journald logging, sd_notify, listen fds.
        .target(
            name: "SeedwatchSystemd",
            dependencies: ["CSystemd", "SeedwatchCore", "SeedwatchExecutors", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        // SQLite edge: the ledger of files and the processors' state, behind SeedwatchCore's protocols.
        .target(name: "SeedwatchState", dependencies: ["CSQLite", "SeedwatchCore"], swiftSettings: strict),
        // PostgreSQL edge: the same state in a database several daemons share (`database.url`).
        .target(
            name: "SeedwatchPostgres",
            dependencies: [
                "SeedwatchCore", "SeedwatchExecutors",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        // inotify edge, directory scanning, safe file intake.
        .target(name: "SeedwatchIngest", dependencies: ["SeedwatchCore", "SeedwatchExecutors", "CStatfs"], swiftSettings: strict),
        // The document pipeline: intake, ledger decision, processors, outbox or quarantine, alerts.
        .target(
            name: "SeedwatchPipeline",
            dependencies: ["SeedwatchCore", "SeedwatchExecutors", "SeedwatchIngest", "CSpawn", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        // The daemon: services composed under swift-service-lifecycle.
        .target(
            name: "SeedwatchDaemon",
            dependencies: [
                "SeedwatchCore", "SeedwatchExecutors", "SeedwatchIngest", "SeedwatchPipeline", "SeedwatchState",
                "SeedwatchSystemd", "SeedwatchProcessors", "CMalloc",
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strict
        ),
        // The command line (`run`, `process`, `status`, …), shared by the two binaries.
        .target(
            name: "SeedwatchCommandLine",
            dependencies: [
                "SeedwatchDaemon", "SeedwatchCore", "SeedwatchProcessors", "SeedwatchText", "SeedwatchExecutors", "SeedwatchSystemd", "SeedwatchPipeline",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(name: "seedwatch", dependencies: ["SeedwatchCommandLine"], swiftSettings: strict),
        // PostgreSQL's client links full Foundation, ICU and TLS: kept out of `seedwatch` (README "Cluster").
        .executableTarget(
            name: "seedwatch-cluster",
            dependencies: [
                "SeedwatchCommandLine", "SeedwatchDaemon", "SeedwatchPostgres", "SeedwatchState", "SeedwatchCore", "SeedwatchPipeline",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),

        // What several test modules share: scaled waits, the test journald.
        .target(name: "SeedwatchTestSupport", dependencies: ["SeedwatchExecutors"], path: "Tests/SeedwatchTestSupport", swiftSettings: strict),
        .testTarget(name: "SeedwatchExecutorsTests", dependencies: ["SeedwatchExecutors", "SeedwatchTestSupport"], swiftSettings: strict),
        .testTarget(name: "SeedwatchCoreTests", dependencies: ["SeedwatchCore"], swiftSettings: strict),
        .testTarget(name: "SeedwatchTextTests", dependencies: ["SeedwatchText", "SeedwatchTestSupport"], swiftSettings: strict),
        .testTarget(
            name: "SeedwatchProcessorsTests",
            dependencies: [
                "SeedwatchProcessors", "SeedwatchCore", "SeedwatchText", "SeedwatchDaemon", "SeedwatchPipeline", "SeedwatchTestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "SeedwatchStateTests",
            dependencies: ["SeedwatchState", "SeedwatchPostgres", "SeedwatchCore", "SeedwatchPipeline", "SeedwatchTestSupport", "SeedwatchExecutors"],
            swiftSettings: strict
        ),
        .testTarget(name: "SeedwatchIngestTests", dependencies: ["SeedwatchIngest", "SeedwatchCore"], swiftSettings: strict),
        .testTarget(
            name: "SeedwatchPipelineTests",
            dependencies: ["SeedwatchPipeline", "SeedwatchCore", "SeedwatchIngest", "SeedwatchTestSupport", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "SeedwatchSystemdTests",
            dependencies: ["SeedwatchSystemd", "SeedwatchCore", "SeedwatchTestSupport", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        // End-to-end: runs the built `seedwatch` binary against real folders, inotify, journald, sockets.
        // Also unit tests of the daemon's parts (work queue, control API routes and request handling, start-up checks).
        .testTarget(
            name: "SeedwatchDaemonTests",
            dependencies: [
                "seedwatch", "seedwatch-cluster", "SeedwatchCommandLine", "SeedwatchDaemon", "SeedwatchPostgres", "SeedwatchPipeline", "SeedwatchCore", "SeedwatchIngest", "SeedwatchState", "SeedwatchSystemd", "CSpawn",
                "SeedwatchTestSupport",
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
    ],
    swiftLanguageModes: [.v6]
)

// libFuzzer targets (Benchmarks/Fuzz, `make fuzz`): only with SEEDWATCH_FUZZ=1, because they have no `main`
// of their own (libFuzzer's, from `-sanitize=fuzzer`) and would not link in a normal `swift build`.
if Context.environment["SEEDWATCH_FUZZ"] == "1" {
    let fuzzTargets: [(name: String, dependency: Target.Dependency)] = [
        ("FuzzTextDecoding", "SeedwatchCore"),
        ("FuzzExtractors", "SeedwatchText"),
        ("FuzzBoilerplate", "SeedwatchText"),
        ("FuzzSentences", "SeedwatchText"),
        ("FuzzInotifyEvents", "SeedwatchIngest"),
        ("FuzzConfigLoader", "SeedwatchDaemon"),
        ("FuzzControlRequests", "SeedwatchDaemon"),
        ("FuzzPluginProtocol", "SeedwatchProcessors"),
        ("FuzzStateDecoders", "SeedwatchProcessors"),
    ]
    // The control API's request handling is internal to SeedwatchDaemon: FuzzControlRequests imports it @testable.
    for target in package.targets where target.name == "SeedwatchDaemon" {
        target.swiftSettings = (target.swiftSettings ?? []) + [.unsafeFlags(["-enable-testing"])]
    }
    package.targets.append(.target(name: "FuzzSupport", path: "Benchmarks/Fuzz/FuzzSupport", swiftSettings: strict))
    for target in fuzzTargets {
        package.targets.append(
            .executableTarget(
                name: target.name,
                dependencies: [target.dependency, "FuzzSupport"],
                path: "Benchmarks/Fuzz/\(target.name)",
                swiftSettings: strict + [.unsafeFlags(["-parse-as-library"])],
                linkerSettings: [.unsafeFlags(["-Xlinker", "--export-dynamic"])]
            )
        )
    }
}
