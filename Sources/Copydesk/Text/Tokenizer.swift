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
///
/// The storage is raw memory reused across texts (``removeAll()`` keeps it), written by the
/// tokenizer through a `TokenWriter` without per-byte bookkeeping. A copy of a list shares the
/// storage until one of them is written (copy on write).
public struct TokenList: @unchecked Sendable {
    final class Storage {
        var tokens = SegmentBuffer(bytes: 64, segments: 16)
        /// Parts of compound tokens (``TokenizerConfiguration/parts``).
        var parts = SegmentBuffer(bytes: 16, segments: 4)

        init() {}

        init(copying other: Storage) {
            tokens.deallocate()
            parts.deallocate()
            tokens = other.tokens.copy()
            parts = other.parts.copy()
        }

        deinit {
            tokens.deallocate()
            parts.deallocate()
        }
    }

    var storage = Storage()

    public init() {}

    public var count: Int { storage.tokens.count }
    public var partCount: Int { storage.parts.count }

    /// Token bytes (normalised UTF-8), concatenated (a copy; hot paths use ``withBytes(_:)``).
    public var bytes: [UInt8] { Array(UnsafeBufferPointer(start: storage.tokens.bytes, count: storage.tokens.byteCount)) }
    /// `ends[i]` is one past the last byte of token `i`.
    public var ends: [Int] { Array(UnsafeBufferPointer(start: storage.tokens.bounds + 1, count: storage.tokens.count)) }
    /// Parts of compound tokens (see ``TokenizerConfiguration/parts``), stored the same way.
    public var partBytes: [UInt8] { Array(UnsafeBufferPointer(start: storage.parts.bytes, count: storage.parts.byteCount)) }
    public var partEnds: [Int] { Array(UnsafeBufferPointer(start: storage.parts.bounds + 1, count: storage.parts.count)) }

    /// The byte range of token `i` within ``bytes``.
    public func range(_ i: Int) -> Range<Int> { storage.tokens.range(i) }

    /// The byte range of part `i` within ``partBytes``.
    public func partRange(_ i: Int) -> Range<Int> { storage.parts.range(i) }

    /// Calls `body` with the token bytes, valid for the duration of the call.
    public func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: storage.tokens.bytes, count: storage.tokens.byteCount))
    }

    /// Bytes held by the storage.
    var retainedBytes: Int { storage.tokens.retainedBytes + storage.parts.retainedBytes }

    public mutating func removeAll() {
        if isKnownUniquelyReferenced(&storage) {
            storage.tokens.byteCount = 0; storage.tokens.count = 0
            storage.parts.byteCount = 0; storage.parts.count = 0
        } else {
            storage = Storage()
        }
    }

    /// A writer appending to this list, with room reserved for the tokens of `inputBytes` more bytes
    /// of text (it grows further if needed). ``TokenWriter/finish()`` stores what was written.
    mutating func writer(inputBytes n: Int) -> TokenWriter {
        if !isKnownUniquelyReferenced(&storage) { storage = Storage(copying: storage) }
        storage.tokens.reserve(bytes: storage.tokens.byteCount + n + 16, segments: storage.tokens.count + n / 2 + 2)
        return TokenWriter(storage)
    }

    public var partStrings: [String] { (0..<storage.parts.count).map(storage.parts.string) }
    public func string(_ i: Int) -> String { storage.tokens.string(i) }
    public var strings: [String] { (0..<count).map(string) }
}

/// Appends tokens to a ``TokenList``'s storage through raw pointers held in local variables, so
/// that an appended byte is one store (no uniqueness or exclusivity checks). Room is checked per
/// token or scalar, and the storage grows when needed. Counts go back to the storage in ``finish()``.
struct TokenWriter {
    private let storage: TokenList.Storage
    private var tokens: SegmentBuffer
    private var parts: SegmentBuffer

    init(_ storage: TokenList.Storage) {
        self.storage = storage
        tokens = storage.tokens
        parts = storage.parts
    }

