/// Why a model file was refused.
public enum ModelFileError: Error, Equatable, CustomStringConvertible {
    case notAModel(path: String)
    case unsupportedVersion(path: String, found: UInt32, supported: UInt32)
    case truncated(path: String, expectedBytes: Int, actualBytes: Int)
    case checksumMismatch(path: String)
    case malformed(path: String, reason: String)
    case unreadable(path: String, reason: String)
    case unwritable(path: String, reason: String)

    public var description: String {
        switch self {
        case let .notAModel(path):
            "\(path): not a Copydesk model file (no CDSKMODL signature)"
        case let .unsupportedVersion(path, found, supported):
            "\(path): model format version \(found) is not supported (this copydesk reads version \(supported)); retrain the model"
        case let .truncated(path, expected, actual):
            "\(path): model file is truncated (\(actual) of \(expected) bytes)"
        case let .checksumMismatch(path):
            "\(path): model file is corrupted (checksum mismatch)"
        case let .malformed(path, reason):
            "\(path): model file is malformed: \(reason)"
        case let .unreadable(path, reason):
            "\(path): cannot read model: \(reason)"
        case let .unwritable(path, reason):
            "\(path): cannot write model: \(reason)"
        }
    }
}
