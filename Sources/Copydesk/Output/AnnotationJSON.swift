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

    /// ``classification(_:id:desk:top:explain:reviewBelow:)`` as its JSON line, written directly
    /// (the same text as ``JSONLine/line(_:)`` of the object, without building it).
    public static func classificationLine(_ p: Prediction, id: String?, desk: DeskProfile?, top: Int? = nil,
                                          explain: Bool = false, reviewBelow: Double? = nil) -> String {
        let name = { (section: String) in desk?.displayName(of: section) ?? section }
        var out: [UInt8] = []
        out.reserveCapacity(64 + 40 * p.probabilities.count + (explain ? 100 * p.explanation.count : 0))
        out.appendText("{")
        if explain {
            out.appendText("\"explanation\":[")
            for (n, t) in p.explanation.enumerated() {
                if n > 0 { out.appendText(",") }
                out.appendText("{\"contribution\":")
                JSONLine.appendNumber(JSONLine.rounded(t.contribution), to: &out)
                out.appendText(",\"term\":")
                JSONLine.appendString(t.term, to: &out)
                out.appendText(",\"tfidf\":")
                JSONLine.appendNumber(JSONLine.rounded(t.tfidf), to: &out)
                out.appendText(",\"weight\":")
                JSONLine.appendNumber(JSONLine.rounded(t.weight), to: &out)
                out.appendText("}")
            }
            out.appendText("],")
        }
        var label = ""
        JSONLine.writeString(name(p.section), to: &label)
        // Sections a desk gives one name share it, their probabilities added (as the object does).
        var shown: [(key: String, probability: Double)] = []
        var position: [String: Int] = [:]
        for q in p.probabilities.prefix(top ?? p.probabilities.count) {
            let key = name(q.section), value = JSONLine.rounded(q.probability)
            if let i = position[key] { shown[i].probability += value } else {
                position[key] = shown.count
                shown.append((key, value))
            }
        }
        shown.sort { $0.key < $1.key }
        writeRest(id: id, label: label, keys: shown.lazy.map { var k = ""; JSONLine.writeString($0.key, to: &k); return k + ":" },
                  probabilities: shown.lazy.map(\.probability),
                  review: reviewBelow.map { p.probabilities[0].probability < $0 }, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// The line ``classificationLine(_:id:desk:top:explain:reviewBelow:)`` writes for a model's
    /// own section names, every section and no explanation, from the probabilities alone (in the
    /// model's section order, as ``SectionClassifier/probabilities(of:)`` gives them): what a stream
    /// without a desk writes per article, without ranking the sections.
    public static func classificationLine(probabilities p: [Double], of model: SectionClassifier, id: String?,
                                          reviewBelow: Double? = nil) -> String {
        let best = SectionClassifier.best(p)
        var out: [UInt8] = []
        out.reserveCapacity(64 + 40 * p.count)
        out.appendText("{")
        writeRest(id: id, label: String(model.sectionKeys[best].dropLast()), keys: model.sectionKeys,
                  probabilities: p.lazy.map(JSONLine.rounded), review: reviewBelow.map { p[best] < $0 }, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// The keys after `explanation`, in order: `id`, `label` (already quoted), `probabilities` (each
    /// key already quoted with its colon, its value rounded), `review`; then the closing brace.
    /// Written as bytes: the line becomes a `String` once, checked once.
    private static func writeRest<Keys: Sequence<String>, Values: Sequence<Double>>(
        id: String?, label: String, keys: Keys, probabilities: Values, review: Bool?, to out: inout [UInt8]
    ) {
        if let id {
            out.appendText("\"id\":")
            JSONLine.appendString(id, to: &out)
            out.appendText(",")
        }
        out.appendText("\"label\":")
        out.appendText(label)
        out.appendText(",\"probabilities\":{")
        for (n, (key, probability)) in zip(keys, probabilities).enumerated() {
            if n > 0 { out.append(0x2C) }
            out.appendText(key)
            JSONLine.appendNumber(probability, to: &out)
        }
        out.appendText("}")
        if let review { out.appendText(review ? ",\"review\":true" : ",\"review\":false") }
        out.appendText("}")
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

    /// ``summary(_:id:file:scores:)`` as its JSON line, written directly as bytes (the same text as
    /// ``JSONLine/line(_:)`` of the object: keys in sorted order, without building the dictionary).
    public static func summaryLine(_ s: ArticleSummary, id: String?, file: String? = nil, scores: Bool = false) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(256 + 2 * s.summaryText.utf8.count + (scores ? 200 * s.sentences.count : 0))
        var first = true
        func key(_ name: String) {
            out.append(first ? 0x7B : 0x2C)  // "{" before the first key, "," between keys
            first = false
            JSONLine.appendString(name, to: &out)
            out.append(0x3A)
        }
        if let d = s.dateline { key("dateline"); JSONLine.appendString(d, to: &out) }
        if let file { key("file"); JSONLine.appendString(file, to: &out) }
        if let id { key("id"); JSONLine.appendString(id, to: &out) }
        key("lede"); JSONLine.appendString(s.lede, to: &out)
        if scores {
            key("scores")
            out.append(0x5B)
            // A sentence's keys in sorted order, its numbers rounded as the object's are.
            func number(_ name: String, _ value: Double) {
                out.appendText(name)
                JSONLine.appendNumber(JSONLine.rounded(value), to: &out)
            }
            for (n, x) in s.sentences.enumerated() {
                if n > 0 { out.append(0x2C) }
                number("{\"centrality\":", x.centrality)
                number(",\"coverage\":", x.coverage)
                number(",\"headline\":", x.headline)
                out.appendText(",\"index\":" + String(x.index))
                number(",\"length\":", x.length)
                number(",\"position\":", x.position)
                number(",\"score\":", x.score)
                out.appendText(",\"text\":")
                JSONLine.appendString(x.text, to: &out)
                out.append(0x7D)
            }
            out.append(0x5D)
        }
        key("summary"); JSONLine.appendString(s.summaryText, to: &out)
        key("summary_sentences")
        out.append(0x5B)
        for (n, sentence) in s.summary.enumerated() {
            if n > 0 { out.append(0x2C) }
            JSONLine.appendString(sentence.text, to: &out)
        }
        out.append(0x5D)
        key("summary_shortened"); out.appendText(s.summaryShortened ? "true" : "false")
        key("teaser"); JSONLine.appendString(s.teaser, to: &out)
        key("teaser_shortened"); out.appendText(s.teaserShortened ? "true" : "false")
        if let t = s.title { key("title"); JSONLine.appendString(t, to: &out) }
        out.append(0x7D)
        return String(decoding: out, as: UTF8.self)
    }
}
