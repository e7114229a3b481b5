/// The JSON objects of a classification and of a summary: what `classify --json` and
/// `summarize --json` print and what the service answers, built in one place so that they agree.
public enum AnnotationJSON {
    /// A prediction: `id`, `label` (the desk's name for the section), `probabilities` (the `top`
    /// sections, all when nil), `review` when `reviewBelow` is given, and `explanation` (the terms
    /// the prediction was explained by; empty when only the intercept speaks) when `explain`.
    public static func classification(_ p: Prediction, id: String?, desk: DeskProfile?, top: Int? = nil,
                                      explain: Bool = false, reviewBelow: Double? = nil) -> [String: Any] {
        let name = { (section: String) in desk?.displayName(of: section) ?? section }
        let shown = p.probabilities.prefix(top ?? p.probabilities.count)
        var object: [String: Any] = [
            "label": name(p.section),
            "probabilities": Dictionary(shown.map { (name($0.section), JSONLine.rounded($0.probability)) },
                                        uniquingKeysWith: { a, b in a + b }),
        ]
        if let id { object["id"] = id }
        if let reviewBelow { object["review"] = p.probabilities[0].probability < reviewBelow }
        if explain {
            object["explanation"] = p.explanation.map {
                ["term": $0.term, "tfidf": JSONLine.rounded($0.tfidf), "weight": JSONLine.rounded($0.weight),
                 "contribution": JSONLine.rounded($0.contribution)] as [String: Any]
            }
        }
        return object
    }

    /// A summary: `lede`, `teaser` (and whether it was shortened), `summary` and its sentences,
    /// `title` and `dateline` when found, and with `scores` every sentence's score and its parts.
    public static func summary(_ s: ArticleSummary, id: String?, file: String? = nil, scores: Bool = false) -> [String: Any] {
        var o: [String: Any] = [
            "lede": s.lede, "teaser": s.teaser, "teaser_shortened": s.teaserShortened,
            "summary": s.summaryText, "summary_sentences": s.summary.map(\.text),
            "summary_shortened": s.summaryShortened,
        ]
        if let id { o["id"] = id }
        if let file { o["file"] = file }
        if let t = s.title { o["title"] = t }
        if let d = s.dateline { o["dateline"] = d }
        if scores {
            o["scores"] = s.sentences.map {
                ["index": $0.index, "text": $0.text, "score": JSONLine.rounded($0.score),
                 "centrality": JSONLine.rounded($0.centrality), "coverage": JSONLine.rounded($0.coverage),
                 "position": JSONLine.rounded($0.position), "headline": JSONLine.rounded($0.headline),
                 "length": JSONLine.rounded($0.length)] as [String: Any]
            }
        }
        return o
    }
}
