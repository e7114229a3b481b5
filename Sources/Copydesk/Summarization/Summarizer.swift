import Foundation

/// How long a summary may be.
public enum SummaryLength: Sendable, Hashable {
    case sentences(Int)
    case words(Int)
    case characters(Int)
}

/// The order of the summary's sentences.
public enum SummaryOrder: String, Sendable, CaseIterable {
    /// As in the article (the default: reads like the article).
    case document
    /// Best first.
    case rank
}

/// A sentence of the article with its score and the parts of it.
public struct ScoredSentence: Sendable, Equatable {
    /// Position among the article's sentences (0 = first).
    public var index: Int
    public var text: String
    public var score: Double
    public var centrality: Double
    public var coverage: Double
    public var position: Double
    public var headline: Double
    public var length: Double
    /// Words in ``text`` (separated by spaces, tabs or line breaks).
    public var words: Int
}

/// A lede, a teaser and a summary, all made of the article's own sentences.
public struct ArticleSummary: Sendable {
    public var title: String?
    /// The first sentence's dateline, if any: removed from the lede and teaser unless
    /// ``SummaryConfiguration/keepDateline``, kept in the summary.
    public var dateline: String?
    public var lede: String
    public var teaser: String
    /// True when no whole sentence fitted the teaser budget and the teaser was cut at a clause.
    public var teaserShortened: Bool
    /// The chosen sentences, in the requested order.
    public var summary: [ScoredSentence]
    /// True when even the best sentence was over the summary budget and was shortened.
    public var summaryShortened: Bool
    /// Every ranked sentence, in article order.
    public var sentences: [ScoredSentence]
    /// Power iterations LexRank needed.
    public var iterations: Int

    public var summaryText: String { summary.map(\.text).joined(separator: " ") }
}

/// Why an article could not be summarized.
public enum SummarizationError: Error, Equatable, CustomStringConvertible {
    case noSentences(source: String)
    case teaserBudgetTooSmall(source: String, budget: Int, needed: Int)
    case invalidLength(String)

    public var description: String {
        switch self {
        case let .noSentences(source): "\(source): no article text to summarize"
        case let .teaserBudgetTooSmall(source, budget, needed):
            "\(source): a teaser budget of \(budget) characters is too small for even one word of the article (needs at least \(needed))"
        case let .invalidLength(what): "invalid summary length: \(what)"
        }
    }
}

/// The extractive summarizer: sentence scores as documented on ``SummaryConfiguration``, lede,
/// teaser and summary chosen from them. Immutable and `Sendable`.
public struct Summarizer: Sendable {
    public let configuration: SummaryConfiguration
    public let splitter: SentenceSplitter
    public let cleaner: ArticleCleaner

    public init(_ configuration: SummaryConfiguration = .init(), splitter: SentenceSplitter = .init(),
                cleaner: ArticleCleaner = .init()) {
        self.configuration = configuration
        self.splitter = splitter
        self.cleaner = cleaner
    }

    /// The article's sentences after cleaning, the headline, and the first sentence's dateline
    /// (which stays in the sentence: summaries keep it, the lede and teaser drop it by default).
    public func sentences(of text: String, title: String? = nil, clean: Bool = true) -> (title: String?, dateline: String?, sentences: [String]) {
        var cleaned = clean ? cleaner.clean(text) : CleanedArticle(title: nil, paragraphs: [text], removed: [])
        // A text made only of what the cleaner drops (captions, list items, credits) is still the
        // text the user gave: its lines of four words or more are summarized as they are. Menus
        // and buttons ("Home", "Subscribe") have none and stay an error.
        if clean && cleaned.paragraphs.isEmpty {
            let lines = text.split(whereSeparator: \.isNewline).map(String.init).filter { Summarizer.words($0) >= 4 }
            cleaned = CleanedArticle(title: nil, paragraphs: lines, removed: [])
        }
        var sentences = InlineFurniture.separate(cleaned.paragraphs.flatMap { splitter.split($0).map(\.text) })
        // A story that opens with its own headline (a web page's h1, a pasted text whose first line
        // is the title): the headline is not a sentence of the story, and the story's first sentence,
        // with its dateline, is the one after it.
        let headline = title ?? cleaned.title
        if let headline, sentences.count > 1, Summarizer.sameLine(sentences[0], headline) {
            sentences.removeFirst()
        }
        let dateline = sentences.first.flatMap { Dateline.split($0).dateline }
        return (headline, dateline, sentences)
    }

