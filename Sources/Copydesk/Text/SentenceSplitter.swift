#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One sentence with its place in the original text.
public struct Sentence: Sendable, Equatable {
    public var text: String
    /// UTF-8 byte offsets of the sentence in the text it was split from.
    public var range: Range<Int>
    /// Index of the paragraph (block separated by line breaks) it belongs to.
    public var paragraph: Int

    /// The sentence's range as string indices of `source`, for highlighting.
    public func characterRange(in source: String) -> Range<String.Index> {
        let u = source.utf8
        return u.index(u.startIndex, offsetBy: range.lowerBound)..<u.index(u.startIndex, offsetBy: range.upperBound)
    }
}

/// A rule-based sentence splitter for news copy that keeps each sentence's range in the original.
///
/// Paragraphs first: a blank line always ends one; a single line break does too unless the text is
/// hard-wrapped (most lines long and continued on the next line, as in e-mail). Within a paragraph,
/// a candidate end is a run of `.`, `?`, `!` or `…`, then any closing quotes or brackets, then
/// white space. A `?`, `!` or ellipsis ends the sentence when the next word is capitalised (or a
/// digit or quote follows, for `?` and `!`). A period ends it unless the next word is lowercase, or
/// the word before it is an abbreviation (see ``AbbreviationList`` for the three kinds), a single
/// capital initial, or an abbreviation before a number (`No. 5`, `p. 55`) — those end a sentence only
/// before a common sentence opener. Special cases of news copy and citations:
/// - `A.M.`/`P.M.` in capitals end a sentence before any capitalised word ("at 6 P.M. Mr. Smith then
///   went"); in lower case only before a sentence opener ("at 5 a.m. Mr. Smith went");
/// - a link or e-mail address ends a sentence before a capitalised word;
/// - `I.` after a lower-case word ends one ("you and I. Did"), an initial after a name does not
///   ("Albert I. Jones");
/// - ellipses: a spaced `. . .` marks an omission inside a sentence, four dots (`. . . .`, `....`)
///   an omission and the sentence's end, except that a period closing a word followed by a spaced
///   `. . .` and a capital ends the sentence there and the ellipsis opens the next; `[...]` never ends one, nor does a closing quote followed
///   by a bracketed citation (`"…" (Smith 55).`);
/// - enumerations inside one paragraph (`1.) … 2.) …`, `1) …`, `1. …`, `a. …`, `• 9. …`) split before
///   each item when the paragraph opens with the first of a run of consecutive markers, and a
///   marker's own period never ends a sentence.
/// Full-width `。！？` always end one. Sentences never cross paragraphs.
///
/// - Complexity: O(n) in the bytes of the text.
public struct SentenceSplitter: Sendable {
    public struct Configuration: Sendable {
        public var abbreviations: AbbreviationList
        public init(abbreviations: AbbreviationList = .english) { self.abbreviations = abbreviations }
    }

    public let configuration: Configuration

    public init(_ configuration: Configuration = .init()) { self.configuration = configuration }

    public func split(_ text: String) -> [Sentence] {
        var copy = text
        return copy.withUTF8 { bytes in
            guard let base = bytes.baseAddress, !bytes.isEmpty else { return [] }
            var out: [Sentence] = []
            for (index, block) in paragraphs(base, bytes.count).enumerated() {
                splitBlock(base, block, paragraph: index, into: &out)
            }
            return out
        }
    }

    // MARK: - Paragraphs

