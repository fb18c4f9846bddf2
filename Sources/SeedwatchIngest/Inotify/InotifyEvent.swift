import Glibc

/// One raw inotify event, decoded from the kernel's buffer.
public struct InotifyEvent: Sendable, Equatable {
    public var watch: Int32
    public var mask: UInt32
    public var cookie: UInt32
    /// The name bytes (without the NUL padding); empty for events about the watched folder itself.
    public var name: [UInt8]

    public init(watch: Int32, mask: UInt32, cookie: UInt32 = 0, name: [UInt8] = []) {
        self.watch = watch
        self.mask = mask
        self.cookie = cookie
        self.name = name
    }

    public func has(_ flag: UInt32) -> Bool { mask & flag != 0 }
}

/// inotify masks, composed here because `IN_ALL_EVENTS` and friends do not import into Swift.
public enum InotifyMask {
    public static let closeWrite = UInt32(IN_CLOSE_WRITE)
    public static let movedTo = UInt32(IN_MOVED_TO)
    public static let movedFrom = UInt32(IN_MOVED_FROM)
    public static let create = UInt32(IN_CREATE)
    public static let deleteSelf = UInt32(IN_DELETE_SELF)
    public static let moveSelf = UInt32(IN_MOVE_SELF)
    public static let unmount = UInt32(IN_UNMOUNT)
    public static let overflow = UInt32(IN_Q_OVERFLOW)
    public static let ignored = UInt32(IN_IGNORED)
    public static let isDirectory = UInt32(IN_ISDIR)
    public static let onlyDirectory = UInt32(IN_ONLYDIR)
    public static let excludeUnlinked = UInt32(IN_EXCL_UNLINK)

    /// What the watcher asks for on every watched folder.
    /// `movedFrom` only matters for sub-folders: one moved out of the tree must stop being watched.
    public static let watched = closeWrite | movedTo | movedFrom | create | deleteSelf | moveSelf | onlyDirectory | excludeUnlinked
    /// Only what happens to the watched folder itself (`IN_UNMOUNT` and `IN_IGNORED` always come).
    public static let selfOnly = deleteSelf | moveSelf | onlyDirectory
}

/// Splits a buffer read from an inotify descriptor into events.
///
/// Kept apart from the reading so tests can feed it crafted buffers (an overflow event, a
/// truncated record) without a kernel.
public enum InotifyEventParser {
    /// `struct inotify_event` without its flexible name: wd, mask, cookie, len.
    public static let headerSize = 16

    public static func parse(_ buffer: UnsafeRawBufferPointer) -> [InotifyEvent] {
        var events: [InotifyEvent] = []
        var offset = 0
        while offset + headerSize <= buffer.count {
            let watch = Int32(bitPattern: load(buffer, offset))
            let mask = load(buffer, offset + 4)
            let cookie = load(buffer, offset + 8)
            let length = Int(load(buffer, offset + 12))
            let nameStart = offset + headerSize
            guard length >= 0, nameStart + length <= buffer.count else { break }  // truncated record: drop it
            var name = Array(buffer[nameStart..<(nameStart + length)])
            if let nul = name.firstIndex(of: 0) { name.removeSubrange(nul...) }
            events.append(InotifyEvent(watch: watch, mask: mask, cookie: cookie, name: name))
            offset = nameStart + length
        }
        return events
    }

    /// Encodes events the way the kernel does: for tests and fault injection.
    public static func encode(_ events: [InotifyEvent]) -> [UInt8] {
        var bytes: [UInt8] = []
        for event in events {
            let padded = event.name.isEmpty ? 0 : (event.name.count / 16 + 1) * 16
            for word in [UInt32(bitPattern: event.watch), event.mask, event.cookie, UInt32(padded)] {
                withUnsafeBytes(of: word.littleEndian) { bytes.append(contentsOf: $0) }
            }
            bytes.append(contentsOf: event.name)
            bytes.append(contentsOf: repeatElement(0, count: padded - event.name.count))
        }
        return bytes
    }

    private static func load(_ buffer: UnsafeRawBufferPointer, _ offset: Int) -> UInt32 {
        UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }
}