    /// The same words, ignoring case, spacing and closing punctuation.
    static func sameLine(_ a: String, _ b: String) -> Bool {
        // Lines of clearly different lengths differ (the usual case, decided without Unicode lookups).
        guard abs(a.utf8.count - b.utf8.count) <= 8 else { return false }
        func key(_ s: String) -> String {
            s.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
                .trimmingCharacters(in: CharacterSet(charactersIn: " .:!?"))
        }
        return key(a) == key(b)
    }

    /// How a sentence reads as a lede or teaser: without the dateline unless configured to keep it.
    func display(_ s: ScoredSentence) -> ScoredSentence {
        guard s.index == 0, !configuration.keepDateline else { return s }
        var copy = s
        copy.text = Dateline.split(s.text).rest
        copy.words = Summarizer.words(copy.text)
        return copy
    }

    /// Summarizes `text`. `source` names the input in errors.
    public func summarize(_ text: String, title: String? = nil, length: SummaryLength = .sentences(3),
                          order: SummaryOrder = .document, teaserCharacters: Int = 200, clean: Bool = true,
                          source: String = "article") throws -> ArticleSummary {
        var stems = SentenceGraph.StemCache()
        return try summarize(text, title: title, length: length, order: order, teaserCharacters: teaserCharacters,
                             clean: clean, source: source, stems: &stems)
    }

    func summarize(_ text: String, title: String?, length: SummaryLength, order: SummaryOrder,
                   teaserCharacters: Int, clean: Bool, source: String,
                   stems: inout SentenceGraph.StemCache) throws -> ArticleSummary {
        try configuration.validate()
        switch length {
        case let .sentences(n) where n < 1, let .words(n) where n < 1, let .characters(n) where n < 1:
            throw SummarizationError.invalidLength("\(length) must be at least 1")
        default: break
        }
        let (headline, dateline, all) = sentences(of: text, title: title, clean: clean)
        guard !all.isEmpty else { throw SummarizationError.noSentences(source: source) }
        let texts = Array(all.prefix(configuration.maxSentences))
        let ranked = rank(texts, headline: headline, stems: &stems)
        let graph = ranked.graph
        let scored = ranked.sentences

        let shown = scored.map(display)
        let lede = shown.first { $0.words >= 4 && $0.text != headline } ?? shown[0]
        let (teaser, shortened) = try makeTeaser(shown, lede: lede, graph: graph, budget: teaserCharacters, source: source)
        var (chosen, summaryShortened) = select(scored, graph: graph, length: length)
        if order == .document { chosen.sort { $0.index < $1.index } }
        return ArticleSummary(title: headline, dateline: dateline, lede: lede.text, teaser: teaser,
                              teaserShortened: shortened, summary: chosen, summaryShortened: summaryShortened,
                              sentences: scored, iterations: ranked.iterations)
    }

    /// An article to summarize in a batch: its text, headline if known, and a name for errors.
    public struct Request: Sendable {
        public var text: String
        public var title: String?
        public var source: String
        public init(text: String, title: String? = nil, source: String = "article") {
            self.text = text
            self.title = title
            self.source = source
        }
    }

    /// Summaries made one after another on one thread, reusing the stems earlier articles needed:
    /// what a worker of a stream keeps (``JSONLinesPipeline``). The results are those of
    /// ``Summarizer/summarize(_:title:length:order:teaserCharacters:clean:source:)``.
    public struct Session {
        public let summarizer: Summarizer
        private var stems = SentenceGraph.StemCache()

