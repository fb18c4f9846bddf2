import SeedwatchCore

/// What a reload changes: the configuration to run with from now on, which is the running one
/// with every changed key that a reload applies (`ConfigKey.appliesOnReload`) set to its new
/// value, and the changed keys that need a restart, which keep their running value.
struct ReloadPlan {
    var effective: Configuration
    /// Changed keys now in effect.
    var applied: [String] = []
    /// Changed keys that keep their running value until a restart, and changed instances of a
    /// family (`processors.external.wc`), named once for all their keys.
    var needsRestart: [String] = []

    init(running: Configuration, loaded: Configuration) throws(ConfigError) {
        effective = running
        let names = Set(running.values.keys).union(loaded.values.keys).sorted()
        for name in names where running.values[name] != loaded.values[name] {
            // Keys of a family (`processors.external.<name>.…`) are never applied live: the
            // schema's families mark none of their keys, and a key may exist on one side only.
            if let family = running.schema.families.first(where: { $0.split(name) != nil }), let (instance, _) = family.split(name) {
                let scope = family.prefix + instance
                if needsRestart.last != scope { needsRestart.append(scope) }
            } else if let key = running.schema.key(named: name), key.appliesOnReload, let value = loaded.values[name] {
                try effective.set(name, value: value, origin: loaded.origins[name] ?? "reload")
                applied.append(name)
            } else {
                needsRestart.append(name)
            }
        }
    }
}
