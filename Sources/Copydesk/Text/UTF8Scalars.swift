/// Decoding one Unicode scalar from raw UTF-8 bytes, tolerating invalid input.
///
/// Copydesk reads articles as bytes and never assumes they are valid UTF-8: an invalid or truncated
/// sequence decodes as `nil` with length 1, so scanners skip exactly one byte and keep going.
@usableFromInline
enum UTF8Scalars {
    /// The scalar starting at `i` and its encoded length, or `(nil, 1)` for an invalid byte.
    @inline(__always) @usableFromInline
    static func decode(_ p: UnsafePointer<UInt8>, at i: Int, count n: Int) -> (Unicode.Scalar?, Int) {
        let b0 = p[i]
        if b0 < 0x80 { return (Unicode.Scalar(b0), 1) }
        let length: Int
        var value: UInt32
        switch b0 {
        case 0xC2...0xDF: length = 2; value = UInt32(b0 & 0x1F)
        case 0xE0...0xEF: length = 3; value = UInt32(b0 & 0x0F)
        case 0xF0...0xF4: length = 4; value = UInt32(b0 & 0x07)
        default: return (nil, 1)
        }
        guard i + length <= n else { return (nil, 1) }
        for k in 1..<length {
            let b = p[i + k]
            guard b & 0xC0 == 0x80 else { return (nil, 1) }
            value = (value << 6) | UInt32(b & 0x3F)
        }
        // Reject overlong forms; Unicode.Scalar rejects surrogates and values past U+10FFFF.
        let minimum: UInt32 = length == 2 ? 0x80 : (length == 3 ? 0x800 : 0x10000)
        guard value >= minimum, let scalar = Unicode.Scalar(value) else { return (nil, 1) }
        return (scalar, length)
    }

    /// Appends the UTF-8 encoding of `scalar` to `out`.
    @inline(__always) @usableFromInline
    static func append(_ scalar: Unicode.Scalar, to out: inout [UInt8]) {
        let v = scalar.value
        switch v {
        case 0..<0x80:
            out.append(UInt8(v))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | (v >> 6))); out.append(UInt8(0x80 | (v & 0x3F)))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | (v >> 12))); out.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (v & 0x3F)))
        default:
            out.append(UInt8(0xF0 | (v >> 18))); out.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((v >> 6) & 0x3F))); out.append(UInt8(0x80 | (v & 0x3F)))
        }
    }
}