    /// Byte ranges of the paragraphs, trimmed, non-empty.
    func paragraphs(_ p: UnsafePointer<UInt8>, _ n: Int) -> [Range<Int>] {
        var lines: [Range<Int>] = []
        var start = 0
        while start < n, let hit = memchr(p + start, 0x0A, n - start) {
            let i = p.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            lines.append(start..<i)
            start = i + 1
        }
        lines.append(start..<n)
        let trimmed = lines.map { trim(p, $0) }
        // Hard-wrapped text: most non-blank lines are long and continue on the next line.
        var long = 0, nonBlank = 0
        for (k, line) in trimmed.enumerated() where !line.isEmpty {
            nonBlank += 1
            let continued = k + 1 < trimmed.count && !trimmed[k + 1].isEmpty
            if line.count >= 55 && line.count <= 100 && continued && !endsSentence(p, line) { long += 1 }
        }
        let wrapped = nonBlank >= 4 && long * 10 >= nonBlank * 3
        var blocks: [Range<Int>] = []
        var current: Range<Int>?
        for line in trimmed {
            if line.isEmpty {
                if let c = current { blocks.append(c) }
                current = nil
            } else if wrapped, let c = current {
                current = c.lowerBound..<line.upperBound
            } else {
                if let c = current { blocks.append(c) }
                current = line
            }
        }
        if let c = current { blocks.append(c) }
        return blocks
    }

    func trim(_ p: UnsafePointer<UInt8>, _ r: Range<Int>) -> Range<Int> {
        var a = r.lowerBound, b = r.upperBound
        while a < b, isSpace(p, a, b) { a += spaceLength(p, a, b) }
        while b > a, p[b - 1] == 0x20 || p[b - 1] == 0x09 || p[b - 1] == 0x0D || p[b - 1] == 0x0A { b -= 1 }
        // Trailing non-breaking space (C2 A0).
        while b - 2 >= a, p[b - 2] == 0xC2, p[b - 1] == 0xA0 { b -= 2 }
        return a..<b
    }

    @inline(__always) func isSpace(_ p: UnsafePointer<UInt8>, _ i: Int, _ end: Int) -> Bool {
        let b = p[i]
        return b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A || b == 0x0B || b == 0x0C
            || (b == 0xC2 && i + 1 < end && p[i + 1] == 0xA0)
    }

    @inline(__always) func spaceLength(_ p: UnsafePointer<UInt8>, _ i: Int, _ end: Int) -> Int {
        p[i] == 0xC2 ? 2 : 1
    }

    func endsSentence(_ p: UnsafePointer<UInt8>, _ line: Range<Int>) -> Bool {
        var j = line.upperBound
        while j > line.lowerBound {
            let (s, len) = lastScalar(p, line.lowerBound, j)
            if let s, SentenceSplitter.isClosing(s) { j -= len; continue }
            if let s { return SentenceSplitter.isTerminator(s) }
            return false
        }
        return false
    }

    // MARK: - Character classes