    var bytes: UnsafeMutablePointer<UInt8> { tokens.bytes }
    var byteCount: Int { tokens.byteCount }

    /// Makes room for `n` more bytes.
    @inline(__always)
    mutating func reserve(_ n: Int) {
        if tokens.byteCount + n > tokens.byteCapacity { tokens.reserve(bytes: tokens.byteCount + n, segments: 0) }
    }

    /// Appends one byte.
    @inline(__always)
    mutating func append(_ b: UInt8) {
        reserve(1)
        tokens.bytes[tokens.byteCount] = b
        tokens.byteCount += 1
    }

    /// Appends `n` bytes from `p`, lowercasing ASCII letters when `lowercase` is set.
    @inline(__always)
    mutating func append(_ p: UnsafePointer<UInt8>, _ n: Int, lowercase: Bool) {
        reserve(n)
        let out = tokens.bytes + tokens.byteCount
        if lowercase {
            for k in 0..<n { let b = p[k]; out[k] = b &- 0x41 < 26 ? b | 0x20 : b }
        } else {
            out.update(from: p, count: n)
        }
        tokens.byteCount += n
    }

    /// Keeps `n` bytes written past the end (into room reserved for them) as appended.
    @inline(__always)
    mutating func advance(_ n: Int) {
        precondition(tokens.byteCount + n <= tokens.byteCapacity)
        tokens.byteCount += n
    }

    @inline(__always)
    func byte(_ i: Int) -> UInt8 { tokens.bytes[i] }

    /// Drops the bytes from `n` on (an abandoned token).
    @inline(__always)
    mutating func truncate(_ n: Int) { tokens.byteCount = n }

    /// Ends the token made of the bytes since the end of the previous one.
    @inline(__always)
    mutating func endToken() {
        if tokens.count == tokens.capacity { tokens.reserve(bytes: 0, segments: tokens.count + 1) }
        tokens.endSegment()
    }

    /// Records bytes `from..<to` of the current token buffer as a part of a compound token.
    mutating func appendPart(_ from: Int, _ to: Int) {
        let n = to - from
        parts.reserve(bytes: parts.byteCount + n, segments: parts.count + 1)
        (parts.bytes + parts.byteCount).update(from: tokens.bytes + from, count: n)
        parts.byteCount += n
        parts.endSegment()
    }

