import FoundationEssentials
import Glibc
import SeedwatchCore
import SeedwatchIngest

/// One file for `seedwatch process`: a name relative to the folder its result calls the root.
struct ProcessInput: Sendable, Equatable {
    enum Name: Sendable, Equatable {
        case file(String)
        /// A name found in a folder that is not valid UTF-8 (%XX escapes): quarantined, never opened.
        case badName(escaped: String)
    }

    var root: String
    var name: Name
    /// How the file is named in messages: as given, or the walked folder joined with its path inside.
    var shown: String
}

/// Turns the command's arguments into files: a file as given, a folder walked (sub-folders too,
/// names matching `ingest.ignore` left out, in the daemon's catch-up order: oldest first), `-`
/// standard input, copied into a private folder first (the pipeline reads files, not streams).
struct ProcessInputs {
    private(set) var inputs: [ProcessInput] = []
    /// Arguments that could not be read at all, each with its reason.
    private(set) var problems: [String] = []
    /// The full path standard input was copied to, shown as `-`.
    private(set) var standardInputPath: String?
    private var temporaryFolder: String?

    init(arguments: [String], ignore: IgnorePatterns, maxSize: Int) {
        for argument in arguments {
            if argument == "-" {
                addStandardInput(maxSize: maxSize)
                continue
            }
            var info = stat()
            guard stat(argument, &info) == 0 else {
                // A name that is there but leads nowhere (a dangling link) is the intake's to quarantine.
                var link = stat()
                if lstat(argument, &link) == 0 { addFile(argument) } else { problems.append("\(argument): \(Self.reason(errno))") }
                continue
            }
            if info.st_mode & S_IFMT == S_IFDIR { addFolder(argument, ignore: ignore) } else { addFile(argument) }
        }
    }

    /// Removes the copy of standard input, once its result is out.
    func removeTemporaryFiles() {
        if let standardInputPath { unlink(standardInputPath) }
        if let temporaryFolder { rmdir(temporaryFolder) }
    }

    private static func reason(_ code: Int32) -> String { String(cString: strerror(code)) }

    private mutating func addFile(_ argument: String) {
        let url = URL(fileURLWithPath: argument)
        inputs.append(ProcessInput(root: url.deletingLastPathComponent().path, name: .file(url.lastPathComponent), shown: argument))
    }

    private mutating func addFolder(_ argument: String, ignore: IgnorePatterns) {
        let root = URL(fileURLWithPath: argument).path
        let scan: ScanResult
        do {
            scan = try DirectoryScanner(root: root, recursive: true, ignore: ignore).scan()
        } catch {
            problems.append("\(argument): \(Self.reason(error.code))")
            return
        }
        let prefix = argument.hasSuffix("/") ? argument : argument + "/"
        inputs += scan.files.map { ProcessInput(root: root, name: .file($0), shown: prefix + $0) }
        inputs += scan.badNames.map { ProcessInput(root: root, name: .badName(escaped: $0), shown: prefix + $0) }
    }

    /// Copies at most `maxSize` + 1 bytes: enough for the intake to quarantine a larger input as too large.
    private mutating func addStandardInput(maxSize: Int) {
        guard standardInputPath == nil else {
            problems.append("-: standard input can be read only once")
            return
        }
        var template = Array(((ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp") + "/seedwatch-stdin.XXXXXX").utf8CString)
        let created = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.flatMap { mkdtemp($0) } != nil }
        guard created, let folder = String(validating: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self) else {
            problems.append("-: cannot create a temporary folder: \(Self.reason(errno))")
            return
        }
        temporaryFolder = folder
        let path = folder + "/stdin"
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            problems.append("-: cannot create \(path): \(Self.reason(errno))")
            return
        }
        defer { close(fd) }
        standardInputPath = path
        var remaining = maxSize + 1
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while remaining > 0 {
            let count = chunk.withUnsafeMutableBytes { POSIX.read(STDIN_FILENO, into: UnsafeMutableRawBufferPointer(rebasing: $0.prefix(remaining))) }
            if count == 0 { break }
            if count < 0 {
                problems.append("-: cannot read standard input: \(Self.reason(errno))")
                return
            }
            do {
                try POSIX.writeAll(Array(chunk[..<count]), to: fd, path: path)
            } catch {
                problems.append("-: cannot copy standard input to \(path): \(error)")
                return
            }
            remaining -= count
        }
        inputs.append(ProcessInput(root: folder, name: .file("stdin"), shown: "-"))
    }
}
