/// What ``ArticleCleaner`` kept and dropped.
public struct CleanedArticle: Sendable, Equatable {
    /// A block dropped from the page, and why.
    public struct Removal: Sendable, Equatable {
        public var text: String
        public var reason: Reason
    }

    public enum Reason: String, Sendable, CaseIterable {
        case beforeArticle = "page chrome before the article"
        case afterArticle = "page chrome after the article"
        case caption = "photo caption or credit"
        case byline = "byline or credit line"
        case boilerplate = "subscription, donation or sharing prompt"
        case listItem = "navigation or list item"
    }

    public var title: String?
    /// The article's paragraphs, in order, each as in the input (datelines included).
    public var paragraphs: [String]
    public var removed: [Removal]

    public var body: String { paragraphs.joined(separator: "\n\n") }
}

/// Finds the article in plain article text or a scraped page and drops the page around it.
///
/// Each block (paragraph or line) gets structural signals: whether it reads as prose (ends like a
/// sentence, has at least four words and a share of function words), whether it is a list or
/// navigation item (a leading `>`, `•`, `*`, `|`), a photo caption (ends in a parenthesised credit
/// such as `(Name / Outlet)` or `(Photo …)`), a byline (`By …`, a lone agency name), or a generic
/// subscription/donation/sharing prompt. The article is the longest run of prose in which no two
/// consecutive blocks are non-prose; a short line right before it is the headline. Captions,
/// bylines and prompts inside the run are dropped; everything outside it is page chrome. Text with
/// no sentence punctuation at all is kept as it is if any line has eight words or more; a page of
/// short labels only has no article (empty ``CleanedArticle/paragraphs``).
public struct ArticleCleaner: Sendable {
    public init() {}

    enum Kind: Equatable { case prose, heading, listItem, caption, byline, boilerplate }

    struct Block {
        var text: String
        var kind: Kind
        var words: Int
    }

    public func clean(_ text: String) -> CleanedArticle {
        var tokens = TokenList()  // one token buffer for all the blocks
        let blocks = paragraphTexts(text).map { classify($0, tokens: &tokens) }
        guard !blocks.isEmpty else { return CleanedArticle(title: nil, paragraphs: [], removed: []) }
        // Runs of blocks in which no two consecutive blocks are non-prose.
        var best: (start: Int, end: Int, words: Int)?
        var i = 0
        while i < blocks.count {
            guard blocks[i].kind == .prose else { i += 1; continue }
            var j = i, words = 0, lastProse = i
            while j < blocks.count {
                if blocks[j].kind == .prose { words += blocks[j].words; lastProse = j; j += 1; continue }
                // One non-prose block is tolerated (a subhead, an inline prompt) if prose follows.
                if j + 1 < blocks.count, blocks[j + 1].kind == .prose { j += 1; continue }
                break
            }
            if words > (best?.words ?? -1) { best = (i, lastProse + 1, words) }
            i = max(j, i + 1)
        }
        var removed: [CleanedArticle.Removal] = []
        guard let region = best else {
            // No prose at all. Unpunctuated text is still text (keep the lines that are not obvious
            // chrome); a page of short labels (navigation) has no article.
            guard blocks.contains(where: { $0.kind == .heading && $0.words >= 8 }) else {
                return CleanedArticle(title: nil, paragraphs: [],
                                      removed: blocks.map { .init(text: $0.text, reason: $0.kind == .heading ? .listItem : reason($0.kind)) })
            }
            let kept = blocks.filter { $0.kind == .heading || $0.kind == .prose }
            for b in blocks where !(b.kind == .heading || b.kind == .prose) { removed.append(.init(text: b.text, reason: reason(b.kind))) }
            return CleanedArticle(title: nil, paragraphs: kept.map(\.text), removed: removed)
        }
        // Headline: the nearest heading before the region, with only bylines between them.
        var title: String?
        var k = region.start - 1
        while k >= 0, blocks[k].kind == .byline { k -= 1 }
        if k >= 0, blocks[k].kind == .heading, blocks[k].words <= 25 { title = blocks[k].text }
        for (n, b) in blocks.enumerated() {
            if n >= region.start && n < region.end {
                if b.kind != .prose && b.kind != .heading { removed.append(.init(text: b.text, reason: reason(b.kind))) }
            } else if b.text != title || n != k {
                let r: CleanedArticle.Reason = n < region.start
                    ? (b.kind == .byline ? .byline : .beforeArticle)
                    : (b.kind == .caption ? .caption : .afterArticle)
                removed.append(.init(text: b.text, reason: r))
            }
        }
        let paragraphs = blocks[region.start..<region.end].filter { $0.kind == .prose || $0.kind == .heading }.map(\.text)
        return CleanedArticle(title: title, paragraphs: paragraphs, removed: removed)
    }

    func reason(_ kind: Kind) -> CleanedArticle.Reason {
        switch kind {
        case .caption: .caption
        case .byline: .byline
        case .boilerplate: .boilerplate
        case .listItem, .heading, .prose: .listItem
        }
    }

    /// The paragraphs of `text` as the sentence splitter sees them.
    func paragraphTexts(_ text: String) -> [String] {
        var copy = text
        return copy.withUTF8 { bytes -> [String] in
            guard let base = bytes.baseAddress, !bytes.isEmpty else { return [] }
            return SentenceSplitter().paragraphs(base, bytes.count).map {
                String(decoding: UnsafeBufferPointer(start: base + $0.lowerBound, count: $0.count), as: UTF8.self)
            }
        }
    }