    /// Stores what was written (and any grown buffers) in the list's storage.
    func finish() {
        storage.tokens = tokens
        storage.parts = parts
    }
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
        var writer = tokens.writer(inputBytes: text.count)
        switch configuration.rule {
        case .news: scanNews(base, text.count, &writer)
        case .scikitLearn: scanScikitLearn(base, text.count, &writer)
        }
        writer.finish()
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
        return classifyNonASCII(s)
    }

    /// The Unicode part of ``classify(_:)``, out of line: `Unicode.Scalar.Properties` and its
    /// categories are resilient types whose metadata a function must fetch on entry when they are
    /// inlined into it — the word scanners paid that on every word, ASCII or not.
    @inline(never)
    static func classifyNonASCII(_ s: Unicode.Scalar) -> CharClass {
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

    /// Appends `scalar` (whose `length` UTF-8 bytes are at `source`), lowercased when configured;
    /// ASCII stays on a fast path.
    @inline(__always)
    func appendNormalised(_ scalar: Unicode.Scalar, _ source: UnsafePointer<UInt8>, _ length: Int,
                          _ out: inout TokenWriter) {
        let v = scalar.value
        if v < 0x80 {
            let b = UInt8(v)
            out.append(configuration.lowercase && b >= 0x41 && b <= 0x5A ? b | 0x20 : b)
        } else {
            appendNonASCII(scalar, source, length, &out)
        }
    }

    /// The non-ASCII part of ``appendNormalised(_:_:_:_:)``, out of line for the reason given on
    /// ``classifyNonASCII(_:)``.
    @inline(never)
    func appendNonASCII(_ scalar: Unicode.Scalar, _ source: UnsafePointer<UInt8>, _ length: Int, _ out: inout TokenWriter) {
        if configuration.lowercase && scalar.properties.changesWhenLowercased {
            for b in scalar.properties.lowercaseMapping.utf8 { out.append(b) }
        } else {
            out.append(source, length, lowercase: false)
        }
    }

    @inline(__always)
    func commit(_ tokens: inout TokenWriter, start: Int, scalars: Int, compound: Bool = false) {
        if scalars >= configuration.minimumLength && tokens.byteCount > start {
            tokens.endToken()
            if compound && configuration.parts { appendParts(&tokens, start) }
        } else {
            tokens.truncate(start)
        }
    }

    /// Splits the token that ends the writer and starts at `start` on ASCII punctuation other than
    /// the apostrophe, and records the pieces that are long enough as parts.
    func appendParts(_ tokens: inout TokenWriter, _ start: Int) {
        let end = tokens.byteCount
        var partStart = start
        var k = start
        func flush() {
            var scalars = 0
            for i in partStart..<k where tokens.byte(i) & 0xC0 != 0x80 { scalars += 1 }
            if scalars >= configuration.minimumLength && !(partStart == start && k == end) {
                tokens.appendPart(partStart, k)
            }
        }
        while k < end {
            let b = tokens.byte(k)
            let separator = b < 0x80 && b != 0x27 && !Tokenizer.isASCIIAlphanumeric(b)
            if separator {
                flush()
                partStart = k + 1
            }
            k += 1
        }
        flush()
    }

    // MARK: - scikit-learn rule

    func scanScikitLearn(_ p: UnsafePointer<UInt8>, _ n: Int, _ tokens: inout TokenWriter) {
        var i = 0
        var start = -1, scalars = 0
        while i < n {
            let (s, len) = UTF8Scalars.decode(p, at: i, count: n)
            let cls = s.map(Tokenizer.classify) ?? .other
            if cls == .letter || cls == .digit || cls == .underscore, let s {
                if start < 0 { start = tokens.byteCount; scalars = 0 }
                appendNormalised(s, p + i, len, &tokens)
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

    func scanNews(_ p: UnsafePointer<UInt8>, _ n: Int, _ tokens: inout TokenWriter) {
        // The next "@" at or after `i` (n when none is left), and where the run of local-part
        // bytes that ends at it starts: an address can start at `i` only inside that run, as the
        // scan of a local part stops at the first byte that is not one, which must be that "@".
        var nextAt = Tokenizer.find(0x40, p, from: 0, n)
        var atRunStart = Tokenizer.localPartStart(p, before: nextAt, n)
        // End of the last local-part run known not to end in "@", so each byte is looked at once.
        var noEmailBefore = 0
        var i = 0
        while i < n {
            if p[i] < 0x80 {
                if !Tokenizer.isASCIIAlphanumeric(p[i]) { i += 1; continue }
            } else {
                let (s, len) = UTF8Scalars.decode(p, at: i, count: n)
                guard let s else { i += len; continue }
                let cls = Tokenizer.classify(s)
                guard cls == .letter || cls == .digit else { i += len; continue }
            }
            // Links start with h or w.
            let first = p[i] | 0x20
            var end = first == 0x68 || first == 0x77 ? Tokenizer.linkEnd(p, i, n) : nil
            if end == nil && i >= noEmailBefore {
                if nextAt < i {
                    nextAt = Tokenizer.find(0x40, p, from: i, n)
                    atRunStart = Tokenizer.localPartStart(p, before: nextAt, n)
                }
                if nextAt < n && i >= atRunStart { end = Tokenizer.emailEnd(p, i, n, runEnd: &noEmailBefore) }
            }
            if let end {
                if configuration.links == .keep {
                    let start = tokens.byteCount
                    tokens.append(p + i, end - i, lowercase: configuration.lowercase)
                    commit(&tokens, start: start, scalars: end - i, compound: true)
                }
                i = end
                continue
            }
            i = scanWord(p, i, n, &tokens)
        }
    }

    /// Where the run of local-part bytes (those ``emailEnd(_:_:_:runEnd:)`` accepts before the "@")
    /// that ends at `at` starts; `n` when `at` is `n`.
    static func localPartStart(_ p: UnsafePointer<UInt8>, before at: Int, _ n: Int) -> Int {
        guard at < n else { return n }
        var s = at
        while s > 0 && isLocalPartByte(p[s - 1]) { s -= 1 }
        return s
    }

    @inline(__always)
    static func isLocalPartByte(_ b: UInt8) -> Bool {
        isASCIIAlphanumeric(b) || b == 0x2E || b == 0x5F || b == 0x25 || b == 0x2B || b == 0x2D
    }

    /// The index of the first `byte` in `from..<n`, or `n`.
    static func find(_ byte: UInt8, _ p: UnsafePointer<UInt8>, from: Int, _ n: Int) -> Int {
        guard from < n, let hit = memchr(p + from, Int32(byte), n - from) else { return n }
        return p.distance(to: hit.assumingMemoryBound(to: UInt8.self))
    }

    /// Scans one word starting at `i` (a letter or digit), appends it if long enough, returns the end.
    @inline(__always)
    func scanWord(_ p: UnsafePointer<UInt8>, _ i0: Int, _ n: Int, _ tokens: inout TokenWriter) -> Int {
        let start = tokens.byteCount
        // Fast path: ASCII letters and digits ended by ASCII that cannot join (not ' - . ,), copied
        // (lowercased) as they are scanned; kept only if the word does end that way.
        tokens.reserve(n - i0)
        let j = i0 + Kernels.asciiWord(p + i0, count: n - i0, into: tokens.bytes + start, lowercase: configuration.lowercase)
        // A connector (' - . ,) joins only when a word character follows it: "said, the" and
        // "ends. The" end here too.
        if j == n || (p[j] < 0x80 && (!Tokenizer.isConnector(p[j])
                                      || j + 1 == n || (p[j + 1] < 0x80 && !Tokenizer.isASCIIAlphanumeric(p[j + 1])))) {
            if j - i0 >= configuration.minimumLength {
                tokens.advance(j - i0)
                tokens.endToken()
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
                tokens.append(p + i, j - i, lowercase: configuration.lowercase)
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
                appendNormalised(s, p + i, len, &tokens)
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
            tokens.append(joiner)
            segmentLength = 0
            i += len
        }
        // Drop a possessive 's (after an apostrophe join).
        let b = tokens.byteCount
        if b - start >= 3 && tokens.byte(b - 2) == 0x27 && tokens.byte(b - 1) == 0x73 {
            tokens.truncate(b - 2)
            scalars -= 1
        }
        commit(&tokens, start: start, scalars: scalars, compound: joined)
        return i
    }

    /// The ASCII bytes that may join two runs of word characters into one token: ' - . ,
    @inline(__always)
    static func isConnector(_ b: UInt8) -> Bool { b == 0x27 || b == 0x2D || b == 0x2E || b == 0x2C }

    @inline(__always)
    static func isASCIIAlphanumeric(_ b: UInt8) -> Bool {
        b &- 0x30 < 10 || (b | 0x20) &- 0x61 < 26
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
        var j = i
        while j < n, isLocalPartByte(p[j]) { j += 1 }
        guard j < n, p[j] == 0x40, j > i else { runEnd = j; return nil }
        var k = j + 1
        var lastDot = -1
        while k < n {
            let b = p[k]
            if isASCIIAlphanumeric(b) || b == 0x2D { k += 1 }
            else if b == 0x2E && k > j + 1 && p[k - 1] != 0x2E { lastDot = k; k += 1 }
            else { break }
        }
        while k > j + 1, p[k - 1] == 0x2E || p[k - 1] == 0x2D { k -= 1 }
        guard lastDot > j + 1, lastDot < k - 1 else { runEnd = j; return nil }
        return k
    }
}
