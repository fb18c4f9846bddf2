// libFuzzer target: the configuration loader on arbitrary file content, against the daemon's full
// schema (processor keys and the external-processor family included), then the checks `run` and
// `check-config` share. Invariants: every refusal is a ConfigError; an accepted configuration
// renders to JSON that loads back to the same values.
import FoundationEssentials
import FuzzSupport
import Glibc
import SeedwatchCore
import SeedwatchDaemon

private let loader = ConfigLoader(schema: ProcessorSetup.schema)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfigLoader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var configuration = Configuration(schema: loader.schema)
    do {
        try loader.apply(json: Data(UnsafeBufferPointer(start: data, count: size)), source: "fuzz", to: &configuration)
    } catch {
        _ = error.description
        return 0
    }
    _ = try? ConfigurationCheck.validate(configuration, workingDirectory: "/nonexistent-fuzz")
    var again = Configuration(schema: loader.schema)
    do {
        try loader.apply(json: Data(configuration.renderJSON().utf8), source: "rendered", to: &again)
    } catch {
        print("fuzz invariant broken: the rendered configuration does not load: \(error)")
        abort()
    }
    if again.values != configuration.values {
        print("fuzz invariant broken: render → load changed the values")
        abort()
    }
    return 0
}

/// SwiftPM renames this executable's `main` to `FuzzConfigLoader_main`: libFuzzer's driver takes over from there.
@_cdecl("FuzzConfigLoader_main")
public func FuzzConfigLoaderMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzDriver(argc, argv, fuzzConfigLoader)
}
