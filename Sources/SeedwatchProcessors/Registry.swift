import SeedwatchCore

/// Every built-in processor: one line each. The order is the order results are listed in `--help`
/// output and the order used when several processors are ready at once.
public enum ProcessorRegistry {
    public static let builtIns: [any ProcessorFactory.Type] = [
        StatsProcessor.self,
        TextProcessor.self,
        SummaryProcessor.self,
        EntitiesProcessor.self,
        TopicsProcessor.self,
    ]
}
