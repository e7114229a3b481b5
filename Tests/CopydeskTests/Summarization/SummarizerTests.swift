import Foundation
import Testing
@testable import Copydesk

@Suite struct SummarizerTests {
    static let article = """
        Harbor council approves new ferry dock

        HARBOR CITY — The City Council voted 6-1 on Monday to build a new ferry dock at Pier 2, ending a decade of debate over the aging terminal.

        The dock will cost $14 million, most of it from a state grant, and should open in 2027. Council members said the old dock had been patched too many times.

        "We have patched the old dock for years," council member Rosa Delgado said. "It is time."

        Construction begins in the spring, and ferries will run on a shortened schedule during the work. The lone no vote came from council member Ed Wirth, who wanted a cheaper repair.
        """

    @Test func ledeTeaserAndSummary() throws {
        let s = try Summarizer().summarize(Self.article)
        #expect(s.title == "Harbor council approves new ferry dock")
        #expect(s.dateline == "HARBOR CITY —")
        #expect(s.lede.hasPrefix("The City Council voted 6-1"))
        #expect(s.teaser.count <= 200 && !s.teaserShortened)
        #expect(s.teaser != s.lede, "the teaser adds to the lede")
        #expect(s.summary.count == 3)
        #expect(s.summary.map(\.index) == s.summary.map(\.index).sorted(), "document order")
        let ranked = try Summarizer().summarize(Self.article, order: .rank)
        // Rank order is selection order: maximal marginal relevance takes the best-scoring sentence first.
        let top = s.sentences.max { $0.score < $1.score }
        #expect(ranked.summary.first?.index == top?.index)
        #expect(Set(ranked.summary.map(\.index)) == Set(s.summary.map(\.index)))
    }

    /// Batches on any thread count, with the stem cache shared across a thread's articles, give the
    /// summaries of one-at-a-time calls; a bad article gets its error in its place.
    /// A web page's text often opens with its h1: the headline is not the story's first sentence,
    /// and the lede and teaser read as they do for the cleaned text.
    @Test func aTextOpeningWithItsHeadlineReadsAsTheCleanedText() throws {
        let cleaned = try Summarizer().summarize(Self.article)
        for title in ["Harbor council approves new ferry dock", "HARBOR COUNCIL APPROVES NEW FERRY DOCK."] {
            let page = try Summarizer().summarize(Self.article, title: title, clean: false)
            #expect(page.lede == cleaned.lede)
            #expect(!page.lede.hasPrefix("HARBOR CITY"))
            #expect(!page.teaser.contains("approves new ferry dock"))
            #expect(page.dateline == "HARBOR CITY —")
        }
        // A headline that differs from the first line leaves the text as it is.
        let other = try Summarizer().summarize(Self.article, title: "Ferry dock vote", clean: false)
        #expect(other.sentences.first?.text == "Harbor council approves new ferry dock")
    }

    @Test func batchEqualsOneByOne() throws {
        let texts = [Self.article, "", Self.article.replacingOccurrences(of: "ferry", with: "tram"),
                     "Solo sentence without an end", Self.article.uppercased()]
        let requests = texts.enumerated().map { Summarizer.Request(text: $1, source: "a\($0)") }
        let single = texts.enumerated().map { i, t in Result { try Summarizer().summarize(t, source: "a\(i)") } }
        func key(_ r: Result<ArticleSummary, any Error>) -> String {
            switch r {
            case let .success(s): "\(s.lede)|\(s.teaser)|\(s.summaryText)|\(s.sentences.map(\.score))"
            case let .failure(e): "error \(e)"
            }
        }
        for threads in [1, 2, 4] {
            #expect(Summarizer().summarize(requests, threads: threads).map(key) == single.map(key))
        }
        #expect(key(single[1]).hasPrefix("error a1: no article text"))
    }

