#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How text becomes tokens. Training and prediction share one ``Tokenizer`` built from this value,
/// which is stored in every model file.
public struct TokenizerConfiguration: Sendable, Codable, Hashable {
    /// Which characters make a token.
    public enum Rule: String, Sendable, Codable, CaseIterable {
        /// Copydesk's rule for news copy (the default): runs of Unicode letters, digits and combining
        /// marks, joined across an apostrophe between letters (`don't`, `o'neill`; straight or curly),
        /// a hyphen inside a word (`4-decade-old`), a `.` or `,` between digits (`3.5`, `1,200`) and
        /// the dots of single-letter initialisms (`U.S.` → `u.s`). A possessive `'s` is dropped
        /// (`Assad's` → `assad`). Links (`http://…`, `www.…`) and e-mail addresses are one token each,
        /// or are dropped with ``Links/drop``. Compound tokens also yield their parts as extra
        /// unigrams (``TokenizerConfiguration/parts``).
        case news
        /// scikit-learn's default `token_pattern`, `(?u)\b\w\w+\b`: maximal runs of Unicode letters,
        /// numbers and `_`, nothing joined. With this rule Copydesk's TF-IDF values equal
        /// `TfidfVectorizer`'s (one intended difference: scikit-learn lowercases the whole text before
        /// matching, Copydesk each token after; they differ only for the few letters whose lowercase
        /// form gains a combining mark, such as `İ`).
        case scikitLearn = "scikit-learn"
    }

    /// What happens to links and e-mail addresses under the ``Rule/news`` rule.
    public enum Links: String, Sendable, Codable, CaseIterable {
        case keep, drop
    }

    public var rule: Rule
    public var lowercase: Bool
    public var links: Links
    /// Shorter tokens (counted in Unicode scalars) are dropped; 2 matches scikit-learn.
    public var minimumLength: Int
    /// Under the news rule, a compound token (hyphenated word, number with separators, initialism,
    /// link, e-mail address) also yields its alphanumeric parts as extra unigram features
    /// (``TokenList/partBytes``): `cs.cmu.edu` stays one token for n-grams and still counts `cmu`.
    public var parts: Bool

    public init(rule: Rule = .news, lowercase: Bool = true, links: Links = .keep, minimumLength: Int = 2,
                parts: Bool = true) {
        self.rule = rule
        self.lowercase = lowercase
        self.links = links
        self.minimumLength = minimumLength
        self.parts = parts
    }

    private enum CodingKeys: String, CodingKey { case rule, lowercase, links, minimumLength, parts }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(rule: try c.decode(Rule.self, forKey: .rule), lowercase: try c.decode(Bool.self, forKey: .lowercase),
                  links: try c.decode(Links.self, forKey: .links), minimumLength: try c.decode(Int.self, forKey: .minimumLength),
                  parts: try c.decodeIfPresent(Bool.self, forKey: .parts) ?? false)
    }
}

/// Tokens of one text, stored back to back in one byte buffer so that no `String` is made per token.
public struct TokenList: Sendable {
    /// Token bytes (normalised UTF-8), concatenated.
    public var bytes: [UInt8] = []
    /// `ends[i]` is one past the last byte of token `i`.
    public var ends: [Int] = []
    /// Parts of compound tokens (see ``TokenizerConfiguration/parts``), stored the same way.
    public var partBytes: [UInt8] = []
    public var partEnds: [Int] = []

    public init() {}

    public var count: Int { ends.count }

    /// The byte range of token `i` within ``bytes``.
    @inlinable
    public func range(_ i: Int) -> Range<Int> { (i == 0 ? 0 : ends[i - 1])..<ends[i] }

    public mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        partBytes.removeAll(keepingCapacity: true)
        partEnds.removeAll(keepingCapacity: true)
    }

    /// The byte range of part `i` within ``partBytes``.
    @inlinable
    public func partRange(_ i: Int) -> Range<Int> { (i == 0 ? 0 : partEnds[i - 1])..<partEnds[i] }

    public var partStrings: [String] {
        (0..<partEnds.count).map { String(decoding: partBytes[partRange($0)], as: UTF8.self) }
    }

    public func string(_ i: Int) -> String { String(decoding: bytes[range(i)], as: UTF8.self) }
    public var strings: [String] { (0..<count).map(string) }
}

