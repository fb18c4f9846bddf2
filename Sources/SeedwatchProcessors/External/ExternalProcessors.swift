import Logging
import SeedwatchCore

/// The external processors declared in a configuration, for the schema and the runner.
public enum ExternalProcessors {
    /// The `processors.external.<name>.…` keys; `builtIns` are names an external one may not take.
    public static func family(builtIns: [String]) -> ConfigFamily {
        ExternalSettings.family(reserved: builtIns)
    }

    /// Settings of every declared external processor, enabled or not, validated.
    public static func settings(in configuration: Configuration) throws(ConfigError) -> [ExternalSettings] {
        var all: [ExternalSettings] = []
        for name in configuration.instances(of: ExternalSettings.prefix) {
            all.append(try ExternalSettings.read(name: name, from: configuration))
        }
        return all
    }
}
