import CSystemd
import Glibc

/// Reads the local journal through libsystemd's `sd_journal_*` API (no journalctl process).
public final class JournalReader {
    private var journal: OpaquePointer?

    public struct Entry: Sendable {
        public var realtimeMicroseconds: UInt64
        public var fields: [String: String]
    }

    public init() throws(JournalReadError) {
        let status = sd_journal_open(&journal, Int32(SD_JOURNAL_LOCAL_ONLY))
        guard status >= 0, journal != nil else { throw .call("sd_journal_open", status) }
    }

    deinit {
        sd_journal_close(journal)
    }

    /// Entries must match one of these `FIELD=value` pairs (an OR across them).
    public func matchAny(_ matches: [String]) throws(JournalReadError) {
        for (index, match) in matches.enumerated() {
            if index > 0 {
                let status = sd_journal_add_disjunction(journal)
                guard status >= 0 else { throw .call("sd_journal_add_disjunction", status) }
            }
            let status = match.withCString { sd_journal_add_match(journal, $0, 0) }
            guard status >= 0 else { throw .call("sd_journal_add_match", status) }
        }
    }

    public func seek(sinceMicroseconds: UInt64?) throws(JournalReadError) {
        let status = sinceMicroseconds.map { sd_journal_seek_realtime_usec(journal, $0) } ?? sd_journal_seek_head(journal)
        guard status >= 0 else { throw .call("sd_journal_seek", status) }
    }

    /// The next entry, or nil at the end for now.
    public func next(fields names: [String]) throws(JournalReadError) -> Entry? {
        let status = sd_journal_next(journal)
        guard status >= 0 else { throw .call("sd_journal_next", status) }
        guard status > 0 else { return nil }
        var realtime: UInt64 = 0
        _ = sd_journal_get_realtime_usec(journal, &realtime)
        var fields: [String: String] = [:]
        for name in names {
            var data: UnsafeRawPointer?
            var length = 0
            let found = name.withCString { sd_journal_get_data(journal, $0, &data, &length) }
            guard found >= 0, let data, length > name.utf8.count else { continue }
            let bytes = UnsafeRawBufferPointer(start: data, count: length).dropFirst(name.utf8.count + 1)
            fields[name] = String(decoding: bytes, as: UTF8.self)
        }
        return Entry(realtimeMicroseconds: realtime, fields: fields)
    }

    /// Blocks until the journal changes or `timeoutMicroseconds` passes.
    public func wait(timeoutMicroseconds: UInt64) throws(JournalReadError) {
        let status = sd_journal_wait(journal, timeoutMicroseconds)
        guard status >= 0 else { throw .call("sd_journal_wait", status) }
    }
}

public enum JournalReadError: Error, CustomStringConvertible {
    case call(String, Int32)

    public var description: String {
        switch self {
        case let .call(name, status): "\(name) failed: \(String(cString: strerror(-status)))"
        }
    }
}