        public init(_ summarizer: Summarizer) { self.summarizer = summarizer }

        public mutating func summarize(_ text: String, title: String? = nil, length: SummaryLength = .sentences(3),
                                       order: SummaryOrder = .document, teaserCharacters: Int = 200, clean: Bool = true,
                                       source: String = "article") throws -> ArticleSummary {
            try summarizer.summarize(text, title: title, length: length, order: order, teaserCharacters: teaserCharacters,
                                     clean: clean, source: source, stems: &stems)
        }
    }

    /// Summarizes many articles on up to `threads` threads. The results are in input order and do
    /// not depend on the thread count; an article that cannot be summarized gets its error.
    public func summarize(_ requests: [Request], length: SummaryLength = .sentences(3), order: SummaryOrder = .document,
                          teaserCharacters: Int = 200, clean: Bool = true,
                          threads: Int) -> [Result<ArticleSummary, any Error>] {
        let results = PartResults<Result<ArticleSummary, any Error>>(count: requests.count)
        // Articles differ in length (and ranking costs grow with the square of their sentences), so
        // threads take small chunks as they go rather than fixed halves.
        ParallelBlocks.dynamic(count: requests.count, chunk: 4, threads: threads) { _, next in
            var session = Session(self)
            while let range = next() {
                for i in range {
                    let r = requests[i]
                    results.set(i, Result {
                        try session.summarize(r.text, title: r.title, length: length, order: order,
                                              teaserCharacters: teaserCharacters, clean: clean, source: r.source)
                    })
                }
            }
        }
        return results.values
    }

    // MARK: - Scoring

    func rank(_ texts: [String], headline: String?) -> (sentences: [ScoredSentence], graph: SentenceGraph, iterations: Int) {
        var stems = SentenceGraph.StemCache()
        return rank(texts, headline: headline, stems: &stems)
    }

    func rank(_ texts: [String], headline: String?,
              stems: inout SentenceGraph.StemCache) -> (sentences: [ScoredSentence], graph: SentenceGraph, iterations: Int) {
        let c = configuration
        let graph = SentenceGraph(sentences: texts, headline: headline, stems: &stems)
        let (centrality, iterations) = graph.lexRank(damping: c.damping, maxIterations: c.maxIterations, tolerance: c.iterationTolerance)
        let top = centrality.max() ?? 1
        let topCoverage = graph.coverage.max() ?? 0
        var out: [ScoredSentence] = []
        for (i, t) in texts.enumerated() {
            let words = Summarizer.words(t)
            let cen = top > 0 ? centrality[i] / top : 0
            let cov = topCoverage > 0 ? graph.coverage[i] / topCoverage : 0
            let pos = exp(-Double(i) / c.positionDecay)
            let head = graph.headlineSimilarity[i]
            // A "sentence" over 60 words is more often captions run into prose: no length credit.
            let len = words < c.minimumWords || InlineFurniture.isSuspect(words) ? 0 : min(1, Double(words) / c.fullLength)
            let score = c.centrality * cen + c.coverage * cov + c.position * pos + c.headline * head + c.length * len
            out.append(ScoredSentence(index: i, text: t, score: score, centrality: cen, coverage: cov, position: pos,
                                      headline: head, length: len, words: words))
        }
        return (out, graph, iterations)
    }

    /// Words separated by spaces, tabs or line breaks (LF, CR), counted over the UTF-8 bytes.
    static func words(_ text: String) -> Int {
        var copy = text
        return copy.withUTF8 { bytes in
            var count = 0, inWord = false
            for b in bytes {
                let separator = b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D
                if !separator && !inWord { count += 1 }
                inWord = !separator
            }
            return count
        }
    }

    /// `text.count <= budget`, without counting characters when the byte count decides it.
    static func fits(_ text: String, _ budget: Int) -> Bool {
        let bytes = text.utf8.count
        if bytes <= budget { return true }   // a character takes at least one byte
        // ASCII text has one character per byte, except "\r\n", one character of two bytes.
        var copy = text
        if copy.withUTF8(isASCIIWithoutCR) { return false }
        var crlf = 0, previous: UInt8 = 0
        for b in text.utf8 {
            if b >= 0x80 { return text.count <= budget }
            if b == 0x0A && previous == 0x0D { crlf += 1 }
            previous = b
        }
        return bytes - crlf <= budget
    }