    @Test func wordCountsAndFitsAgreeWithCharacters() {
        let long = "A plain ASCII sentence long enough for the word-at-a-time scan."
        var texts = ["", "one", "  two  words ", "tab\tand\nnewline", "naïve café — 東京 e\u{301}", "line\r\nbreak\r\n\r\r\n", long]
        // A carriage return or a non-ASCII character in each position of the words and of the tail.
        for k in [0, 3, 7, 8, 9, 15, 16, 30, long.utf8.count - 1] {
            for insert in ["\r\n", "\r", "é", "東"] {
                var t = long
                t.insert(contentsOf: insert, at: t.index(t.startIndex, offsetBy: k))
                texts.append(t)
            }
        }
        for text in texts {
            var copy = text
            let reference = !text.utf8.contains { $0 >= 0x80 || $0 == 0x0D }
            #expect(copy.withUTF8(Summarizer.isASCIIWithoutCR) == reference, "\(text)")
            #expect(Summarizer.words(text) == text.split(whereSeparator: { " \t\n\r\r\n".contains($0) }).count)
            for budget in 0...text.count + 2 { #expect(Summarizer.fits(text, budget) == (text.count <= budget), "\(text) \(budget)") }
        }
    }

    @Test func keepDatelineOnRequest() throws {
        let s = try Summarizer(.init(keepDateline: true)).summarize(Self.article)
        #expect(s.lede.hasPrefix("HARBOR CITY — The City Council"))
    }

    @Test(arguments: [SummaryLength.words(40), .characters(300), .sentences(1)])
    func budgetsAreRespected(length: SummaryLength) throws {
        let s = try Summarizer().summarize(Self.article, length: length)
        #expect(!s.summary.isEmpty)
        switch length {
        case let .words(n): #expect(s.summary.map { Summarizer.words($0.text) }.reduce(0, +) <= n)
        case let .characters(n): #expect(s.summaryText.count <= n)
        case let .sentences(n): #expect(s.summary.count <= n)
        }
    }

    @Test func summariesComeFromTheSourceInOrderAndAreNeverEmpty() throws {
        var g = SplitMix64(seed: 11)
        let pool = Self.article.components(separatedBy: "\n\n").dropFirst().flatMap { SentenceSplitter().split($0).map(\.text) }
        for _ in 0..<30 {
            let picked = (0..<Int.random(in: 1...6, using: &g)).map { _ in pool.randomElement(using: &g)! }
            let text = picked.joined(separator: " ")
            let s = try Summarizer().summarize(text, length: .sentences(Int.random(in: 1...4, using: &g)))
            #expect(!s.summary.isEmpty)
            #expect(s.summary.allSatisfy { text.contains($0.text) || $0.text.hasPrefix("\"") })
            #expect(s.summary.map(\.index) == s.summary.map(\.index).sorted())
        }
    }

    @Test func overlongSentencesAreShortenedAtAClause() throws {
        let long = "The council, after a debate that lasted well past midnight and drew more than two hundred residents to the chamber, voted to approve the plan for a new dock at the foot of Main Street near the old cannery."
        let s = try Summarizer().summarize(long, teaserCharacters: 80)
        #expect(s.teaserShortened && s.teaser.count <= 80 && s.teaser.hasSuffix("…"))
        #expect(s.teaser.hasPrefix("The council"))
        let words = try Summarizer().summarize(long, length: .words(10))
        #expect(words.summaryShortened && Summarizer.words(words.summaryText) <= 10)
    }

    @Test func shorteningCutsBeforeConjunctionsAndStaysLinear() {
        let s = "The council approved the plan for the new dock and the mayor signed it the same night"
        #expect(Summarizer.shorten(s, toCharacters: 60) == "The council approved the plan for the new dock…")
        #expect(Summarizer.shorten("Supercalifragilistic", toCharacters: 5) == nil)
        let huge = String(repeating: "word ", count: 1_000_000)
        let cut = Summarizer.shorten(huge, toCharacters: 200)
        #expect(cut != nil && cut!.count <= 200)
    }

    // MARK: - Bad input

    @Test func emptyAndChromeOnlyInputsAreClearErrors() {
        #expect(throws: SummarizationError.noSentences(source: "article")) { _ = try Summarizer().summarize("") }
        #expect(throws: SummarizationError.noSentences(source: "article")) { _ = try Summarizer().summarize(" \n\n\t") }
        #expect(throws: SummarizationError.noSentences(source: "article")) {
            _ = try Summarizer().summarize("Home\nNews\nSports\nSubscribe\nContact us")
        }
    }

