import Glibc
import SeedwatchCore
import SeedwatchPipeline

/// Reads one result by id, for `GET /documents/{id}` and the document page: from the outbox, else
/// from the state where it stores results (a cluster's database: a result another node wrote).
enum ResultFile {
    enum Failure: Error, Equatable {
        case missing
        case unreadable
        /// The outbox has no such file and the state could not be asked.
        case stateFailed(String)
    }

    /// The id decoded from its percent-encoded form, or nil when it is no result id (it could name another file).
    static func decodedID(_ raw: String) -> String? {
        guard let id = raw.percentDecoded, !id.isEmpty, !id.contains("/"), !id.hasPrefix("."), !id.utf8.contains(0) else { return nil }
        return id
    }

    static func read(id: String, outbox: String, index: any DocumentIndex) -> Result<[UInt8], Failure> {
        let local = read(id: id, outbox: outbox)
        guard case .failure(.missing) = local, index.storesResults else { return local }
        do {
            guard let stored = try index.result(id: id) else { return .failure(.missing) }
            return .success(stored)
        } catch {
            return .failure(.stateFailed("\(error)"))
        }
    }

    static func read(id: String, outbox: String) -> Result<[UInt8], Failure> {
        let fd = open(outbox + "/" + OutboxWriter.fileName(id: id), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return .failure(.missing) }
        defer { close(fd) }
        guard let body = PseudoFile.readToEnd(fd) else { return .failure(.unreadable) }
        return .success(body)
    }
}
