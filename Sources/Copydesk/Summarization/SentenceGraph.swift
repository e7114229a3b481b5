import Foundation

/// TF-IDF vectors of an article's sentences and their cosine-similarity matrix.
///
/// Terms are the tokenizer's words without English stop words, Porter-stemmed; idf is computed over
/// the article's own sentences, `idf(t) = ln(n / df(t)) + 1`; vectors are L2-normalised, so the
/// similarity matrix is `X·Xᵀ` over the terms shared by at least two sentences (a term in one
/// sentence only adds nothing off the diagonal; norms are taken before dropping it). `X` is sparse —
/// a sentence holds a few of an article's shared terms — so the products are summed through each
/// term's sentences, in the order and to the bits a dense BLAS `dsyrk` gives, without its zeros.
/// Length-normalised cosine centrality misses one thing readers value: how much of the article's
/// recurring vocabulary a sentence carries, so the graph also reports ``coverage``.
struct SentenceGraph {
    let count: Int
    /// `count × count`, row-major; the diagonal is 1 for non-empty sentences.
    let similarity: [Double]
    /// Similarity of each sentence to the headline (0 without one).
    let headlineSimilarity: [Double]
    /// `Σ ln df(t)` over the sentence's distinct terms: how much of the article's recurring
    /// vocabulary it carries (0 for terms found in no other sentence).
    let coverage: [Double]

    static let tokenizer = Tokenizer(.init(minimumLength: 2))
    static let stopWords: TermTable = {
        var t = TermTable(capacity: StopWords.english.count)
        for w in StopWords.english { t.insert(w) }
        return t
    }()

    /// Turns sentences into bags of term ids: tokens without stop words, ASCII ones Porter-stemmed,
    /// term ids in order of first appearance. Works on token bytes: each token is one lookup in the
    /// thread's ``StemCache``, which knows every word it has seen.
    struct TermBags {
        private(set) var termCount = 0
        private var tokens = TokenList()
        var stems: StemCache

        init(stems: StemCache) { self.stems = stems }

        mutating func bag(_ text: String) -> [Int] {
            tokens.removeAll()
            var copy = text
            copy.withUTF8 { SentenceGraph.tokenizer.tokenize($0, into: &tokens) }
            var out: [Int] = []
            out.reserveCapacity(tokens.count)
            // The token list's buffer, read once (not through its storage's properties per token).
            let segments = tokens.storage.tokens
            let segmentHashes = segments.hashes
            tokens.withBytes { bytes in
                for k in 0..<segments.count {
                    let key = UnsafeBufferPointer(rebasing: bytes[segments.range(k)])
                    // A token has no space: its key hash follows from the hash the tokenizer stored
                    // (``TermHash/hash(_:)`` of one segment). The cache's tables share it.
                    let h = TermHash.finish(TermHash.combine(TermHash.seed, segmentHashes[k]))
                    let t = stems.term(of: key, hash: h, next: termCount)
                    if t == termCount { termCount += 1 }
                    if t >= 0 { out.append(t) }
                }
            }
            return out
        }
    }

    /// What one thread knows of the words it has seen, across the articles it summarizes (a stream
    /// repeats most of its vocabulary): each word's stem — its Porter stem if ASCII, the word itself
    /// otherwise, none for a stop word — as a stem id (words with one stem share it), and which stems
    /// the current article has used as terms. An article's terms are numbered by first appearance
    /// through a stamp per stem, so nothing is cleared between articles. Once over `limit` words,
    /// the cache starts afresh at the next article.
    struct StemCache {
        private var words: TermTable
        /// Stem id of each cached word (-1 for a stop word).
        private var stemOfWord: [Int32] = []
        /// The distinct stems (their ids).
        private var stems: TermTable
        /// For each stem, its term id in the article whose number `articleOfStem` holds (0: none yet).
        private var termOfStem: [Int32] = []
        private var articleOfStem: [Int32] = []
        /// The current article's number, from 1.
        private var article: Int32 = 0
        /// Room for one stem (a word's bytes, rewritten in place by the stemmer).
        private var scratch: [UInt8] = []
        /// Words cached at most (then the cache starts afresh at the next article).
        let limit: Int