    /// No byte of 0x80 or more and no carriage return, eight bytes at a time.
    static func isASCIIWithoutCR(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let raw = UnsafeRawPointer(base)
        let high: UInt64 = 0x8080_8080_8080_8080, ones: UInt64 = 0x0101_0101_0101_0101
        var i = 0
        while i + 8 <= bytes.count {
            let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            if w & high != 0 { return false }
            // A zero byte of `w ^ CR…`: the classic test, exact for bytes below 0x80.
            let x = w ^ (ones &* 0x0D)
            if (x &- ones) & ~x & high != 0 { return false }
            i += 8
        }
        while i < bytes.count {
            if bytes[i] >= 0x80 || bytes[i] == 0x0D { return false }
            i += 1
        }
        return true
    }

    // MARK: - Selection

    /// Maximal marginal relevance under the length budget. Never empty: if the best sentence alone
    /// is over a word or character budget, it is shortened at a clause boundary.
    func select(_ scored: [ScoredSentence], graph: SentenceGraph, length: SummaryLength) -> ([ScoredSentence], Bool) {
        let n = scored.count
        var chosen: [Int] = []
        var used = 0
        var remaining = Set(0..<n)
        func cost(_ i: Int) -> Int {
            switch length {
            case .sentences: 1
            case .words: scored[i].words
            case .characters: scored[i].text.count + (chosen.isEmpty ? 0 : 1)
            }
        }
        let budget: Int
        switch length {
        case let .sentences(k): budget = k
        case let .words(k): budget = k
        case let .characters(k): budget = k
        }
        while !remaining.isEmpty {
            var best = -1
            var bestValue = -Double.infinity
            for i in remaining where used + cost(i) <= budget {
                var redundancy = 0.0
                for j in chosen { redundancy = max(redundancy, graph.similarity[i * n + j]) }
                let value = scored[i].score - configuration.redundancy * redundancy
                if value > bestValue || (value == bestValue && i < best) { best = i; bestValue = value }
            }
            guard best >= 0 else { break }
            used += cost(best)
            chosen.append(best)
            remaining.remove(best)
        }
        if chosen.isEmpty, let top = scored.indices.max(by: { scored[$0].score < scored[$1].score || (scored[$0].score == scored[$1].score && $0 > $1) }) {
            var s = scored[top]
            switch length {
            case let .words(k):
                s.text = Summarizer.shorten(s.text, toCharacters: Int.max, maxWords: k) ?? s.text
            case let .characters(k):
                s.text = Summarizer.shorten(s.text, toCharacters: k) ?? String(s.text.prefix(max(k - 1, 0))) + "…"
            case .sentences:
                break
            }
            s.words = Summarizer.words(s.text)
            return ([s], true)
        }
        return (chosen.map { scored[$0] }, false)
    }

