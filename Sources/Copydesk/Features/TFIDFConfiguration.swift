/// A bound on document frequency: an absolute number of documents, or a fraction of them.
/// Mirrors scikit-learn's `min_df` / `max_df`, where an integer is a count and a float a proportion.
public enum DocumentFrequencyBound: Sendable, Hashable, Codable, CustomStringConvertible {
    case count(Int)
    case fraction(Double)

    /// Parses `"2"` as a count and `"0.5"` or `"1.0"` as a fraction, as scikit-learn reads ints and floats.
    public init?(_ text: String) {
        if let n = Int(text) { self = .count(n) }
        else if let f = Double(text), f.isFinite { self = .fraction(f) }
        else { return nil }
    }

    /// The bound in documents for a corpus of `documents` documents.
    func documents(of documents: Int) -> Double {
        switch self {
        case let .count(n): Double(n)
        case let .fraction(f): f * Double(documents)
        }
    }

    public var description: String {
        switch self {
        case let .count(n): "\(n)"
        case let .fraction(f): "\(f)"
        }
    }

    private enum Keys: String, CodingKey { case count, fraction }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        if let n = try c.decodeIfPresent(Int.self, forKey: .count) { self = .count(n) }
        else { self = .fraction(try c.decode(Double.self, forKey: .fraction)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        switch self {
        case let .count(n): try c.encode(n, forKey: .count)
        case let .fraction(f): try c.encode(f, forKey: .fraction)
        }
    }
}

/// Settings of the TF-IDF vectorizer; validated by ``validate()`` before fitting.
///
/// For a term `t` in document `d` of a training corpus of `n` documents, with `df(t)` the number of
/// training documents containing `t` and `c(t, d)` its count in `d`:
///
///     tf(t, d)  = c(t, d)                  or 1 + ln c(t, d) with sublinearTF
///     idf(t)    = ln((1 + n) / (1 + df(t))) + 1   with smoothIDF (the default)
///               = ln(n / df(t)) + 1                without it
///     x(t, d)   = tf(t, d) · idf(t),  then the row is divided by its L2 norm (normalize)
///
/// This is scikit-learn's `TfidfVectorizer` formula exactly, including the `+ 1` that keeps terms
/// present in every document. A term is kept when `minDF ≤ df(t) ≤ maxDF` (bounds resolved against
/// `n`); then, with `maxFeatures`, only the most frequent terms by total count over the corpus,
/// ties broken by byte order (scikit-learn leaves ties to an unstable sort). Stop words are removed
/// before n-grams are formed; an n-gram is its tokens joined by one space. Columns are ordered by the
/// terms' UTF-8 bytes, which is scikit-learn's (code-point) order.
public struct TFIDFConfiguration: Sendable, Hashable, Codable {
    public var tokenizer: TokenizerConfiguration
    /// Smallest and largest n-gram length, e.g. `1...2` for unigrams and bigrams.
    public var ngrams: ClosedRange<Int>
    public var minDF: DocumentFrequencyBound
    public var maxDF: DocumentFrequencyBound
    public var maxFeatures: Int?
    public var sublinearTF: Bool
    public var smoothIDF: Bool
    public var normalize: Bool
    /// Tokens removed before n-grams are formed; compared after the tokenizer's lowercasing.
    public var stopWords: [String]

    /// Copydesk's defaults for news: unigrams and bigrams, `minDF` 2, sublinear tf, smooth idf, L2.
    public init(
        tokenizer: TokenizerConfiguration = .init(), ngrams: ClosedRange<Int> = 1...2,
        minDF: DocumentFrequencyBound = .count(2), maxDF: DocumentFrequencyBound = .fraction(1.0),
        maxFeatures: Int? = nil, sublinearTF: Bool = true, smoothIDF: Bool = true, normalize: Bool = true,
        stopWords: [String] = []
    ) {
        self.tokenizer = tokenizer
        self.ngrams = ngrams
        self.minDF = minDF
        self.maxDF = maxDF
        self.maxFeatures = maxFeatures
        self.sublinearTF = sublinearTF
        self.smoothIDF = smoothIDF
        self.normalize = normalize
        self.stopWords = stopWords
    }

    /// scikit-learn's `TfidfVectorizer()` defaults, for comparisons.
    public static var scikitLearnDefaults: TFIDFConfiguration {
        TFIDFConfiguration(tokenizer: .init(rule: .scikitLearn), ngrams: 1...1, minDF: .count(1),
                           sublinearTF: false)
    }

    public func validate() throws {
        guard ngrams.lowerBound >= 1, ngrams.upperBound <= 8 else {
            throw ConfigurationError(parameter: "ngrams", value: "\(ngrams.lowerBound)-\(ngrams.upperBound)",
                                     expected: "a range within 1-8, such as 1-2")
        }
        for (name, bound) in [("min-df", minDF), ("max-df", maxDF)] {
            switch bound {
            case let .count(n) where n < 1:
                throw ConfigurationError(parameter: name, value: "\(n)", expected: "a count ≥ 1 or a fraction in (0, 1]")
            case let .fraction(f) where !(f > 0 && f <= 1):
                throw ConfigurationError(parameter: name, value: "\(f)", expected: "a count ≥ 1 or a fraction in (0, 1]")
            default: break
            }
        }
        if let m = maxFeatures, m < 1 {
            throw ConfigurationError(parameter: "max-features", value: "\(m)", expected: "a positive count")
        }
        guard tokenizer.minimumLength >= 1 else {
            throw ConfigurationError(parameter: "minimum token length", value: "\(tokenizer.minimumLength)",
                                     expected: "at least 1")
        }
    }
}
