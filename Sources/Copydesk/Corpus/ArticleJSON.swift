/// A direct reader for the common shape of a corpus line: one flat JSON object whose `id` is a string
/// or a small integer, whose `label`, `title`, `text` and `summary` are strings (or null, except
/// `text`), and whose other keys hold strings, numbers, `true`, `false` or `null`.
///
/// It makes the same ``Article`` as `JSONDecoder` for such lines, several times faster
/// (BENCHMARKS.md), and returns nil for anything else — nested values, escaped keys, a repeated field, a lone surrogate,
/// invalid UTF-8, any syntax error — so that `JSONDecoder` decides those lines and reports their
/// errors in its own words. (Checked line by line against `JSONDecoder` on both corpora, on crafted
/// lines, and by the `article-json` fuzz target.)
public enum ArticleJSON {
    static func decode(_ line: UnsafeBufferPointer<UInt8>) -> Article? {
        guard let base = line.baseAddress else { return nil }
        var s = Scanner(p: base, n: line.count)
        return s.article()
    }

    /// A web page record's `id` and the bytes of its `html` string, for the common flat line
    /// `{"id": …, "html": "…"}` (other keys with scalar values are skipped). Nil for anything else,
    /// which the caller then reads with `JSONSerialization` to report the error in its words.
    public static func page(_ line: UnsafeBufferPointer<UInt8>) -> (id: String?, html: [UInt8])? {
        guard let base = line.baseAddress else { return nil }
        var s = Scanner(p: base, n: line.count)
        return s.page()
    }

    private struct Scanner {
        let p: UnsafePointer<UInt8>
        let n: Int
        var i = 0
        /// Unescaped bytes of a string with escapes.
        var scratch: [UInt8] = []

        init(p: UnsafePointer<UInt8>, n: Int) {
            self.p = p
            self.n = n
        }

        mutating func article() -> Article? {
            skipSpace()
            guard take(0x7B) else { return nil }  // {
            var id: String?, label: String??, title: String??, text: String?, summary: String??
            skipSpace()
            if !take(0x7D) {
                while true {
                    skipSpace()
                    guard let key = plainKey() else { return nil }
                    skipSpace()
                    guard take(0x3A) else { return nil }  // :
                    skipSpace()
                    switch key {
                    case .id:
                        guard id == nil else { return nil }
                        if peek == 0x22 {
                            guard let v = string() else { return nil }
                            id = v
                        } else {
                            guard let v = smallInteger() else { return nil }
                            id = v
                        }
                    case .label:
                        guard label == nil, let v = optionalString() else { return nil }
                        label = v
                    case .title:
                        guard title == nil, let v = optionalString() else { return nil }
                        title = v
                    case .summary:
                        guard summary == nil, let v = optionalString() else { return nil }
                        summary = v
                    case .text:
                        guard text == nil, peek == 0x22, let v = string() else { return nil }
                        text = v
                    case .other:
                        guard skipScalarValue() else { return nil }
                    }
                    skipSpace()
                    if take(0x2C) { continue }  // ,
                    guard take(0x7D) else { return nil }  // }
                    break
                }
            }
            skipSpace()
            guard i == n, let text else { return nil }
            return Article(id: id ?? "", label: label ?? nil, title: title ?? nil, text: text, summary: summary ?? nil)
        }

        mutating func page() -> (id: String?, html: [UInt8])? {
            skipSpace()
            guard take(0x7B) else { return nil }  // {
            var id: String?, html: [UInt8]?
            skipSpace()
            guard !take(0x7D) else { return nil }
            while true {
                skipSpace()
                guard let key = rawKey() else { return nil }
                skipSpace()
                guard take(0x3A) else { return nil }  // :
                skipSpace()
                if key.elementsEqual("id".utf8) {
                    guard id == nil else { return nil }
                    if peek == 0x22 {
                        guard let v = string() else { return nil }
                        id = v
                    } else {
                        guard let v = smallInteger() else { return nil }
                        id = v
                    }
                } else if key.elementsEqual("html".utf8) {
                    guard html == nil, let v = stringBytes() else { return nil }
                    html = v
                } else {
                    guard String(validating: key, as: UTF8.self) != nil, skipScalarValue() else { return nil }
                }
                skipSpace()
                if take(0x2C) { continue }  // ,
                guard take(0x7D) else { return nil }  // }
                break
            }
            skipSpace()
            guard i == n, let html else { return nil }
            return (id, html)
        }

