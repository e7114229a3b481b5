import Foundation

/// JSON Lines on standard output: one object per line, keys sorted, numbers as JSON numbers.
///
/// A small writer of our own: Foundation's JSONSerialization took a fifth of `summarize`'s time.
enum JSONOutput {
    static func printLine(_ object: Any) {
        print(line(object))
    }

    /// `object` as one line of JSON (without the newline).
    static func line(_ object: Any) -> String {
        var out = ""
        out.reserveCapacity(256)
        write(object, to: &out)
        return out
    }

    /// Six significant decimals are plenty for probabilities and weights and keep lines short.
    static func rounded(_ x: Double) -> Double { (x * 1e6).rounded() / 1e6 }

    static func write(_ value: Any, to out: inout String) {
        switch value {
        case let s as String: writeString(s, to: &out)
        case let b as Bool: out += b ? "true" : "false"
        case let i as Int: out += String(i)
        case let u as UInt64: out += String(u)
        case let d as Double: out += d.isFinite ? (d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : "\(d)") : "null"
        case let o as [String: Any]:
            out += "{"
            for (n, key) in o.keys.sorted().enumerated() {
                if n > 0 { out += "," }
                writeString(key, to: &out)
                out += ":"
                write(o[key]!, to: &out)
            }
            out += "}"
        case let a as [Any]:
            out += "["
            for (n, element) in a.enumerated() {
                if n > 0 { out += "," }
                write(element, to: &out)
            }
            out += "]"
        default:
            out += "null"  // NSNull and anything unexpected
        }
    }

    /// Appends `s` as a JSON string. Runs of bytes that need no escape are copied whole (UTF-8
    /// passes through; only `"`, `\\` and control characters are escaped).
    static func writeString(_ s: String, to out: inout String) {
        out += "\""
        var copy = s
        copy.withUTF8 { bytes in
            var start = 0
            for (i, b) in bytes.enumerated() where b < 0x20 || b == 0x22 || b == 0x5C {
                if i > start { out += String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self) }
                switch b {
                case 0x22: out += "\\\""
                case 0x5C: out += "\\\\"
                case 0x0A: out += "\\n"
                case 0x0D: out += "\\r"
                case 0x09: out += "\\t"
                default: out += String(format: "\\u%04x", b)
                }
                start = i + 1
            }
            if start < bytes.count { out += String(decoding: UnsafeBufferPointer(rebasing: bytes[start...]), as: UTF8.self) }
        }
        out += "\""
    }
}

/// `(0..<count).map(body)` on up to `threads` threads, in contiguous blocks; results in order.
enum ParallelMap {
    static func map<T>(_ count: Int, threads: Int, _ body: @Sendable (Int) -> T) -> [T] {
        let storage = UnsafeMutableBufferPointer<T>.allocate(capacity: count)
        defer { storage.deallocate() }
        let out = UncheckedBuffer(storage)
        let blocks = max(1, min(threads, count))
        DispatchQueue.concurrentPerform(iterations: blocks) { b in
            for i in (count * b / blocks)..<(count * (b + 1) / blocks) {
                (out.buffer.baseAddress! + i).initialize(to: body(i))
            }
        }
        let result = Array(storage)
        _ = storage.baseAddress.map { $0.deinitialize(count: count) }
        return result
    }

    private struct UncheckedBuffer<T>: @unchecked Sendable {
        let buffer: UnsafeMutableBufferPointer<T>
        init(_ buffer: UnsafeMutableBufferPointer<T>) { self.buffer = buffer }
    }
}