        /// `numberedFrom`: the number the last article had (tests start near the end of the numbers).
        init(capacity: Int = 4096, limit: Int = 100_000, numberedFrom: Int32 = 0) {
            words = TermTable(capacity: capacity)
            stems = TermTable(capacity: capacity / 2)
            self.limit = limit
            article = numberedFrom
        }

        /// Words cached.
        var count: Int { words.count }

        /// Starts an article: term ids handed out from here on are the new article's.
        mutating func beginArticle() {
            if words.count > limit { self = StemCache(limit: limit) }
            if article == Int32.max {
                // Out of numbers: every stamp back to "none", so none matches a reused number.
                for s in articleOfStem.indices { articleOfStem[s] = 0 }
                article = 0
            }
            article += 1
        }

        /// The article's term for word `key` (hash `h`): -1 for a stop word, the term id of an earlier
        /// word with the same stem, or `next` if the stem is new to the article.
        mutating func term(of key: UnsafeBufferPointer<UInt8>, hash h: UInt64, next: Int) -> Int {
            let stem = stemID(key, hash: h)
            if stem < 0 { return -1 }
            if articleOfStem[stem] == article { return Int(termOfStem[stem]) }
            articleOfStem[stem] = article
            termOfStem[stem] = Int32(next)
            return next
        }

        /// The stem id of word `key` (-1 for a stop word), stemming it the first time.
        private mutating func stemID(_ key: UnsafeBufferPointer<UInt8>, hash h: UInt64) -> Int {
            let word = words.insert(key, hash: h)
            if word < stemOfWord.count { return Int(stemOfWord[word]) }
            let stem: Int
            if SentenceGraph.stopWords.id(of: key, hash: h) != nil {
                stem = -1
            } else if key.allSatisfy({ $0 < 0x80 }) {
                scratch.removeAll(keepingCapacity: true)
                scratch.append(contentsOf: key)
                PorterStemmer.stem(&scratch)
                stem = scratch.withUnsafeBufferPointer { stems.insert($0) }
            } else {
                stem = stems.insert(key, hash: h)  // not stemmed; never equal to an ASCII stem
            }
            if stem == termOfStem.count {
                termOfStem.append(0)
                articleOfStem.append(0)
            }
            stemOfWord.append(Int32(stem))
            return stem
        }
    }

    init(sentences: [String], headline: String?) {
        var stems = StemCache()
        self.init(sentences: sentences, headline: headline, stems: &stems)
    }

    init(sentences: [String], headline: String?, stems: inout StemCache) {
        let n = sentences.count
        count = n
        // The bags own the cache while they work (a second reference would make its first insert
        // copy the whole cache, once per article), and hand it back at the end.
        var termBags = TermBags(stems: StemCache(capacity: 0))
        swap(&termBags.stems, &stems)
        defer { swap(&termBags.stems, &stems) }
        termBags.stems.beginArticle()
        func bag(_ text: String) -> [Int] { termBags.bag(text) }
        let bags = sentences.map(bag)
        let headlineBag = headline.map(bag) ?? []
        let termCount = termBags.termCount
        var df = [Int](repeating: 0, count: termCount)
        var seen = [Int](repeating: -1, count: termCount)
        for (i, b) in bags.enumerated() { for t in b where seen[t] != i { seen[t] = i; df[t] += 1 } }
        let idf = df.map { $0 > 0 ? log(Double(n) / Double($0)) + 1 : 1 }
        /// Sorted (term, weight) pairs, L2-normalised: counts by sorting the bag.
        func vector(_ b: [Int]) -> [(Int, Double)] {
            let sorted = b.sorted()
            var v: [(Int, Double)] = []
            v.reserveCapacity(sorted.count)
            var k = 0
            while k < sorted.count {
                var e = k + 1
                while e < sorted.count && sorted[e] == sorted[k] { e += 1 }
                v.append((sorted[k], Double(e - k) * idf[sorted[k]]))
                k = e
            }
            let norm = v.reduce(0) { $0 + $1.1 * $1.1 }.squareRoot()
            if norm > 0 { for k in v.indices { v[k].1 /= norm } }
            return v
        }
        let vectors = bags.map(vector)
        // Σ ln df over each sentence's distinct terms, in increasing term order (ln 1 = 0 exactly,
        // so only the shared terms need a logarithm).
        let logDF = df.map { $0 > 1 ? log(Double($0)) : 0 }
        coverage = vectors.map { v in v.reduce(0) { $0 + logDF[$1.0] } }
        var sim = SentenceGraph.sharedTermProducts(vectors, df: df)
        for i in 0..<n { sim[i * n + i] = vectors[i].isEmpty ? 0 : 1 }
        similarity = sim
        if !headlineBag.isEmpty {
            var h = [Double](repeating: 0, count: termCount)
            // The headline's terms weighted with the article's idf (1 for terms only the headline has).
            for (t, w) in vector(headlineBag) { h[t] = w }
            headlineSimilarity = vectors.map { v in v.reduce(0) { $0 + $1.1 * h[$1.0] } }
        } else {
            headlineSimilarity = [Double](repeating: 0, count: n)
        }
    }

