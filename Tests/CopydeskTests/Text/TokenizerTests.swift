import CKernels
import Testing
@testable import Copydesk

@Suite struct TokenizerTests {
    static let news: [(String, [String])] = [
        ("The Gulls won 3-1 on Saturday.", ["the", "gulls", "won", "3-1", "on", "saturday"]),
        ("Don’t panic, O'Neill said.", ["don't", "panic", "o'neill", "said"]),
        ("Assad’s regime and the Gulls' coach", ["assad", "regime", "and", "the", "gulls", "coach"]),
        ("a 4-decade-old regime", ["4-decade-old", "regime"]),
        ("Profits rose 4.5% to $1,200.50 million", ["profits", "rose", "4.5", "to", "1,200.50", "million"]),
        ("U.S. and U.N. officials met at 9 a.m. today", ["u.s", "and", "u.n", "officials", "met", "at", "a.m", "today"]),
        ("Ph.D. students", ["ph", "students"]),
        ("“Quoted,” she said. 'Single quotes' too", ["quoted", "she", "said", "single", "quotes", "too"]),
        ("Visit https://example.org/news?id=3, or www.herald.test.", ["visit", "https://example.org/news?id=3", "or", "www.herald.test"]),
        ("Mail tips@herald.test or j.smith@news.example.com today", ["mail", "tips@herald.test", "or", "j.smith@news.example.com", "today"]),
        ("QUÉBEC’S Premier Ödön Straße", ["québec", "premier", "ödön", "straße"]),
        ("Москва и Київ", ["москва", "київ"]),
        ("東京 2020", ["東京", "2020"]),
        ("well--known -- dashes — and – ranges", ["well", "known", "dashes", "and", "ranges"]),
        ("end-of-line- hyphen -start", ["end-of-line", "hyphen", "start"]),
        ("I a x", []),
        // A connector before a space, another connector or the end does not join.
        ("Ends, then stops. Fans' ire,, rose.- Dash-", ["ends", "then", "stops", "fans", "ire", "rose", "dash"]),
        ("said,the 3,5 and x.y end,", ["said", "the", "3,5", "and", "x.y", "end"]),
        ("", []),
        ("snake_case words", ["snake", "case", "words"]),
        ("café naïve (combining: cafe\u{301})", ["café", "naïve", "combining", "cafe\u{301}"]),
    ]

    @Test(arguments: news)
    func newsRule(text: String, expected: [String]) {
        #expect(Tokenizer().tokens(text) == expected)
    }

    static let sklearn: [(String, [String])] = [
        ("The Gulls won 3-1 on Saturday.", ["the", "gulls", "won", "on", "saturday"]),
        ("Don’t panic, O'Neill's snake_case", ["don", "panic", "neill", "snake_case"]),
        ("U.S. 4.5% $1,200", ["200"]),
        ("QUÉBEC Ödön", ["québec", "ödön"]),
    ]

    @Test(arguments: sklearn)
    func scikitLearnRule(text: String, expected: [String]) {
        #expect(Tokenizer(.init(rule: .scikitLearn)).tokens(text) == expected)
    }

    /// An address is found whatever comes before it: other addresses, stray "@"s, long runs of
    /// words, punctuation right before it (the scanner tracks the next "@" and the run before it).
    @Test func addressesAreFoundAfterAnyPrefix() {
        let prefixes = ["", "word ", String(repeating: "long text ", count: 50), "x@y ", "a@b.c ", "at@ home ",
                        "see me@x.test, then ", "@@ ", "(", "mail:", "mail -", "j.smith@news.example.com "]
        for prefix in prefixes {
            let tokens = Tokenizer().tokens(prefix + "Mail j.smith+desk@News.Example.com now (ed.board@x.test) end")
            #expect(Array(tokens.suffix(5)) == ["mail", "j.smith+desk@news.example.com", "now", "ed.board@x.test", "end"],
                    "after \(prefix.prefix(30))")
        }
        #expect(Tokenizer().tokens("word.word@x.test") == ["word.word@x.test"])
        #expect(Tokenizer().tokens("no address @ here@ or @there") == ["no", "address", "here", "or", "there"])
    }

    @Test func linksCanBeDropped() {
        let t = Tokenizer(.init(links: .drop))
        #expect(t.tokens("see https://x.test/a and mail a.b@c.test now") == ["see", "and", "mail", "now"])
    }

    @Test func lowercasingCanBeTurnedOff() {
        #expect(Tokenizer(.init(lowercase: false)).tokens("NATO Summit") == ["NATO", "Summit"])
    }

    @Test func invalidUTF8IsSkippedNotFatal() {
        let bytes: [UInt8] = Array("bad ".utf8) + [0xFF, 0xC3, 0x28, 0xE2, 0x82] + Array(" bytes here".utf8)
        var list = TokenList()
        bytes.withUnsafeBufferPointer { Tokenizer().tokenize($0, into: &list) }
        #expect(list.strings == ["bad", "bytes", "here"])
    }

    @Test func pathologicalInputsStayLinear() {
        // Long runs that exercise the look-aheads; they must finish and produce sane tokens.
        let dots = String(repeating: "a.", count: 20_000)
        #expect(Tokenizer().tokens(dots).count == 1)
        let at = String(repeating: "x@", count: 20_000)
        #expect(Tokenizer().tokens(at).isEmpty)
        let word = String(repeating: "z", count: 100_000)
        #expect(Tokenizer().tokens(word) == [word])
    }
}

