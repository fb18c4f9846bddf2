import Logging

/// Sends a plugin's stderr lines to the log, tagged with the processor's name.
enum StderrForwarder {
    static func start(fd: Int32, processor: String, logger: Logger) {
        LineReader.start(fd: fd, maxLine: 16_384, name: "seedwatch.\(processor).stderr") { event in
            switch event {
            case let .line(bytes):
                let text = String(decoding: bytes, as: UTF8.self)
                guard !text.allSatisfy(\.isWhitespace) else { return }
                logger.notice("\(text)", metadata: ["processor": "\(processor)"])
            case .overflow:
                logger.warning("stderr line over 16384 bytes dropped", metadata: ["processor": "\(processor)"])
            case .end:
                break
            }
        }
    }
}
