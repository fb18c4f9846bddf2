import Glibc
import SeedwatchCore
import SeedwatchPipeline

/// Reads one result from the outbox by id, for `GET /documents/{id}` and the document page.
enum ResultFile {
    enum Failure: Error, Equatable {
        case missing
        case unreadable
    }

    /// The id decoded from its percent-encoded form, or nil when it is no result id (it could name another file).
    static func decodedID(_ raw: String) -> String? {
        guard let id = raw.percentDecoded, !id.isEmpty, !id.contains("/"), !id.hasPrefix("."), !id.utf8.contains(0) else { return nil }
        return id
    }

    static func read(id: String, outbox: String) -> Result<[UInt8], Failure> {
        let fd = open(outbox + "/" + OutboxWriter.fileName(id: id), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return .failure(.missing) }
        defer { close(fd) }
        guard let body = PseudoFile.readToEnd(fd) else { return .failure(.unreadable) }
        return .success(body)
    }
}