/// A tokenizer over UTF-8 bytes (not `Character`s). Invalid UTF-8 is skipped byte by byte.
///
/// - Complexity: O(n) in the number of bytes; links and e-mails add one look-ahead over the same bytes.
public struct Tokenizer: Sendable {
    public let configuration: TokenizerConfiguration

    public init(_ configuration: TokenizerConfiguration = .init()) {
        self.configuration = configuration
    }

    /// The tokens of `text` as strings (convenient, allocates; hot paths use ``tokenize(_:into:)``).
    public func tokens(_ text: String) -> [String] {
        var list = TokenList()
        var copy = text
        copy.withUTF8 { tokenize($0, into: &list) }
        return list.strings
    }

    /// Appends the tokens of `text` to `tokens`.
    public func tokenize(_ text: UnsafeBufferPointer<UInt8>, into tokens: inout TokenList) {
        guard let base = text.baseAddress, text.count > 0 else { return }
        switch configuration.rule {
        case .news: scanNews(base, text.count, &tokens)
        case .scikitLearn: scanScikitLearn(base, text.count, &tokens)
        }
    }

    // MARK: - Character classes

    @usableFromInline
    enum CharClass: UInt8 { case other, letter, digit, mark, underscore }

    @inline(__always)
    static func classify(_ s: Unicode.Scalar) -> CharClass {
        let v = s.value
        if v < 0x80 {
            switch v {
            case 0x61...0x7A, 0x41...0x5A: return .letter
            case 0x30...0x39: return .digit
            case 0x5F: return .underscore
            default: return .other
            }
        }
        let p = s.properties
        switch p.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            return .letter
        case .decimalNumber, .letterNumber, .otherNumber:
            return .digit
        case .nonspacingMark, .spacingMark, .enclosingMark:
            return .mark
        default:
            // Python's str.isalnum() also accepts a few symbols with a numeric value (e.g. CJK numerals).
            return p.numericType != nil ? .digit : .other
        }
    }

    /// Appends `scalar`, lowercased when configured, and returns nothing; ASCII stays on a fast path.
    @inline(__always)
    func appendNormalised(_ scalar: Unicode.Scalar, _ out: inout [UInt8]) {
        let v = scalar.value
        if v < 0x80 {
            let b = UInt8(v)
            out.append(configuration.lowercase && b >= 0x41 && b <= 0x5A ? b | 0x20 : b)
        } else if configuration.lowercase && scalar.properties.changesWhenLowercased {
            out.append(contentsOf: scalar.properties.lowercaseMapping.utf8)
        } else {
            UTF8Scalars.append(scalar, to: &out)
        }
    }

    @inline(__always)
    func commit(_ tokens: inout TokenList, start: Int, scalars: Int, compound: Bool = false) {
        if scalars >= configuration.minimumLength && tokens.bytes.count > start {
            tokens.ends.append(tokens.bytes.count)
            if compound && configuration.parts { appendParts(&tokens, start) }
        } else {
            tokens.bytes.removeSubrange(start...)
        }
    }

    /// Splits the token that starts at `start` on ASCII punctuation other than the apostrophe and
    /// records the pieces that are long enough as parts.
    func appendParts(_ tokens: inout TokenList, _ start: Int) {
        let end = tokens.bytes.count
        var partStart = start
        var k = start
        func flush() {
            var scalars = 0
            for b in tokens.bytes[partStart..<k] where b & 0xC0 != 0x80 { scalars += 1 }
            if scalars >= configuration.minimumLength && !(partStart == start && k == end) {
                tokens.partBytes.append(contentsOf: tokens.bytes[partStart..<k])
                tokens.partEnds.append(tokens.partBytes.count)
            }
        }
        while k < end {
            let b = tokens.bytes[k]
            let separator = b < 0x80 && b != 0x27 && !((b >= 0x30 && b <= 0x39) || (b | 0x20 >= 0x61 && b | 0x20 <= 0x7A))
            if separator {
                flush()
                partStart = k + 1
            }
            k += 1
        }
        flush()
    }

    // MARK: - scikit-learn rule

    func scanScikitLearn(_ p: UnsafePointer<UInt8>, _ n: Int, _ tokens: inout TokenList) {
        var i = 0
        var start = -1, scalars = 0
        while i < n {
            let (s, len) = UTF8Scalars.decode(p, at: i, count: n)
            let cls = s.map(Tokenizer.classify) ?? .other
            if cls == .letter || cls == .digit || cls == .underscore, let s {
                if start < 0 { start = tokens.bytes.count; scalars = 0 }
                appendNormalised(s, &tokens.bytes)
                scalars += 1
            } else if start >= 0 {
                commit(&tokens, start: start, scalars: scalars)
                start = -1
            }
            i += len
        }
        if start >= 0 { commit(&tokens, start: start, scalars: scalars) }
    }

    // MARK: - news rule

    func scanNews(_ p: UnsafePointer<UInt8>, _ n: Int, _ tokens: inout TokenList) {
        let mayHaveEmail = memchr(p, 0x40, n) != nil
        // End of the last local-part run known not to end in "@", so each byte is looked at once.
        var noEmailBefore = 0
        var i = 0
        while i < n {
            let (s, len) = UTF8Scalars.decode(p, at: i, count: n)
            guard let s else { i += len; continue }
            let cls = Tokenizer.classify(s)
            guard cls == .letter || cls == .digit else { i += len; continue }
            var end = Tokenizer.linkEnd(p, i, n)
            if end == nil && mayHaveEmail && i >= noEmailBefore {
                end = Tokenizer.emailEnd(p, i, n, runEnd: &noEmailBefore)
            }
            if let end {
                if configuration.links == .keep {
                    let start = tokens.bytes.count
                    for k in i..<end {
                        let b = p[k]
                        tokens.bytes.append(configuration.lowercase && b >= 0x41 && b <= 0x5A ? b | 0x20 : b)
                    }
                    commit(&tokens, start: start, scalars: end - i, compound: true)
                }
                i = end
                continue
            }
            i = scanWord(p, i, n, &tokens)
        }
    }

    /// Scans one word starting at `i` (a letter or digit), appends it if long enough, returns the end.
    @inline(__always)
    func scanWord(_ p: UnsafePointer<UInt8>, _ i0: Int, _ n: Int, _ tokens: inout TokenList) -> Int {
        let start = tokens.bytes.count
        // Fast path: ASCII letters and digits ended by ASCII that cannot join (not ' - . ,).
        var j = i0
        while j < n && Tokenizer.isASCIIAlphanumeric(p[j]) { j += 1 }
        if j == n || (p[j] < 0x80 && p[j] != 0x27 && p[j] != 0x2D && p[j] != 0x2E && p[j] != 0x2C) {
            if j - i0 >= configuration.minimumLength {
                tokens.bytes.append(contentsOf: UnsafeBufferPointer(start: p + i0, count: j - i0))
                if configuration.lowercase {
                    tokens.bytes.withUnsafeMutableBufferPointer { b in
                        for k in start..<b.count where b[k] &- 0x41 < 26 { b[k] |= 0x20 }
                    }
                }
                tokens.ends.append(tokens.bytes.count)
            }
            return j
        }
        var i = i0
        var scalars = 0
        var segmentLength = 0
        var last: CharClass = .other
        var joined = false
        while i < n {
            // A run of ASCII letters and digits is copied at once (the common case).
            var j = i
            while j < n && Tokenizer.isASCIIAlphanumeric(p[j]) { j += 1 }
            if j > i {
                let from = tokens.bytes.count
                tokens.bytes.append(contentsOf: UnsafeBufferPointer(start: p + i, count: j - i))
                if configuration.lowercase {
                    tokens.bytes.withUnsafeMutableBufferPointer { b in
                        for k in from..<b.count where b[k] >= 0x41 && b[k] <= 0x5A { b[k] |= 0x20 }
                    }
                }
                scalars += j - i
                segmentLength += j - i
                last = p[j - 1] <= 0x39 ? .digit : .letter
                i = j
                if i == n { break }
            }
            let (s, len) = UTF8Scalars.decode(p, at: i, count: n)
            guard let s else { break }
            let cls = Tokenizer.classify(s)
            if cls == .letter || cls == .digit || (cls == .mark && scalars > 0) {
                appendNormalised(s, &tokens.bytes)
                scalars += 1
                if cls != .mark { segmentLength += 1; last = cls }
                i += len
                continue
            }
            // A connector joins only when a word character follows it.
            let next = i + len < n ? UTF8Scalars.decode(p, at: i + len, count: n) : (nil, 1)
            guard let after = next.0 else { break }
            let afterClass = Tokenizer.classify(after)
            guard afterClass == .letter || afterClass == .digit else { break }
            var joiner: UInt8 = 0
            switch s.value {
            case 0x27, 0x2019, 0x02BC:  // apostrophes, straight and curly
                if last == .letter && afterClass == .letter { joiner = 0x27 }
            case 0x2D, 0x2010, 0x2011:  // hyphens
                joiner = 0x2D
            case 0x2E, 0x2C:  // . and , inside numbers
                if last == .digit && afterClass == .digit {
                    joiner = UInt8(s.value)
                } else if s.value == 0x2E && last == .letter && segmentLength == 1 && afterClass == .letter {
                    // Initialisms: a single letter, a dot, a single letter (U.S., a.m., U.N.).
                    let k = i + len + next.1
                    let third = k < n ? UTF8Scalars.decode(p, at: k, count: n).0 : nil
                    let thirdClass = third.map(Tokenizer.classify) ?? .other
                    if thirdClass != .letter && thirdClass != .digit { joiner = 0x2E }
                }
            default:
                break
            }
            if joiner == 0 { break }
            joined = joined || joiner != 0x27
            tokens.bytes.append(joiner)
            segmentLength = 0
            i += len
        }
        // Drop a possessive 's (after an apostrophe join).
        let b = tokens.bytes.count
        if b - start >= 3 && tokens.bytes[b - 2] == 0x27 && tokens.bytes[b - 1] == 0x73 {
            tokens.bytes.removeLast(2)
            scalars -= 1
        }
        commit(&tokens, start: start, scalars: scalars, compound: joined)
        return i
    }

    @inline(__always)
    static func isASCIIAlphanumeric(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b | 0x20 >= 0x61 && b | 0x20 <= 0x7A)
    }

    /// If a link (`http://`, `https://`, `www.`) starts at `i`, the index one past its end.
    static func linkEnd(_ p: UnsafePointer<UInt8>, _ i: Int, _ n: Int) -> Int? {
        @inline(__always) func has(_ prefix: StaticString) -> Bool {
            let m = prefix.utf8CodeUnitCount
            guard i + m <= n else { return false }
            let q = prefix.utf8Start
            for k in 0..<m where p[i + k] | 0x20 != q[k] { return false }
            return true
        }
        let first = p[i] | 0x20
        guard first == 0x68 && (has("http://") || has("https://")) || first == 0x77 && has("www.") else { return nil }
        var j = i
        while j < n, p[j] > 0x20, p[j] != 0x3C, p[j] != 0x3E, p[j] != 0x22 { j += 1 }
        while j > i, [0x2E, 0x2C, 0x3B, 0x3A, 0x21, 0x3F, 0x29, 0x27].contains(p[j - 1]) { j -= 1 }
        return j
    }

    /// If an e-mail address starts at `i`, the index one past its end. Otherwise nil, and `runEnd` is
    /// set past the local-part characters scanned, none of which can start an address either.
    static func emailEnd(_ p: UnsafePointer<UInt8>, _ i: Int, _ n: Int, runEnd: inout Int) -> Int? {
        @inline(__always) func isAlnum(_ b: UInt8) -> Bool {
            (b >= 0x30 && b <= 0x39) || (b | 0x20 >= 0x61 && b | 0x20 <= 0x7A)
        }
        var j = i
        while j < n, isAlnum(p[j]) || p[j] == 0x2E || p[j] == 0x5F || p[j] == 0x25 || p[j] == 0x2B || p[j] == 0x2D { j += 1 }
        guard j < n, p[j] == 0x40, j > i else { runEnd = j; return nil }
        var k = j + 1
        var lastDot = -1
        while k < n {
            let b = p[k]
            if isAlnum(b) || b == 0x2D { k += 1 }
            else if b == 0x2E && k > j + 1 && p[k - 1] != 0x2E { lastDot = k; k += 1 }
            else { break }
        }
        while k > j + 1, p[k - 1] == 0x2E || p[k - 1] == 0x2D { k -= 1 }
        guard lastDot > j + 1, lastDot < k - 1 else { runEnd = j; return nil }
        return k
    }
}
