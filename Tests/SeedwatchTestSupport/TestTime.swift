import Foundation

/// How much longer every wait of these tests may take: `SEEDWATCH_TEST_TIME_SCALE` (default 1),
/// set by `make sanitize`, whose instrumented builds run several times slower. Bounds are safety
/// nets for awaited events, never delays, so scaling them changes nothing in a passing run.
public enum TestTime {
    public static let scale: Double = {
        guard let text = ProcessInfo.processInfo.environment["SEEDWATCH_TEST_TIME_SCALE"], let value = Double(text), value >= 1 else { return 1 }
        return value
    }()

    public static func seconds(_ seconds: Double) -> Double { seconds * scale }

    /// A suite's time limit, scaled.
    public static func minutes(_ minutes: Int) -> Int { Int((Double(minutes) * scale).rounded(.up)) }
}
