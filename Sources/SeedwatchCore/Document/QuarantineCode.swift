/// Why a file could not be processed: the `code` of its quarantine record.
public enum QuarantineCode: String, Sendable, Codable, CaseIterable {
    /// NUL bytes in the first 8 KiB.
    case binary
    /// Larger than `ingest.max_size`.
    case tooLarge = "too_large"
    /// A UTF-16 byte-order mark followed by invalid UTF-16.
    case undecodable
    /// The file exists but could not be opened or read (permissions, I/O error).
    case unreadable
    /// The file disappeared between its event and its opening.
    case vanished
    /// A FIFO, socket, device or directory where a file was expected: never opened.
    case notRegularFile = "not_regular_file"
    /// A symbolic link: links are not followed, so nothing outside the watch folder is read.
    case symlink
    /// A file with no content.
    case empty
    /// A name that cannot be represented (e.g. invalid UTF-8 in the path).
    case badName = "bad_name"

    /// What a person can do about it.
    public var advice: String {
        switch self {
        case .binary: "the file is not text; convert it to plain text, Markdown or HTML"
        case .tooLarge: "split the file or raise ingest.max_size"
        case .undecodable: "re-save the file as UTF-8"
        case .unreadable: "check the file's permissions for the seedwatch user"
        case .vanished: "the file was removed before it could be read; drop it again if it was wanted"
        case .notRegularFile: "only regular files are read; copy the content into a regular file"
        case .symlink: "links are not followed; copy or move the file itself into the watch folder"
        case .empty: "the file is empty; write the document and close the file"
        case .badName: "rename the file to a valid UTF-8 name"
        }
    }
}