        /// A string value's unescaped bytes, checked to be valid UTF-8 (as a JSON text must be).
        mutating func stringBytes() -> [UInt8]? {
            let start = i
            guard peek == 0x22 else { return nil }
            // The common case without escapes is a single copy.
            var k = i + 1
            k += Kernels.jsonStringRun(p + k, count: n - k)
            if k < n, p[k] == 0x22 {
                let body = UnsafeBufferPointer(start: p + i + 1, count: k - i - 1)
                guard String(validating: body, as: UTF8.self) != nil else { return nil }
                i = k + 1
                return Array(body)
            }
            i = start
            guard string(keepingBytes: true) != nil else { return nil }
            return scratch
        }

        enum Key { case id, label, title, text, summary, other }

        var peek: UInt8? { i < n ? p[i] : nil }

        @inline(__always)
        mutating func take(_ b: UInt8) -> Bool {
            guard i < n, p[i] == b else { return false }
            i += 1
            return true
        }

        @inline(__always)
        mutating func skipSpace() {
            while i < n, p[i] == 0x20 || p[i] == 0x0A || p[i] == 0x0D || p[i] == 0x09 { i += 1 }
        }

        /// A key without escapes, classified; nil for an escaped or malformed key.
        mutating func plainKey() -> Key? {
            guard let key = rawKey() else { return nil }
            switch key.count {
            case 2 where key.elementsEqual("id".utf8): return .id
            case 4 where key.elementsEqual("text".utf8): return .text
            case 5 where key.elementsEqual("label".utf8): return .label
            case 5 where key.elementsEqual("title".utf8): return .title
            case 7 where key.elementsEqual("summary".utf8): return .summary
            // A record's own desk profile is an object: JSONDecoder reads such lines.
            case 4 where key.elementsEqual("desk".utf8): return nil
            default:
                // Any other valid UTF-8 key is ignored, as JSONDecoder ignores it.
                return String(validating: key, as: UTF8.self) == nil ? nil : .other
            }
        }

        /// A quoted key without escapes or control characters, as its bytes; nil otherwise.
        mutating func rawKey() -> UnsafeBufferPointer<UInt8>? {
            guard take(0x22) else { return nil }
            let start = i
            while i < n, p[i] != 0x22 {
                guard p[i] != 0x5C, p[i] >= 0x20 else { return nil }
                i += 1
            }
            guard i < n else { return nil }
            defer { i += 1 }
            return UnsafeBufferPointer(start: p + start, count: i - start)
        }

        /// A string or null (as `.some(nil)`); nil for anything else.
        mutating func optionalString() -> String?? {
            if peek == 0x22 {
                guard let s = string() else { return nil }
                return .some(s)
            }
            return literal("null") ? .some(nil) : nil
        }

        mutating func literal(_ word: StaticString) -> Bool {
            let m = word.utf8CodeUnitCount
            guard i + m <= n else { return false }
            for k in 0..<m where p[i + k] != word.utf8Start[k] { return false }
            i += m
            return true
        }

        /// A string value; nil for a malformed one, invalid UTF-8 or a lone surrogate. Runs between
        /// escapes are copied whole.
        mutating func string() -> String? { string(keepingBytes: false) }