    /// `X·Xᵀ` off the diagonal (row-major `n × n`, symmetric; the diagonal is left 0) for sentence
    /// vectors of sorted `(term, weight)` pairs with positive weights, over the terms with `df ≥ 2`.
    /// Each such term adds its products to the pairs of sentences holding it, terms in increasing
    /// order: every entry is the sum a dense `X·Xᵀ` over those terms (reference BLAS `dsyrk`) makes,
    /// term by term, to the bit, without its products of zeros (which add +0).
    static func sharedTermProducts(_ vectors: [[(Int, Double)]], df: [Int]) -> [Double] {
        let n = vectors.count, termCount = df.count
        var sim = [Double](repeating: 0, count: n * n)
        var start = [Int](repeating: 0, count: termCount + 1)
        for t in 0..<termCount { start[t + 1] = start[t] + (df[t] >= 2 ? df[t] : 0) }
        guard start[termCount] > 0 else { return sim }
        // Postings of the shared terms, sentences in increasing order.
        var fill = start
        var sentence = [Int](repeating: 0, count: start[termCount])
        var weight = [Double](repeating: 0, count: start[termCount])
        for (i, v) in vectors.enumerated() {
            for (t, w) in v where df[t] >= 2 {
                sentence[fill[t]] = i
                weight[fill[t]] = w
                fill[t] += 1
            }
        }
        for t in 0..<termCount where df[t] >= 2 {
            for a in start[t]..<start[t + 1] {
                let row = sentence[a] * n, wa = weight[a]
                for b in (a + 1)..<start[t + 1] { sim[row + sentence[b]] += wa * weight[b] }
            }
        }
        for i in 0..<n { for j in 0..<i { sim[i * n + j] = sim[j * n + i] } }
        return sim
    }

    /// Continuous LexRank: the stationary vector of `p = (1 − d)/n + d · Mᵀ p`, `M` the similarity
    /// matrix with rows normalised to sum 1, by power iteration (BLAS `dgemv`) with a cap.
    func lexRank(damping d: Double, maxIterations: Int, tolerance: Double) -> (scores: [Double], iterations: Int) {
        let n = count
        guard n > 0 else { return ([], 0) }
        var m = similarity
        for i in 0..<n {
            var s = 0.0
            for j in 0..<n { s += m[i * n + j] }
            // A sentence with no similarity to anything links uniformly (a dangling node).
            if s > 0 { for j in 0..<n { m[i * n + j] /= s } } else { for j in 0..<n { m[i * n + j] = 1 / Double(n) } }
        }
        var p = [Double](repeating: 1 / Double(n), count: n)
        var next = p
        var iterations = 0
        while iterations < maxIterations {
            iterations += 1
            for i in 0..<n { next[i] = (1 - d) / Double(n) }
            BLAS.gemv(transpose: true, rows: n, columns: n, alpha: d, m, lda: n, p, beta: 1, &next)
            var change = 0.0
            for i in 0..<n { change += abs(next[i] - p[i]) }
            swap(&p, &next)
            if change < tolerance { break }
        }
        return (p, iterations)
    }
}
