import Foundation

/// Sums of ROUGE-1/2/L F1 over articles.
public struct RougeTotals: Sendable, Equatable {
    public var rouge1 = 0.0, rouge2 = 0.0, rougeL = 0.0

    public init() {}

    public mutating func add(_ s: ROUGEScores) {
        rouge1 += s.rouge1.f1
        rouge2 += s.rouge2.f1
        rougeL += s.rougeL.f1
    }

    /// The mean F1s over `articles` articles, × 100.
    public func percentages(over articles: Int) -> (rouge1: Double, rouge2: Double, rougeL: Double) {
        let n = Double(max(articles, 1))
        return (100 * rouge1 / n, 100 * rouge2 / n, 100 * rougeL / n)
    }
}

/// Copydesk's summaries and the Lead-k baseline scored against reference summaries: what
/// `copydesk evaluate-summaries` runs.
public struct SummaryEvaluation: Sendable {
    public var articles: Int
    public var copydesk = RougeTotals()
    /// The first k sentences of the same cleaned, split article.
    public var lead = RougeTotals()
    /// Time spent summarizing (the scoring not included).
    public var summarizingSeconds = 0.0
    /// Each article's summary (empty when it had no sentence).
    public var summaries: [(id: String, text: String)] = []

    /// Summarizes each article in `sentences` sentences (nil: as many as its reference has, at
    /// least one) and scores that and the Lead-k baseline with `rouge`. Articles without a
    /// reference are not expected here. `progress` gets the number of articles done.
    public static func run(_ articles: [Article], summarizer: Summarizer, sentences fixed: Int?, rouge: ROUGE,
                           splitter: SentenceSplitter = .init(), progress: ((Int) -> Void)? = nil) -> SummaryEvaluation {
        var result = SummaryEvaluation(articles: articles.count)
        for (n, a) in articles.enumerated() {
            let reference = a.summary ?? ""
            let k = fixed ?? max(1, splitter.split(reference).count)
            let started = Date()
            let text: String, leadText: String
            do {
                let s = try summarizer.summarize(a.text, title: a.title, length: .sentences(k), teaserCharacters: 10_000,
                                                 clean: false, source: a.id)
                text = s.summaryText
                leadText = s.sentences.prefix(k).map(\.text).joined(separator: " ")
            } catch {
                text = ""
                leadText = ""
            }
            result.summarizingSeconds += Date().timeIntervalSince(started)
            let referenceTokens = rouge.tokens(reference)
            result.copydesk.add(rouge.score(referenceTokens: referenceTokens, candidateTokens: rouge.tokens(text)))
            result.lead.add(rouge.score(referenceTokens: referenceTokens, candidateTokens: rouge.tokens(leadText)))
            result.summaries.append((a.id, text))
            progress?(n + 1)
        }
        return result
    }
}
