import Copydesk
import Foundation

/// JSON Lines on standard output, written by the library's ``JSONLine``.
enum JSONOutput {
    static func printLine(_ object: Any) {
        print(JSONLine.line(object))
    }

    static func line(_ object: Any) -> String { JSONLine.line(object) }

    static func rounded(_ x: Double) -> Double { JSONLine.rounded(x) }

    /// A batch of a stream's outputs on standard output in order, each failure's reason on standard
    /// error before its line; then the batch is handed on (stdout is block-buffered on a pipe).
    static func write(_ batch: [StreamOutput]) {
        for output in batch {
            if let error = output.error { Terminal.error(error) }
            print(output.json)
        }
        fflush(nil)
    }
}