    static func isTerminator(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x2E, 0x3F, 0x21, 0x2026, 0x3002, 0xFF01, 0xFF1F, 0x203C, 0x2047, 0x2048, 0x2049: true
        default: false
        }
    }

    static func isClosing(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x22, 0x27, 0x29, 0x5D, 0x7D, 0x201D, 0x2019, 0xBB, 0x203A, 0x300D, 0x300F: true
        default: false
        }
    }

    static func isOpening(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x22, 0x27, 0x28, 0x5B, 0x7B, 0x201C, 0x2018, 0xAB, 0x2039, 0x300C, 0x300E: true
        default: false
        }
    }

    /// The scalar that ends just before `end`, and its length.
    func lastScalar(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> (Unicode.Scalar?, Int) {
        var k = end - 1
        while k > start && p[k] & 0xC0 == 0x80 && end - k < 4 { k -= 1 }
        let (s, len) = UTF8Scalars.decode(p, at: k, count: end)
        return k + len == end ? (s, len) : (nil, 1)
    }

    // MARK: - Sentences in one paragraph

    func splitBlock(_ p: UnsafePointer<UInt8>, _ block: Range<Int>, paragraph: Int, into out: inout [Sentence]) {
        let end = block.upperBound
        var sentenceStart = block.lowerBound
        var i = block.lowerBound
        func emit(_ upTo: Int) {
            let r = trim(p, sentenceStart..<upTo)
            if !r.isEmpty {
                let text = String(decoding: UnsafeBufferPointer(start: p + r.lowerBound, count: r.count), as: UTF8.self)
                out.append(Sentence(text: text, range: r, paragraph: paragraph))
            }
        }
        let markers = listMarkers(p, block)
        var nextMarker = markers.isEmpty ? 0 : 1  // the first marker opens the paragraph
        while i < end {
            // Most bytes are ASCII and no terminator: passed over up to the next list marker.
            let stop = nextMarker < markers.count ? markers[nextMarker].lowerBound : end
            while i < stop, p[i] < 0x80, p[i] != 0x2E, p[i] != 0x3F, p[i] != 0x21 { i += 1 }
            if i >= end { break }
            if nextMarker < markers.count, i >= markers[nextMarker].lowerBound {
                // The next item of an enumeration starts a sentence.
                emit(markers[nextMarker].lowerBound)
                sentenceStart = markers[nextMarker].lowerBound
                i = markers[nextMarker].upperBound
                nextMarker += 1
                continue
            }
            if !markers.isEmpty, let m = markers.first(where: { $0.contains(i) }) {
                i = m.upperBound  // a marker's own period
                continue
            }
            let (s, len) = UTF8Scalars.decode(p, at: i, count: end)
            guard let s, SentenceSplitter.isTerminator(s) else { i += len; continue }
            // A run of terminators (periods may be spaced: ". . ."), then closing quotes and brackets.
            let runStart = i
            var j = i
            var sawQuestionOrBang = false, sawEllipsis = false, periods = 0, always = false, spaced = false
            while j < end {
                let (t, tl) = UTF8Scalars.decode(p, at: j, count: end)
                guard let t, SentenceSplitter.isTerminator(t) else {
                    if t == " ", periods > 0, j + 1 < end, p[j + 1] == 0x2E, p[j - 1] == 0x2E {
                        spaced = true
                        j += 1
                        continue
                    }
                    break
                }
                switch t.value {
                case 0x2E: periods += 1
                case 0x2026: sawEllipsis = true
                case 0x3002, 0xFF01, 0xFF1F: always = true
                default: sawQuestionOrBang = true
                }
                j += tl
            }
            if periods >= 2 { sawEllipsis = true }
            // "[...]" and "(...)": an omission inside a quotation.
            if sawEllipsis, runStart > block.lowerBound, p[runStart - 1] == 0x5B || p[runStart - 1] == 0x28 {
                i = j
                continue
            }
            var k = j
            while k < end {
                let (c, cl) = UTF8Scalars.decode(p, at: k, count: end)
                guard let c, SentenceSplitter.isClosing(c) else { break }
                k += cl
            }
            if k >= end { break }  // the paragraph's end closes the sentence anyway
            guard always || isSpace(p, k, end) else { i = j; continue }
            let next = nextWord(p, k, end)
            let boundary: Bool
            if always {
                boundary = true
            } else if next.citation && k > j {
                boundary = false  // "…" (Smith 55).
            } else if sawQuestionOrBang {
                boundary = next.upper || next.digit || next.quoted
            } else if sawEllipsis {
                if spaced, periods == 4, next.upper, runStart > block.lowerBound, !isSpace(p, runStart - 1, end),
                   isSpace(p, runStart + 1, end) {
                    // "compounds. . . . The practice": the word's own period ends the sentence and the
                    // spaced ellipsis opens the next one (an omission at its start).
                    emit(runStart + 1)
                    sentenceStart = runStart + 1
                    i = k
                    continue
                }
                // A spaced three-dot ellipsis is an omission inside the sentence; four dots end it.
                boundary = next.upper && !(spaced && periods == 3)
            } else {
                boundary = periodEndsSentence(previousWord(p, block.lowerBound, runStart), next,
                                              wordBefore: wordBefore(p, block.lowerBound, runStart))
            }
            if boundary {
                emit(k)
                sentenceStart = k
            }
            i = k
        }
        emit(end)
    }

    struct NextWord {
        var upper = false, lower = false, digit = false, quoted = false
        /// The next word opens a bracketed citation: `(Smith 55)`.
        var citation = false
        var word = ""
    }

    /// What follows the white space after position `k`.
    func nextWord(_ p: UnsafePointer<UInt8>, _ k0: Int, _ end: Int) -> NextWord {
        var k = k0
        while k < end, isSpace(p, k, end) { k += spaceLength(p, k, end) }
        var w = NextWord()
        w.citation = k < end && p[k] == 0x28
        while k < end {
            let (s, len) = UTF8Scalars.decode(p, at: k, count: end)
            guard let s, SentenceSplitter.isOpening(s) else { break }
            w.quoted = true
            k += len
        }
        guard k < end else { return w }
        let (first, _) = UTF8Scalars.decode(p, at: k, count: end)
        guard let first else { return w }
        if first.isASCII {
            // What the Unicode properties below say of ASCII, without their table lookups.
            let b = UInt8(first.value)
            w.upper = b &- 0x41 < 26
            w.lower = b &- 0x61 < 26
            w.digit = b &- 0x30 < 10
        } else {
            let props = first.properties
            w.upper = props.isUppercase || props.generalCategory == .titlecaseLetter
            w.lower = props.isLowercase
            w.digit = props.numericType != nil
        }
        // Letters of the word, for the sentence-opener check.
        w.word = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { letters in
            var n = 0
            while k < end, n < 24 {
                let b = p[k]
                guard (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) else { break }
                letters[n] = b | 0x20
                n += 1
                k += 1
            }
            return String(decoding: UnsafeBufferPointer(rebasing: letters[0..<n]), as: UTF8.self)
        }
        return w
    }

    /// The word before a terminator at `end`, without opening punctuation, e.g. `U.S` or `Mr`.
    func previousWord(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> String {
        var k = end
        while k > start, !isSpace(p, k - 1, end), p[k - 1] != 0x0A { k -= 1 }
        var a = k
        while a < end {
            let (s, len) = UTF8Scalars.decode(p, at: a, count: end)
            guard let s, SentenceSplitter.isOpening(s) || s == "-" || s == "\u{2014}" else { break }
            a += len
        }
        return String(decoding: UnsafeBufferPointer(start: p + a, count: end - a), as: UTF8.self)
    }

    /// Digits with `.`, `,`, `$`, `%` (at least one digit), over the bytes.
    static func isNumber(_ word: String) -> Bool {
        var digit = false
        for b in word.utf8 {
            if b >= 0x30 && b <= 0x39 { digit = true; continue }
            if b == 0x2E || b == 0x2C || b == 0x24 || b == 0x25 { continue }
            return false
        }
        return digit
    }

    /// `…://…`, `www.…`, or `…@….…`, over the bytes.
    static func isLink(_ word: String) -> Bool {
        var copy = word
        return copy.withUTF8 { u in
            if u.count >= 4, u[0] == 0x77, u[1] == 0x77, u[2] == 0x77, u[3] == 0x2E { return true }
            var at = false, dotAfterAt = false
            for (i, b) in u.enumerated() {
                if b == 0x3A, i + 2 < u.count, u[i + 1] == 0x2F, u[i + 2] == 0x2F { return true }
                if b == 0x40 { at = true } else if b == 0x2E, at { dotAfterAt = true }
            }
            return at && dotAfterAt
        }
    }

    /// The word before the word that ends at `end` (for telling "you and I." from "Albert I.").
    func wordBefore(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> String {
        var k = end
        while k > start, !isSpace(p, k - 1, end) { k -= 1 }
        while k > start, isSpace(p, k - 1, end) { k -= 1 }
        return previousWord(p, start, k)
    }

    func periodEndsSentence(_ previous: String, _ next: NextWord, wordBefore: @autoclosure () -> String = "") -> Bool {
        if next.lower { return false }
        guard next.upper || next.digit || next.quoted else { return false }
        let opener = next.upper && AbbreviationList.sentenceOpeners.contains(next.word)
        let word = previous.lowercased()
        if let kind = configuration.abbreviations.kind(ofLowercased: word) {
            switch kind {
            case .title: return false
            case .date: return !next.digit && opener
            case .other: return next.digit ? false : opener
            }
        }
        // A number before a capital ("It cost $100.00. It is", "filed as N°. 7741.20. Nobody"), or a
        // link or an e-mail address at the end of a sentence.
        if SentenceSplitter.isNumber(word) || SentenceSplitter.isLink(word) { return next.upper || next.quoted }
        // 6 P.M. in capitals, then a capitalised word: the time ends the sentence.
        if previous == "A.M" || previous == "P.M" { return next.upper || next.quoted }
        if word.utf8.contains(0x2E) { return opener }  // U.S., Ph.D., e.g., a.m.
        var scalars = previous.unicodeScalars.makeIterator()
        if let only = scalars.next(), scalars.next() == nil, only.properties.isUppercase {
            // "you and I." ends a sentence; "Albert I. Jones" and "John F. Kennedy" do not.
            if previous == "I", let first = wordBefore().unicodeScalars.first, first.properties.isLowercase {
                return next.upper || next.quoted
            }
            return opener
        }
        return true
    }

    /// The enumeration markers of a paragraph that opens with one: `1.)`, `1)`, `1.`, `a.`, each
    /// optionally after a bullet (`•`, `⁃`), at the paragraph's start or after a space, and followed
    /// by white space and a capital. After the opening marker, only the run of consecutive ones
    /// (1, 2, 3 … or a, b, c …; 9, 10 …) counts: "1. Lead story. He won 3. Then…" has one.
    func listMarkers(_ p: UnsafePointer<UInt8>, _ block: Range<Int>) -> [Range<Int>] {
        let end = block.upperBound
        /// A marker starting at `i`: its range (bullet included) and its number.
        func marker(at i0: Int) -> (range: Range<Int>, value: Int, letter: Bool)? {
            var i = i0
            // An optional bullet and space.
            if i + 3 <= end, (p[i] == 0xE2 && p[i + 1] == 0x80 && p[i + 2] == 0xA2) || (p[i] == 0xE2 && p[i + 1] == 0x81 && p[i + 2] == 0x83) {
                i += 3
                while i < end, p[i] == 0x20 { i += 1 }
            }
            var value = 0, digits = 0, letter = false
            while i < end, digits < 3, p[i] >= 0x30 && p[i] <= 0x39 {
                value = value * 10 + Int(p[i] - 0x30)
                digits += 1
                i += 1
            }
            if digits == 0 {
                guard i < end, p[i] >= 0x61 && p[i] <= 0x7A, i + 1 < end, p[i + 1] == 0x2E else { return nil }
                value = Int(p[i] - 0x61) + 1
                letter = true
                i += 1
            }
            // "1.)", "1)", "1." (letters: "a." only).
            if i < end, p[i] == 0x2E {
                i += 1
                if !letter, i < end, p[i] == 0x29 { i += 1 }
            } else if !letter, i < end, p[i] == 0x29 {
                i += 1
            } else {
                return nil
            }
            guard i < end, p[i] == 0x20 else { return nil }
            var k = i
            while k < end, p[k] == 0x20 { k += 1 }
            guard k < end else { return nil }
            let (s, _) = UTF8Scalars.decode(p, at: k, count: end)
            guard let s, s.properties.isUppercase else { return nil }
            return (i0..<i, value, letter)
        }
        guard let first = marker(at: block.lowerBound) else { return [] }
        var found = [first.range]
        var expected = first.value + 1
        var i = first.range.upperBound
        while i < end {
            if p[i] == 0x20, i + 1 < end, let m = marker(at: i + 1), m.value == expected, m.letter == first.letter {
                found.append(m.range)
                expected += 1
                i = m.range.upperBound
                continue
            }
            i += 1
        }
        // A paragraph that opens with a marker keeps it ("1. The council voted …"), alone or not.
        return found
    }
}