        /// With `keepingBytes`, an escaped string's bytes are left in `scratch` (checked, but not
        /// made a `String`).
        mutating func string(keepingBytes: Bool) -> String? {
            guard take(0x22) else { return nil }
            var escaped = false
            var run = i
            while true {
                i += Kernels.jsonStringRun(p + i, count: n - i)
                guard i < n, p[i] >= 0x20 else { return nil }
                if p[i] == 0x22 {
                    let end = i
                    i += 1
                    if !escaped { return String(validating: UnsafeBufferPointer(start: p + run, count: end - run), as: UTF8.self) }
                    scratch.append(contentsOf: UnsafeBufferPointer(start: p + run, count: end - run))
                    if keepingBytes { return String(validating: scratch, as: UTF8.self) == nil ? nil : "" }
                    return String(validating: scratch, as: UTF8.self)
                }
                // A backslash: keep the run before it, then the escaped character.
                if !escaped {
                    escaped = true
                    scratch.removeAll(keepingCapacity: true)
                }
                scratch.append(contentsOf: UnsafeBufferPointer(start: p + run, count: i - run))
                guard i + 1 < n else { return nil }
                let e = p[i + 1]
                i += 2
                switch e {
                case 0x22, 0x5C, 0x2F: scratch.append(e)
                case 0x62: scratch.append(0x08)
                case 0x66: scratch.append(0x0C)
                case 0x6E: scratch.append(0x0A)
                case 0x72: scratch.append(0x0D)
                case 0x74: scratch.append(0x09)
                case 0x75:
                    guard let u = hex4() else { return nil }
                    var value = u
                    if u >= 0xD800 && u < 0xDC00 {
                        guard take(0x5C), take(0x75), let low = hex4(), low >= 0xDC00 && low < 0xE000 else { return nil }
                        value = 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00)
                    } else if u >= 0xDC00 && u < 0xE000 {
                        return nil
                    }
                    guard let scalar = Unicode.Scalar(value) else { return nil }
                    scratch.append(contentsOf: String(scalar).utf8)
                default:
                    return nil
                }
                run = i
            }
        }

        mutating func hex4() -> UInt32? {
            guard i + 4 <= n else { return nil }
            var v: UInt32 = 0
            for k in 0..<4 {
                let b = p[i + k]
                let d: UInt32
                switch b {
                case 0x30...0x39: d = UInt32(b - 0x30)
                case 0x41...0x46: d = UInt32(b - 0x41 + 10)
                case 0x61...0x66: d = UInt32(b - 0x61 + 10)
                default: return nil
                }
                v = v << 4 | d
            }
            i += 4
            return v
        }

        /// An integer of at most 18 digits without sign quirks (`0`, `42`, `-7`), as its decimal text.
        mutating func smallInteger() -> String? {
            let start = i
            if peek == 0x2D { i += 1 }
            let digits = i
            while i < n, p[i] >= 0x30 && p[i] <= 0x39 { i += 1 }
            let count = i - digits
            guard count >= 1 && count <= 18, !(count > 1 && p[digits] == 0x30), !(count == 1 && p[digits] == 0x30 && digits > start) else { return nil }
            // Not followed by a fraction or an exponent.
            if let next = peek, next == 0x2E || next == 0x65 || next == 0x45 { return nil }
            return String(decoding: UnsafeBufferPointer(start: p + start, count: i - start), as: UTF8.self)
        }

        /// Skips a string, number, `true`, `false` or `null`; false for anything else.
        mutating func skipScalarValue() -> Bool {
            guard let b = peek else { return false }
            switch b {
            case 0x22: return string() != nil
            case 0x74: return literal("true")
            case 0x66: return literal("false")
            case 0x6E: return literal("null")
            case 0x2D, 0x30...0x39: return skipNumber()
            default: return false
            }
        }

        /// JSON's number grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
        mutating func skipNumber() -> Bool {
            if peek == 0x2D { i += 1 }
            guard let first = peek, first >= 0x30 && first <= 0x39 else { return false }
            i += 1
            if first != 0x30 { while i < n, p[i] >= 0x30 && p[i] <= 0x39 { i += 1 } }
            if peek == 0x2E {
                i += 1
                let d = i
                while i < n, p[i] >= 0x30 && p[i] <= 0x39 { i += 1 }
                guard i > d else { return false }
            }
            if let e = peek, e == 0x65 || e == 0x45 {
                i += 1
                if let s = peek, s == 0x2B || s == 0x2D { i += 1 }
                let d = i
                while i < n, p[i] >= 0x30 && p[i] <= 0x39 { i += 1 }
                guard i > d else { return false }
            }
            return true
        }
    }
}
