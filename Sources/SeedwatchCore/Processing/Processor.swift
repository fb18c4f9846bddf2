/// A unit of analysis run on every document.
///
/// One `Sendable` type, one async method. Stateless processors are structs; a processor that keeps
/// state across documents (the topic tracker) wraps an actor and declares `isStateful`, so the
/// pipeline hands it documents one at a time, in arrival order, while the others run concurrently.
public protocol Processor: Sendable {
    /// Unique name: the key of this processor's entry under `results` / `errors` in the outbox,
    /// and the scope of its configuration keys (`processors.<name>.…`).
    var name: String { get }
    /// Processors whose outputs this one reads (see `ProcessorInput.output(of:as:)`).
    var dependencies: [ProcessorDependency] { get }
    /// When true the pipeline calls `process` for one document at a time, in arrival order.
    var isStateful: Bool { get }
    func process(_ input: ProcessorInput) async throws -> any ProcessorOutput
    /// Called once when the daemon stops, after the last document: writes whatever state is
    /// kept only in memory between checkpoints, so a restart forgets nothing.
    func stop() async throws
}

extension Processor {
    public var dependencies: [ProcessorDependency] { [] }
    public var isStateful: Bool { false }
    public func stop() async throws {}
}

/// A stateful processor whose costly part needs none of the state: for each document the
/// pipeline runs `prepare` concurrently with other documents, and only `complete`, which reads
/// and changes the cross-document state, in the document's arrival-order turn. The result then
/// depends on the order of arrival, never on which document's preparation finished first.
public protocol StagedProcessor: Processor {
    associatedtype Prepared: Sendable
    func prepare(_ input: ProcessorInput) async throws -> Prepared
    func complete(_ prepared: Prepared, _ input: ProcessorInput) async throws -> any ProcessorOutput
    /// `complete` without waiting for its state write: the pipeline calls this in the turn and
    /// waits for `StagedTurn.commit` after the document's last processor, so later documents take
    /// their turns while the write is made, and the writes of several processors and documents
    /// share one transaction (group commit).
    func take(_ prepared: Prepared, _ input: ProcessorInput) async throws -> StagedTurn
}

/// What a staged processor's turn produced: its output, which goes into a result once `commit` is
/// durable (processors after it in the same document may use it before).
public struct StagedTurn: Sendable {
    public var output: any ProcessorOutput
    public var commit: StateCommit

    public init(output: any ProcessorOutput, commit: StateCommit = .done) {
        self.output = output
        self.commit = commit
    }
}

extension StagedProcessor {
    public var isStateful: Bool { true }

    /// A processor whose `complete` writes at once.
    public func take(_ prepared: Prepared, _ input: ProcessorInput) async throws -> StagedTurn {
        StagedTurn(output: try await complete(prepared, input))
    }

    /// Both stages at once, for callers without a pipeline.
    public func process(_ input: ProcessorInput) async throws -> any ProcessorOutput {
        try await complete(try await prepare(input), input)
    }
}

/// What a processor returns: encoded under `results.<name>` in the outbox.
public protocol ProcessorOutput: Encodable, Sendable {}

/// An output that lists named entities, so a processor reading them (topics) gets the names
/// directly instead of through the output's JSON form.
public protocol EntityNamesOutput: ProcessorOutput {
    /// The names in the order the output's JSON form lists them.
    var entityNames: [String] { get }
}

/// A processor's need for another processor's output.
public struct ProcessorDependency: Sendable, Hashable {
    public var name: String
    /// A required dependency is enabled automatically and must succeed; an optional one is used
    /// only when it is enabled and succeeded.
    public var isRequired: Bool

    public static func required(_ name: String) -> ProcessorDependency { .init(name: name, isRequired: true) }
    public static func optional(_ name: String) -> ProcessorDependency { .init(name: name, isRequired: false) }
}

/// Everything a processor sees for one document.
public struct ProcessorInput: Sendable {
    public var document: Document
    /// Outputs of the dependencies that completed successfully, by processor name.
    public var upstream: [String: any ProcessorOutput]

    public init(document: Document, upstream: [String: any ProcessorOutput] = [:]) {
        self.document = document
        self.upstream = upstream
    }

    /// The output of an upstream processor, if it ran, succeeded and has the expected type.
    public func output<T: ProcessorOutput>(of name: String, as type: T.Type = T.self) -> T? {
        upstream[name] as? T
    }
}

/// A failure that a processor reports about one document. Any other thrown error is recorded
/// with code `failed` and its description.
public struct ProcessorFailure: Error, Sendable, CustomStringConvertible {
    public var code: String
    public var message: String

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
