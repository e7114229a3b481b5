import Copydesk
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// JSON Lines on standard output, written by the library's ``JSONLine``.
enum JSONOutput {
    static func printLine(_ object: Any) {
        print(JSONLine.line(object))
    }

    static func line(_ object: Any) -> String { JSONLine.line(object) }

    static func rounded(_ x: Double) -> Double { JSONLine.rounded(x) }

    /// A batch of a stream's outputs on standard output in order, each failure's reason on standard
    /// error before its line; the batch's lines go out in one `write` (few wake-ups of a reader on a
    /// pipe) unless a failure's message has to come between them.
    static func write(_ batch: [StreamOutput]) {
        if batch.contains(where: { $0.error != nil }) {
            for output in batch {
                if let error = output.error { Terminal.error(error) }
                print(output.json)
            }
            fflush(nil)
            return
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(batch.reduce(0) { $0 + $1.json.utf8.count + 1 })
        for output in batch {
            bytes.append(contentsOf: output.json.utf8)
            bytes.append(0x0A)
        }
        fflush(nil)  // anything printed before the stream goes first
        StandardOutput.write(bytes)
    }
}

/// Raw writes to standard output (file descriptor 1), bypassing stdio's small buffer.
enum StandardOutput {
    /// Writes all of `bytes`; a closed reader raises SIGPIPE, which the command ends quietly on.
    static func write(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { b in
            var offset = 0
            while offset < b.count {
                let n = Glibc.write(1, b.baseAddress! + offset, b.count - offset)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return }
                offset += n
            }
        }
    }
}