    @Test func singleSentenceAndNoPunctuation() throws {
        let one = try Summarizer().summarize("The mayor resigned on Friday.")
        #expect(one.lede == "The mayor resigned on Friday." && one.teaser == one.lede && one.summaryText == one.lede)
        let bare = try Summarizer().summarize("the mayor resigned today after a long scandal involving city funds and a state audit")
        #expect(!bare.lede.isEmpty && !bare.summary.isEmpty)
    }

    @Test func allCapsText() throws {
        let s = try Summarizer().summarize("THE MAYOR RESIGNED ON FRIDAY. THE COUNCIL WILL PICK A SUCCESSOR. VOTERS WERE STUNNED.")
        #expect(s.summary.count == 3)
        #expect(s.lede == "THE MAYOR RESIGNED ON FRIDAY.")
    }

    @Test func teaserBudgetSmallerThanAnyWord() {
        #expect(throws: SummarizationError.self) { _ = try Summarizer().summarize(Self.article, teaserCharacters: 2) }
    }

    @Test func invalidLengthsAreRefused() {
        #expect(throws: SummarizationError.self) { _ = try Summarizer().summarize(Self.article, length: .sentences(0)) }
    }

    @Test(.timeLimit(.minutes(2)))
    func largeInputsFinish() throws {
        let paragraph = Self.article.components(separatedBy: "\n\n").dropFirst().joined(separator: "\n\n")
        let big = String(repeating: paragraph + "\n\n", count: 4000)  // about 2.3 MB, 24,000 sentences
        let s = try Summarizer().summarize(big)
        #expect(s.sentences.count == SummaryConfiguration().maxSentences)
        #expect(!s.summary.isEmpty)
    }

