import Testing

// Replaced by the module's suites.
@Test func moduleIngestBuilds() {}
