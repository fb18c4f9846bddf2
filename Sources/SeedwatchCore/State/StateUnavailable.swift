/// An error of the state store that says nothing about the document at hand: the database could
/// not be reached, a connection was cut mid-transaction, this node no longer leads its cluster.
/// A document whose stateful processor met one is processed again once the store answers, not
/// recorded with the failure (`ProcessorFailure.stateUnavailable`).
public protocol StateUnavailable: Error {}

extension ProcessorFailure {
    /// The code of a processor's failure caused by a `StateUnavailable` error.
    public static let stateUnavailableCode = "state_unavailable"

    /// The failure of a processor whose state could not be read or written (`StateUnavailable`).
    public static func stateUnavailable(_ error: any Error) -> ProcessorFailure {
        ProcessorFailure(code: stateUnavailableCode, message: String(describing: error))
    }

    public var isStateUnavailable: Bool { code == Self.stateUnavailableCode }
}
