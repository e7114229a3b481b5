import ArgumentParser
import Copydesk
#if canImport(Glibc)
import Glibc
#endif

/// The one place where errors become messages and exit codes.
enum Failure {
    static let usage: Int32 = 64
    static let badInput: Int32 = 65
    static let badModel: Int32 = 66
    static let internalError: Int32 = 70
    static let ioFailure: Int32 = 74

    static func exitCode(for error: any Error) -> Int32 {
        switch error {
        case is ConfigurationError: usage
        case is CorpusError, is InputError, is TrainingError, is DeskError, is ExtractionError: badInput
        case let e as ModelFileError:
            if case .unwritable = e { ioFailure } else { badModel }
        case is IOFailure: ioFailure
        default: internalError
        }
    }

    /// Runs `body`; a Copydesk error is printed as `copydesk: error: …` and exits with its code.
    static func guarded(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let e as ExitCode {
            throw e
        } catch let e as ValidationError {
            throw e
        } catch let e as CleanExit {
            throw e
        } catch {
            Terminal.error("\(error)")
            throw ExitCode(exitCode(for: error))
        }
    }
}

/// A write to an output file or stream failed.
struct IOFailure: Error, CustomStringConvertible {
    var description: String
}
