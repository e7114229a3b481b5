import Foundation

/// One JSON value as one line of text: keys sorted, numbers as JSON numbers, UTF-8 passed through.
/// What the command-line tool writes as JSON Lines and the service answers with.
///
/// A small writer of our own: Foundation's JSONSerialization took a fifth of `summarize`'s time.
public enum JSONLine {
    /// `object` as one line of JSON (without the newline).
    public static func line(_ object: Any) -> String {
        var out = ""
        out.reserveCapacity(256)
        write(object, to: &out)
        return out
    }

    /// Six significant decimals are plenty for probabilities and weights and keep lines short.
    public static func rounded(_ x: Double) -> Double { (x * 1e6).rounded() / 1e6 }

    public static func write(_ value: Any, to out: inout String) {
        switch value {
        case let s as String: writeString(s, to: &out)
        case let b as Bool: out += b ? "true" : "false"
        case let i as Int: out += String(i)
        case let u as UInt64: out += String(u)
        case let d as Double: writeNumber(d, to: &out)
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

    /// Appends `d` as a JSON number: an integral value without a fraction, others as Swift prints
    /// them (the shortest digits that read back as `d`), non-finite as `null`. A value that
    /// ``rounded(_:)`` made, `n / 10⁶` for an integer `n`, is written from `n` without the general
    /// conversion (a classification line holds a probability per section); the same text.
    public static func writeNumber(_ d: Double, to out: inout String) { appendNumber(d, to: &out) }

    /// ``writeNumber(_:to:)`` into any ``JSONSink``.
    @inline(__always)
    static func appendNumber<Sink: JSONSink>(_ d: Double, to out: inout Sink) {
        guard d.isFinite else { out.appendText("null"); return }
        if d == d.rounded() && abs(d) < 1e15 { out.appendText(String(Int(d))); return }
        let micro = (d * 1e6).rounded()
        guard abs(micro) < 1e9, micro / 1e6 == d else { out.appendText("\(d)"); return }
        var n = Int(micro)
        if n < 0 { out.appendText("-"); n = -n }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { buffer in
            var length = 0
            func put(_ byte: UInt8) { buffer[length] = byte; length += 1 }
            let whole = n / 1_000_000, fraction = n % 1_000_000
            if whole == 0 && fraction < 100 {
                // Below 10⁻⁴ Swift writes an exponent: 5e-06, 1.2e-05.
                if fraction >= 10 {
                    put(0x30 + UInt8(fraction / 10))
                    if fraction % 10 != 0 { put(0x2E); put(0x30 + UInt8(fraction % 10)) }
                    for b in "e-05".utf8 { put(b) }
                } else {
                    put(0x30 + UInt8(fraction))
                    for b in "e-06".utf8 { put(b) }
                }
            } else {
                // The whole part's digits, least significant first, then reversed into place.
                var w = whole, first = length
                repeat { put(0x30 + UInt8(w % 10)); w /= 10 } while w > 0
                var last = length - 1
                while first < last { buffer.swapAt(first, last); first += 1; last -= 1 }
                put(0x2E)
                var digits = fraction, width = 6
                while digits % 10 == 0 { digits /= 10; width -= 1 }
                var divisor = 1
                for _ in 1..<width { divisor *= 10 }
                while divisor > 0 {
                    put(0x30 + UInt8(digits / divisor % 10))
                    divisor /= 10
                }
            }
            out.appendBytes(UnsafeBufferPointer(rebasing: buffer[0..<length]))
        }
    }

    /// Appends `s` as a JSON string. Runs of bytes that need no escape are copied whole (UTF-8
    /// passes through; only `"`, `\\` and control characters are escaped).
    public static func writeString(_ s: String, to out: inout String) { appendString(s, to: &out) }

    /// ``writeString(_:to:)`` into any ``JSONSink``.
    @inline(__always)
    static func appendString<Sink: JSONSink>(_ s: String, to out: inout Sink) {
        out.appendText("\"")
        var copy = s
        copy.withUTF8 { bytes in
            var start = 0
            for (i, b) in bytes.enumerated() where b < 0x20 || b == 0x22 || b == 0x5C {
                if i > start { out.appendBytes(UnsafeBufferPointer(rebasing: bytes[start..<i])) }
                switch b {
                case 0x22: out.appendText("\\\"")
                case 0x5C: out.appendText("\\\\")
                case 0x0A: out.appendText("\\n")
                case 0x0D: out.appendText("\\r")
                case 0x09: out.appendText("\\t")
                default: out.appendText(String(format: "\\u%04x", b))
                }
                start = i + 1
            }
            if start < bytes.count { out.appendBytes(UnsafeBufferPointer(rebasing: bytes[start...])) }
        }
        out.appendText("\"")
    }
}

/// Where the JSON writers append: a `String`, or the bytes of a line being built (one UTF-8 check
/// when the line becomes a `String`, instead of one per piece).
protocol JSONSink {
    mutating func appendBytes(_ bytes: UnsafeBufferPointer<UInt8>)
    mutating func appendText(_ text: String)
}

extension String: JSONSink {
    @inline(__always) mutating func appendBytes(_ bytes: UnsafeBufferPointer<UInt8>) { self += String(decoding: bytes, as: UTF8.self) }
    @inline(__always) mutating func appendText(_ text: String) { self += text }
}

extension Array: JSONSink where Element == UInt8 {
    @inline(__always) mutating func appendBytes(_ bytes: UnsafeBufferPointer<UInt8>) { append(contentsOf: bytes) }
    @inline(__always) mutating func appendText(_ text: String) { append(contentsOf: text.utf8) }
}