    // MARK: - Signals

    static let functionWords: Set<String> = Set(StopWords.english)

    /// Generic phrases of page furniture (subscriptions, donations, sharing, legal lines).
    static let boilerplatePhrases = [
        "subscribe", "newsletter", "sign up", "sign in", "log in", "donate", "donation", "advertisement",
        "share this", "share on", "follow us", "all rights reserved", "copyright ©", "click here",
        "read more", "recommended for you", "privacy policy", "terms of service", "terms of use", "cookie",
        "unlimited access", "support our journalism", "become a member",
    ]

    /// The phrases, searched in a block's bytes (a byte search finds what a string search finds:
    /// UTF-8 never puts these bytes inside another character).
    private static let boilerplateSet = PhraseSet(boilerplatePhrases)

    static func containsBoilerplate(_ text: String) -> Bool {
        var copy = text
        let ascii = copy.withUTF8 { bytes in
            bytes.allSatisfy { $0 < 0x80 } ? containsPhrase(bytes) : nil
        }
        if let ascii { return ascii }
        // Unicode lowercasing can turn other letters into ASCII ones (K, the Kelvin sign, into k).
        var lower = text.lowercased()
        return lower.withUTF8(containsPhrase)
    }

    /// Whether ASCII or already lowercased text holds a prompt phrase (ASCII capitals are lowercased
    /// as they are compared: for ASCII, what `lowercased()` does).
    private static func containsPhrase(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        boilerplateSet.occurs(in: text, wordStartsOnly: false)
    }

    private static let tokenizer = Tokenizer(.init(minimumLength: 1))

    /// The function words by their token hash (``TermHash/segmentHash(_:_:)``, which the tokenizer
    /// stores with each token), so that a block's tokens are checked without a string each.
    private static let functionWordsByHash: [UInt64: [[UInt8]]] = {
        var table: [UInt64: [[UInt8]]] = [:]
        for word in functionWords {
            let bytes = Array(word.utf8)
            let h = bytes.withUnsafeBufferPointer { TermHash.segmentHash($0.baseAddress!, $0.count) }
            table[h, default: []].append(bytes)
        }
        return table
    }()

    /// The number of `tokens` that are function words.
    static func functionWordCount(_ tokens: TokenList) -> Int {
        let words = tokens.storage.tokens
        var count = 0
        for i in 0..<words.count {
            guard let candidates = functionWordsByHash[words.hashes[i]] else { continue }
            let r = words.range(i)
            let token = UnsafeBufferPointer(start: words.bytes + r.lowerBound, count: r.count)
            if candidates.contains(where: { $0.elementsEqual(token) }) { count += 1 }
        }
        return count
    }

    func classify(_ text: String) -> Block {
        var tokens = TokenList()
        return classify(text, tokens: &tokens)
    }

    /// ``classify(_:)`` tokenizing into `tokens` (emptied first).
    func classify(_ text: String, tokens: inout TokenList) -> Block {
        tokens.removeAll()
        var copy = text
        copy.withUTF8 { ArticleCleaner.tokenizer.tokenize($0, into: &tokens) }
        let words = tokens.count
        func block(_ kind: Kind) -> Block { Block(text: text, kind: kind, words: words) }
        if let first = text.unicodeScalars.first, ">•*|·▪►".unicodeScalars.contains(first) { return block(.listItem) }
        if isCaption(text) { return block(.caption) }
        if isByline(text, words: words) { return block(.byline) }
        if words <= 40, ArticleCleaner.containsBoilerplate(text) { return block(.boilerplate) }
        // Prose ends like a sentence and is short, long, or in between with enough function words
        // (counted only in between, the one case that needs them).
        guard endsWithSentencePunctuation(text), words >= 4 else { return block(.heading) }
        if words < 12 || words >= 25 { return block(.prose) }
        return block(Double(ArticleCleaner.functionWordCount(tokens)) >= 0.12 * Double(words) ? .prose : .heading)
    }

    func endsWithSentencePunctuation(_ text: String) -> Bool {
        var scalars = text.unicodeScalars.reversed().makeIterator()
        while let s = scalars.next() {
            if SentenceSplitter.isClosing(s) { continue }
            return SentenceSplitter.isTerminator(s)
        }
        return false
    }

    /// Ends with a parenthesised credit: `(Name / Outlet)`, `(Photo by …)`, `(… file)`, `(Screen shot …)`.
    func isCaption(_ text: String) -> Bool {
        guard text.hasSuffix(")"), let open = text.lastIndex(of: "(") else { return false }
        let inside = text[text.index(after: open)..<text.index(before: text.endIndex)].lowercased()
        guard inside.count <= 120 else { return false }
        return inside.contains(" / ") || inside.hasPrefix("photo") || inside.contains("photo by")
            || inside.contains("photo provided") || inside.hasPrefix("screen shot") || inside.hasPrefix("screenshot")
            || inside.hasSuffix(" file") || inside.contains("getty images") || inside.contains("courtesy")
    }

    func isByline(_ text: String, words: Int) -> Bool {
        guard words <= 10 else { return false }
        if text.hasPrefix("By ") && !endsWithSentencePunctuation(text) { return true }
        let agencies = ["associated press", "the associated press", "reuters", "agence france-presse", "afp", "staff writer", "staff report"]
        return agencies.contains(text.lowercased().trimmingCharacters(in: .whitespaces.union(.punctuationCharacters)))
    }
}

import Foundation