    @Test func lexRankIsAProbabilityVectorAndCapped() {
        let graph = SentenceGraph(sentences: ["Ferry dock approved by council.", "Council approved the ferry dock plan.",
                                              "Weather was sunny."], headline: "Ferry dock")
        let (p, iterations) = graph.lexRank(damping: 0.85, maxIterations: 500, tolerance: 1e-12)
        #expect(isClose(p.reduce(0, +), 1, absolute: 1e-9))
        #expect(p[2] < p[0] && p[2] < p[1], "the unrelated sentence is least central")
        #expect(iterations < 500)
        #expect(graph.lexRank(damping: 0.85, maxIterations: 3, tolerance: 0).iterations == 3)
        // Similarities: symmetric, unit diagonal.
        for i in 0..<3 { for j in 0..<3 { #expect(isClose(graph.similarity[i * 3 + j], graph.similarity[j * 3 + i])) } }
        #expect(graph.similarity[0] == 1 && graph.headlineSimilarity[0] > 0 && graph.headlineSimilarity[2] == 0)
    }

    /// Terms are numbered by first appearance in each article, words with one stem share a term,
    /// unstemmed non-ASCII words get their own, and a cache warmed by earlier articles (or one that
    /// went over its limit and started afresh) gives the graph a cold one gives.
    @Test func stemCacheNumbersEachArticlesTermsAlike() {
        var cache = SentenceGraph.StemCache()
        var bags = SentenceGraph.TermBags(stems: cache)
        bags.stems.beginArticle()
        #expect(bags.bag("Ferries running; the ferry runs.") == [0, 1, 0, 1])
        #expect(bags.bag("Naïve crews run café ferries") == [2, 3, 1, 4, 0])
        #expect(bags.termCount == 5)
        swap(&bags.stems, &cache)
        var next = SentenceGraph.TermBags(stems: cache)
        next.stems.beginArticle()
        #expect(next.bag("Café runs, ferries run.") == [0, 1, 2, 1], "a new article numbers its terms from 0")

        let articles = [
            ["The council approved the ferry budget on Tuesday.", "Ferry crews said the budget was late.", "Rain fell."],
            ["Running costs rose as the ferries ran late.", "The council runs the ferries; crews run them.", "Café owners cheered."],
            ["Budget talks resumed.", "Ferry running costs were cut by the council.", "The naïve plan failed."],
        ]
        func graphs(_ cache: inout SentenceGraph.StemCache) -> [[Double]] {
            articles.map { a in
                let g = SentenceGraph(sentences: a, headline: "Ferry budget", stems: &cache)
                return g.similarity + g.coverage + g.headlineSimilarity
            }
        }
        var warm = SentenceGraph.StemCache()
        let first = graphs(&warm)
        let again = graphs(&warm)
        var tiny = SentenceGraph.StemCache(capacity: 4, limit: 5)
        let restarted = graphs(&tiny)
        #expect(tiny.count < 40, "the cache over its limit started afresh")
        var late = SentenceGraph.StemCache(numberedFrom: Int32.max - 1)
        let renumbered = graphs(&late) + graphs(&late)  // article numbers run out after the first
        for (k, article) in articles.enumerated() {
            var cold = SentenceGraph.StemCache()
            let g = SentenceGraph(sentences: article, headline: "Ferry budget", stems: &cold)
            let expected = g.similarity + g.coverage + g.headlineSimilarity
            #expect(first[k] == expected && again[k] == expected && restarted[k] == expected)
            #expect(renumbered[k] == expected && renumbered[k + articles.count] == expected)
        }
    }

    /// The sentence graph's sparse products are, to the bit, what the reference BLAS `dsyrk` gives
    /// for the dense matrix over the shared terms (random sparse vectors, empty sentences included).
    @Test func sharedTermProductsEqualDenseSyrkBitForBit() {
        var g = SplitMix64(seed: 11)
        for trial in 0..<40 {
            let n = 1 + trial % 23, termCount = 5 + trial * 3
            var vectors: [[(Int, Double)]] = []
            for _ in 0..<n {
                let terms = Set((0..<Int(g.next() % 13)).map { _ in Int(g.next() % UInt64(termCount)) }).sorted()
                vectors.append(terms.map { ($0, Double(g.next() % 1_000_000 + 1) / 999_983.0) })
            }
            var df = [Int](repeating: 0, count: termCount)
            for v in vectors { for (t, _) in v { df[t] += 1 } }
            let sim = SentenceGraph.sharedTermProducts(vectors, df: df)
            let shared = (0..<termCount).filter { df[$0] >= 2 }
            guard !shared.isEmpty else { #expect(sim.allSatisfy { $0 == 0 }); continue }
            let m = shared.count
            var x = [Double](repeating: 0, count: n * m)
            for (i, v) in vectors.enumerated() {
                for (t, w) in v { if let c = shared.firstIndex(of: t) { x[i * m + c] = w } }
            }
            var dense = [Double](repeating: 0, count: n * n)
            BLAS.syrkUpper(n: n, k: m, alpha: 1, x, lda: m, beta: 0, &dense, ldc: n)
            for i in 0..<n {
                for j in 0..<n where i != j {
                    let expected = dense[min(i, j) * n + max(i, j)]
                    #expect(sim[i * n + j].bitPattern == expected.bitPattern, "trial \(trial) (\(i), \(j))")
                }
            }
        }
    }

    static let seedPath = SentenceSplitterTests.seedPath

    @Test(.enabled(if: FileManager.default.fileExists(atPath: seedPath), "../shared/seeds not found; founding-example check skipped"))
    func foundingExample() throws {
        let page = try String(contentsOfFile: Self.seedPath, encoding: .utf8)
        let s = try Summarizer().summarize(page)
        #expect(s.lede.hasPrefix("One of the highest-ranking military officers"))
        #expect(s.teaser.count <= 200)
        let story = ArticleCleaner().paragraphTexts(page)[0...30].joined(separator: "\n\n")
        for text in [s.lede, s.teaser] + s.summary.map(\.text) + s.sentences.map(\.text) {
            #expect(story.contains(text), "not from the wire story: \(text.prefix(60))")
        }
    }
}