extension TokenizerTests {
    /// Regression: an e-mail look-ahead restarted at every token of a long dotted run was quadratic.
    @Test(.timeLimit(.minutes(1)))
    func emailLookAheadIsLinear() {
        let text = String(repeating: "ab.", count: 200_000) + " x@"
        #expect(Tokenizer().tokens(text).count == 200_000)
    }
}

extension TokenizerTests {
    static let compoundParts: [(String, [String], [String])] = [
        ("mail j.smith@cs.cmu.edu", ["mail", "j.smith@cs.cmu.edu"], ["smith", "cs", "cmu", "edu"]),
        ("a 4-decade-old regime", ["4-decade-old", "regime"], ["decade", "old"]),
        ("$1,200.50 and 3.5", ["1,200.50", "and", "3.5"], ["200", "50"]),
        ("Don't say O'Neill", ["don't", "say", "o'neill"], []),
        ("U.S. forces", ["u.s", "forces"], []),
        ("see https://example.org/news", ["see", "https://example.org/news"], ["https", "example", "org", "news"]),
    ]

    @Test(arguments: compoundParts)
    func compoundsYieldParts(text: String, tokens: [String], parts: [String]) {
        var list = TokenList()
        var copy = text
        copy.withUTF8 { Tokenizer().tokenize($0, into: &list) }
        #expect(list.strings == tokens)
        #expect(list.partStrings == parts)
        var none = TokenList()
        copy.withUTF8 { Tokenizer(.init(parts: false)).tokenize($0, into: &none) }
        #expect(none.partStrings.isEmpty)
    }

    @Test func partsCountAsUnigramFeatures() throws {
        let (v, _) = try TFIDFVectorizer.fit(["mail j.smith@cs.cmu.edu now", "ask x@cs.cmu.edu"], configuration: .init(minDF: .count(2)))
        #expect((0..<v.featureCount).map(v.term) == ["cmu", "cs", "edu"])
    }
}

extension TokenizerTests {
    /// The word scanner's sixteen-bytes-at-a-time run of ASCII letters and digits (C, SSE2) against
    /// a plain loop, at every start of random buffers mixing cases, digits, punctuation and bytes
    /// at or above 0x80 (the boundaries of each range included).
    @Test func asciiWordRunAgreesWithAPlainLoop() {
        var g = SplitMix64(seed: 41)
        let alphabet: [UInt8] = Array("aAzZmM0959/:@[`{_-. '".utf8) + [0x7F, 0x80, 0xC3, 0xFF, 0x00]
        for length in [0, 1, 15, 16, 17, 31, 33, 70] {
            let bytes = (0..<length).map { _ in
                g.next() % 4 == 0 ? alphabet[Int(g.next() % UInt64(alphabet.count))] : UInt8(0x61 + g.next() % 26)
            }
            for lower in [true, false] {
                for start in 0...length {
                    let n = length - start
                    var out = [UInt8](repeating: 0, count: max(n, 1))
                    let run = bytes.withUnsafeBufferPointer { b in
                        out.withUnsafeMutableBufferPointer { o in
                            Int(copydesk_ascii_word(b.baseAddress! + start, Int64(n), o.baseAddress!, lower ? 1 : 0))
                        }
                    }
                    var expected = 0
                    while start + expected < length && Tokenizer.isASCIIAlphanumeric(bytes[start + expected]) { expected += 1 }
                    let copied = bytes[start..<(start + expected)].map { lower && $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
                    #expect(run == expected, "length \(length) start \(start)")
                    #expect(Array(out.prefix(run)) == copied, "length \(length) start \(start)")
                }
            }
        }
    }

    /// Tokens are hashed with one masked load for their last bytes; the value is the byte loop's.
    @Test func paddedSegmentHashEqualsTheByteLoop() {
        var g = SplitMix64(seed: 5)
        for length in 0...40 {
            let bytes = (0..<(length + 8)).map { _ in UInt8(truncatingIfNeeded: g.next()) }
            bytes.withUnsafeBufferPointer { b in
                #expect(TermHash.segmentHashPadded(b.baseAddress!, length) == TermHash.segmentHash(b.baseAddress!, length))
            }
        }
        var list = TokenList()
        let text = "Short words, longer ones like internationalisation, 1,200.50 and mail j.smith@cs.cmu.edu"
        Array(text.utf8).withUnsafeBufferPointer { Tokenizer(.init(parts: true)).tokenize($0, into: &list) }
        for i in 0..<list.count {
            let token = Array(list.string(i).utf8)
            #expect(list.storage.tokens.hashes[i] == token.withUnsafeBufferPointer { TermHash.segmentHash($0.baseAddress!, token.count) })
        }
        for i in 0..<list.partCount {
            let part = Array(list.storage.parts.string(i).utf8)
            #expect(list.storage.parts.hashes[i] == part.withUnsafeBufferPointer { TermHash.segmentHash($0.baseAddress!, part.count) })
        }
        #expect(list.partCount > 0)
    }
}