    /// One or two whole sentences within `budget` characters that add to the headline and lede;
    /// the lede itself if nothing else fits; otherwise the best sentence cut at a clause boundary.
    func makeTeaser(_ scored: [ScoredSentence], lede: ScoredSentence, graph: SentenceGraph, budget: Int,
                    source: String) throws -> (String, Bool) {
        let n = scored.count
        func novelty(_ i: Int, _ with: [Int]) -> Double {
            var r = graph.headlineSimilarity[i]
            for j in with { r = max(r, graph.similarity[i * n + j]) }
            return scored[i].score - configuration.redundancy * r
        }
        // Whole sentences that fit, preferring real ones over fragments ("Yes.", a subhead).
        let fitting = scored.indices.filter { $0 != lede.index && Summarizer.fits(scored[$0].text, budget) }
        let substantial = fitting.filter { scored[$0].words >= configuration.minimumWords }
        let others = substantial.isEmpty ? fitting : substantial
        /// The candidate with the highest value, the earlier one on ties.
        func best(_ candidates: [Int], _ value: [Int: Double]) -> Int? {
            candidates.max { (value[$0] ?? 0, -$0) < (value[$1] ?? 0, -$1) }
        }
        let afterLede = Dictionary(uniqueKeysWithValues: others.map { ($0, novelty($0, [lede.index])) })
        if let first = best(others, afterLede) {
            var picked = [first]
            let room = budget - scored[first].text.count - 1
            let seconds = others.filter { $0 != first && Summarizer.fits(scored[$0].text, room) }
            let afterFirst = Dictionary(uniqueKeysWithValues: seconds.map { ($0, novelty($0, [lede.index, first])) })
            if let second = best(seconds, afterFirst), (afterFirst[second] ?? 0) > 0.5 * (afterLede[first] ?? 0) {
                picked.append(second)
            }
            return (picked.sorted().map { scored[$0].text }.joined(separator: " "), false)
        }
        if Summarizer.fits(lede.text, budget) { return (lede.text, false) }
        let best = scored.max { $0.score < $1.score || ($0.score == $1.score && $0.index > $1.index) } ?? lede
        if let cut = Summarizer.shorten(best.text, toCharacters: budget) { return (cut, true) }
        if let cut = Summarizer.shorten(lede.text, toCharacters: budget) { return (cut, true) }
        let firstWord = best.text.split(separator: " ").first.map { $0.count } ?? best.text.count
        throw SummarizationError.teaserBudgetTooSmall(source: source, budget: budget, needed: firstWord + 1)
    }

    /// `text` cut at the last clause boundary (`,` `;` `:` a dash, or before `and`/`but`/`which`/
    /// `who`/`while`) that leaves room for "…" within `limit` characters and `maxWords` words; at
    /// the last word boundary if no clause fits (or the clause would keep less than half); nil if
    /// not even the first word fits.
    ///
    /// - Complexity: O(min(length, limit)): only the part that can fit is looked at.
    static func shorten(_ text: String, toCharacters limit: Int, maxWords: Int = .max) -> String? {
        // Whole text if it fits (a cheap byte-count test first: a long text cannot fit a short limit).
        if text.utf8.count / 4 < limit, text.count + 1 <= limit, maxWords == .max || words(text) <= maxWords { return text }
        let trim: Set<Character> = [",", ";", ":", "—", "–", " "]
        let conjunctions: Set<String> = ["and", "but", "which", "who", "while", "after", "because"]
        var prefix: [Character] = []
        var clauseEnd = -1, wordEnd = -1, wordCount = 0, wordStart = 0
        func candidate() {
            // prefix without trailing punctuation ends a candidate cut.
            var end = prefix.count
            while end > 0 && trim.contains(prefix[end - 1]) { end -= 1 }
            let word = String(prefix[wordStart..<prefix.count]).lowercased()
            wordCount += 1
            // "…, and" or "… which": the clause ends before the conjunction.
            if conjunctions.contains(word) && wordCount >= 4 && wordEnd > 0 { clauseEnd = wordEnd }
            guard end < limit && wordCount <= maxWords else { return }
            wordEnd = end
            if let last = prefix.last, [",", ";", ":", "—", "–"].contains(last) { clauseEnd = end }
        }
        for c in text {
            if c == " " {
                if !prefix.isEmpty && prefix.last != " " {
                    let before = wordEnd
                    candidate()
                    if wordEnd == before && wordCount > 1 { break }  // nothing more fits
                }
            } else if prefix.last == " " || prefix.isEmpty {
                wordStart = prefix.count
            }
            prefix.append(c)
            if prefix.count - 1 > limit { break }
        }
        let end = clauseEnd >= 0 && clauseEnd * 2 >= wordEnd ? clauseEnd : wordEnd
        guard end > 0 else { return nil }
        return String(prefix[0..<end]) + "…"
    }
}
