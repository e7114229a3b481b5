import ArgumentParser
import Copydesk
import Foundation

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write an evaluation report as one self-contained HTML file (inline SVG and CSS, nothing fetched).")

    @OptionGroup var modelOption: ModelOption
    var model: String? { modelOption.model }

    @OptionGroup var corpus: CorpusOptions
    @OptionGroup var desks: CorpusDeskOptions

    @Option(help: "Where to write the report (replaced atomically).")
    var output: String

    @Option(help: "Misclassified articles shown with their explanations.")
    var confused = 12

    @Option(help: "Top terms listed per section.")
    var terms = 10

    @OptionGroup var threadsOption: ThreadsOption
    var threads: Int { threadsOption.threads }

    @OptionGroup var quietOption: QuietOption
    var quiet: Bool { quietOption.quiet }

    func validate() throws {
        if confused < 0 || terms < 0 { throw ValidationError("--confused and --terms must be 0 or more") }
    }

    func run() throws {
        try Failure.guarded {
            let path = ModelLocator.resolve(model)
            let loaded = try ModelFile.read(from: path)
            let corpora = try corpus.readLabeledCorpora(threads: threads)
            let profiles = try desks.profiles(corpora: corpora.count)
            var parts: [(SectionClassifier, [Article])] = [], raw: [(SectionClassifier, [Article])] = []
            var shownDesk: DeskProfile?
            for (articles, profile) in zip(corpora, profiles) {
                let (classifier, desk) = try DeskBinding.bind(loaded, deskPath: nil, profile: profile, warn: parts.isEmpty)
                shownDesk = shownDesk ?? desk
                parts.append((classifier, articles))
                raw.append((classifier.uncalibrated, articles))
            }
            let after = Evaluation.run(parts, threads: threads, quiet: quiet)
            let before = Evaluation.run(raw, threads: threads, quiet: true)
            // The most confidently wrong articles, with the terms that decided them.
            var wrong: [(article: Article, prediction: Prediction)] = []
            for (classifier, articles) in parts {
                let predictions = classifier.classify(articles[...], explain: 6, threads: threads)
                for (a, p) in zip(articles, predictions) where p.section != a.label { wrong.append((a, p)) }
            }
            wrong.sort { $0.prediction.probabilities[0].probability > $1.prediction.probabilities[0].probability }
            let html = ReportPage(modelPath: path, model: loaded, corpora: corpus.corpus, desk: shownDesk,
                                  metrics: after, uncalibrated: before, confused: Array(wrong.prefix(confused)),
                                  topTerms: loaded.topTerms(limit: terms)).html()
            do {
                try AtomicFile.write(Array(html.utf8), to: output)
            } catch {
                throw IOFailure(description: "\(output): \(error)")
            }
            if !quiet {
                Terminal.note(String(format: "wrote %@: %d articles, accuracy %.2f, macro-F1 %.2f, ECE %.3f",
                                     output, after.count, 100 * after.accuracy, 100 * after.macroF1, after.ece ?? 0))
            }
        }
    }
}

/// The report's HTML: a page of inline SVG charts and tables, readable without a network or script.
struct ReportPage {
    var modelPath: String
    var model: SectionClassifier
    var corpora: [String]
    var desk: DeskProfile?
    var metrics: ClassificationMetrics
    var uncalibrated: ClassificationMetrics
    var confused: [(article: Article, prediction: Prediction)]
    var topTerms: [(section: String, terms: [(term: String, weight: Double)])]

    func name(_ section: String) -> String { desk?.displayName(of: section) ?? section }

    func html() -> String {
        let m = metrics
        var out = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Copydesk evaluation report</title>
            <style>
            body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #1d2433;
                   margin: 0; background: #f6f7f9; }
            main { max-width: 1080px; margin: 0 auto; padding: 24px 20px 48px; }
            h1 { font-size: 26px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 0 0 12px; }
            .sub { color: #5b6475; margin: 0 0 20px; }
            .cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; margin-bottom: 20px; }
            .card, section { background: #fff; border: 1px solid #dde1e8; border-radius: 8px; padding: 14px 16px; }
            section { margin-bottom: 18px; }
            .card b { display: block; font-size: 24px; } .card span { color: #5b6475; font-size: 13px; }
            .grid2 { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(420px, 100%), 1fr)); gap: 18px; }
            .grid2 section { margin-bottom: 0; }
            table { border-collapse: collapse; width: 100%; font-size: 14px; }
            th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid #eceef2; vertical-align: top; }
            th { color: #5b6475; font-weight: 600; }
            td.num { text-align: right; font-variant-numeric: tabular-nums; }
            .terms { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(230px, 100%), 1fr)); gap: 12px; }
            .terms div { font-size: 13px; } .terms b { font-size: 14px; }
            .pill { display: inline-block; padding: 1px 7px; border-radius: 10px; background: #eef1f6; margin: 2px 3px 2px 0; font-size: 12.5px; }
            .wrong { color: #b42318; } .right { color: #1a7f37; }
            svg text { font: 12px system-ui, sans-serif; fill: #1d2433; }
            .legend { font-size: 13px; color: #5b6475; }
            </style></head><body><main>

            """
        out += "<h1>Copydesk evaluation report</h1>\n"
        // File names, not paths: a report is shared (and served by `copydesk serve --report`).
        let name = { (path: String) in URL(fileURLWithPath: path).lastPathComponent }
        out += "<p class=\"sub\">Model <code>\(esc(name(modelPath)))</code> on <code>\(esc(corpora.map(name).joined(separator: ", ")))</code>"
        if let desk { out += " · desk \(esc(desk.name ?? "unnamed")) (\(esc(desk.country)), \(desk.coverage.count) places)" }
        out += "</p>\n<div class=\"cards\">\n"
        let cards: [(String, String)] = [
            (String(m.count), "articles"), (pct(m.accuracy), "accuracy"), (pct(m.macroF1), "macro-F1"),
            (pct(m.weightedF1), "weighted-F1"), (String(format: "%.3f", m.ece ?? 0), "ECE (calibrated)"),
            (String(format: "%.3f", uncalibrated.ece ?? 0), "ECE (uncalibrated)"),
            (model.calibration.map { String(format: "%.3f", $0.temperature) } ?? "none", "temperature"),
        ]
        for (value, label) in cards { out += "<div class=\"card\"><b>\(esc(value))</b><span>\(esc(label))</span></div>\n" }
        out += "</div>\n"
        out += "<div class=\"grid2\">\n<section><h2>Confusion matrix</h2>\(confusionSVG())"
        out += "<p class=\"legend\">Rows: actual section; columns: predicted. Shade: share of the row.</p></section>\n"
        out += "<section><h2>Precision, recall and F1 by section</h2>\(scoresSVG())</section>\n</div>\n<br>\n"
        out += "<div class=\"grid2\">\n<section><h2>Reliability</h2>\(reliabilitySVG())"
        out += "<p class=\"legend\">Accuracy against mean top probability in 15 bins; dots sized by articles. "
        out += "On the diagonal, a probability means what it says.</p></section>\n"
        out += "<section><h2>Coverage and accuracy</h2>\(coverageSVG())"
        out += "<p class=\"legend\">Route automatically the articles whose top probability is at least the threshold; "
        out += "the rest go to an editor.</p>\(coverageTable())</section>\n</div>\n<br>\n"
        out += "<section><h2>Top terms by section</h2><div class=\"terms\">\n"
        for (section, terms) in topTerms {
            out += "<div><b>\(esc(name(section)))</b><br>"
            out += terms.map { "<span class=\"pill\">\(esc($0.term)) \(String(format: "%+.2f", $0.weight))</span>" }.joined()
            out += "</div>\n"
        }
        out += "</div></section>\n"
        out += "<section><h2>Most confidently wrong</h2>\n"
        if confused.isEmpty {
            out += "<p>No article was misclassified.</p>"
        } else {
            out += "<table><tr><th>article</th><th>actual</th><th>predicted</th><th class=\"num\">p</th><th>why</th></tr>\n"
            for (article, p) in confused {
                let title = article.title.flatMap { $0.isEmpty ? nil : $0 } ?? String(article.text.prefix(90))
                out += "<tr><td><b>\(esc(article.id))</b><br>\(esc(String(title.prefix(140))))</td>"
                out += "<td class=\"right\">\(esc(name(article.label ?? "")))</td><td class=\"wrong\">\(esc(name(p.section)))</td>"
                out += "<td class=\"num\">\(String(format: "%.2f", p.probabilities[0].probability))</td><td>"
                out += p.explanation.map { "<span class=\"pill\">\(esc($0.term)) \(String(format: "%+.2f", $0.contribution))</span>" }.joined()
                out += "</td></tr>\n"
            }
            out += "</table>"
        }
        out += "</section>\n<p class=\"legend\">Made by copydesk report. Macro-F1 averages over the sections present in the "
        out += "labels or the predictions (scikit-learn's convention); ECE over 15 equal-width bins of the top probability.</p>\n"
        out += "</main></body></html>\n"
        return out
    }

    // MARK: - Charts

    func confusionSVG() -> String {
        let labels = metrics.sections
        let k = labels.count
        let cell = k <= 8 ? 46.0 : max(18, 368 / Double(k)), left = 110.0, top = 96.0
        let width = left + cell * Double(k) + 10, height = top + cell * Double(k) + 10
        var s = svgOpen(width, height)
        for (j, label) in labels.enumerated() {
            let x = left + cell * (Double(j) + 0.5)
            s += "<text transform=\"translate(\(f(x)),\(f(top - 6))) rotate(-50)\">\(esc(short(name(label))))</text>"
        }
        for (i, row) in metrics.confusion.enumerated() {
            let total = max(1, row.reduce(0, +))
            let y = top + cell * Double(i)
            s += "<text x=\"\(f(left - 6))\" y=\"\(f(y + cell / 2 + 4))\" text-anchor=\"end\">\(esc(short(name(labels[i]))))</text>"
            for (j, n) in row.enumerated() {
                let share = Double(n) / Double(total)
                let color = i == j ? "rgba(26,127,55,\(f(0.08 + 0.85 * share)))" : "rgba(180,35,24,\(f(share > 0 ? 0.08 + 0.85 * share : 0.03)))"
                let x = left + cell * Double(j)
                s += "<rect x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(cell - 2))\" height=\"\(f(cell - 2))\" rx=\"3\" fill=\"\(color)\"><title>"
                s += "\(esc(name(labels[i]))) → \(esc(name(labels[j]))): \(n)</title></rect>"
                if n > 0 && cell >= 26 {
                    let fill = share > 0.55 ? "#fff" : "#1d2433"
                    s += "<text x=\"\(f(x + cell / 2 - 1))\" y=\"\(f(y + cell / 2 + 4))\" text-anchor=\"middle\" style=\"fill:\(fill)\">\(n)</text>"
                }
            }
        }
        return s + "</svg>"
    }

    func scoresSVG() -> String {
        // Sections with neither articles nor predictions have no scores to show.
        let shown = metrics.perSection.enumerated().filter { c, row in
            row.support > 0 || metrics.confusion.contains { $0[c] > 0 }
        }.map(\.element)
        let left = 110.0, barWidth = 300.0, rowHeight = 34.0
        let height = 28 + rowHeight * Double(shown.count)
        var s = svgOpen(left + barWidth + 60, height)
        let series: [(String, String, KeyPath<SectionScores, Double>)] = [
            ("precision", "#4c6ef5", \.precision), ("recall", "#f59f00", \.recall), ("F1", "#1a7f37", \.f1),
        ]
        for (n, (label, color, _)) in series.enumerated() {
            let x = left + Double(n) * 90
            s += "<rect x=\"\(f(x))\" y=\"4\" width=\"10\" height=\"10\" fill=\"\(color)\"/><text x=\"\(f(x + 14))\" y=\"13\">\(label)</text>"
        }
        for (i, row) in shown.enumerated() {
            let y = 24 + rowHeight * Double(i)
            s += "<text x=\"\(f(left - 6))\" y=\"\(f(y + 17))\" text-anchor=\"end\">\(esc(short(name(row.section))))</text>"
            for (n, (label, color, path)) in series.enumerated() {
                let v = row[keyPath: path]
                let by = y + 3 + Double(n) * 9
                s += "<rect x=\"\(f(left))\" y=\"\(f(by))\" width=\"\(f(barWidth * v))\" height=\"8\" fill=\"\(color)\">"
                s += "<title>\(esc(name(row.section))) \(label) \(pct(v))</title></rect>"
            }
            s += "<text x=\"\(f(left + barWidth + 6))\" y=\"\(f(y + 17))\">\(pct(row.f1))</text>"
        }
        return s + "</svg>"
    }

    /// A square plot area with axes from 0 to 1.
    private func axes(size: Double, margin: Double, xLabel: String, yLabel: String, yFrom: Double = 0) -> String {
        var s = ""
        for t in stride(from: 0.0, through: 1.0001, by: 0.2) {
            let x = margin + t * size, y = margin + size - (t * size)
            s += "<line x1=\"\(f(x))\" y1=\"\(f(margin))\" x2=\"\(f(x))\" y2=\"\(f(margin + size))\" stroke=\"#eceef2\"/>"
            s += "<line x1=\"\(f(margin))\" y1=\"\(f(y))\" x2=\"\(f(margin + size))\" y2=\"\(f(y))\" stroke=\"#eceef2\"/>"
            s += "<text x=\"\(f(x))\" y=\"\(f(margin + size + 15))\" text-anchor=\"middle\">\(String(format: "%.1f", t))</text>"
            let yValue = yFrom + t * (1 - yFrom)
            s += "<text x=\"\(f(margin - 6))\" y=\"\(f(y + 4))\" text-anchor=\"end\">\(String(format: yFrom > 0 ? "%.2f" : "%.1f", yValue))</text>"
        }
        s += "<text x=\"\(f(margin + size / 2))\" y=\"\(f(margin + size + 32))\" text-anchor=\"middle\">\(esc(xLabel))</text>"
        s += "<text transform=\"translate(\(f(14)),\(f(margin + size / 2))) rotate(-90)\" text-anchor=\"middle\">\(esc(yLabel))</text>"
        return s
    }

    func reliabilitySVG() -> String {
        let size = 300.0, margin = 48.0
        var s = svgOpen(size + 2 * margin + 120, size + 2 * margin)
        s += axes(size: size, margin: margin, xLabel: "mean top probability", yLabel: "accuracy")
        s += "<line x1=\"\(f(margin))\" y1=\"\(f(margin + size))\" x2=\"\(f(margin + size))\" y2=\"\(f(margin))\" stroke=\"#98a2b3\" stroke-dasharray=\"4 4\"/>"
        let total = Double(max(1, metrics.count))
        for (bins, color, label, n) in [(uncalibrated.reliability ?? [], "#f59f00", "uncalibrated", 0),
                                        (metrics.reliability ?? [], "#4c6ef5", "calibrated", 1)] {
            let points = bins.filter { $0.count > 0 }.map { (margin + $0.confidence * size, margin + size - $0.accuracy * size, $0.count) }
            if points.count > 1 {
                s += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" points=\""
                    + points.map { "\(f($0.0)),\(f($0.1))" }.joined(separator: " ") + "\"/>"
            }
            for p in points {
                let r = 2.5 + 7 * (Double(p.2) / total).squareRoot()
                s += "<circle cx=\"\(f(p.0))\" cy=\"\(f(p.1))\" r=\"\(f(r))\" fill=\"\(color)\" fill-opacity=\"0.55\"><title>\(label): \(p.2) articles</title></circle>"
            }
            let ly = margin + 10 + Double(n) * 20
            s += "<rect x=\"\(f(margin + size + 14))\" y=\"\(f(ly - 9))\" width=\"10\" height=\"10\" fill=\"\(color)\"/>"
            s += "<text x=\"\(f(margin + size + 28))\" y=\"\(f(ly))\">\(label)</text>"
        }
        return s + "</svg>"
    }

    func coverageSVG() -> String {
        let size = 300.0, margin = 48.0
        let points = metrics.coverage ?? []
        let floor = max(0, ((points.map(\.accuracy).min() ?? 0) * 10).rounded(.down) / 10)
        var s = svgOpen(size + 2 * margin + 20, size + 2 * margin)
        s += axes(size: size, margin: margin, xLabel: "share routed automatically", yLabel: "accuracy of routed articles", yFrom: floor)
        let xy = points.filter { $0.coverage > 0 }.map {
            (margin + $0.coverage * size, margin + size - ($0.accuracy - floor) / max(1e-9, 1 - floor) * size, $0.threshold)
        }
        if xy.count > 1 {
            s += "<polyline fill=\"none\" stroke=\"#1a7f37\" stroke-width=\"2\" points=\"" + xy.map { "\(f($0.0)),\(f($0.1))" }.joined(separator: " ") + "\"/>"
        }
        for p in xy {
            s += "<circle cx=\"\(f(p.0))\" cy=\"\(f(p.1))\" r=\"3\" fill=\"#1a7f37\"><title>threshold \(String(format: "%.2f", p.2))</title></circle>"
        }
        return s + "</svg>"
    }

    func coverageTable() -> String {
        var s = "<table><tr><th class=\"num\">threshold</th><th class=\"num\">routed</th><th class=\"num\">accuracy</th></tr>"
        for t in [0.5, 0.7, 0.8, 0.9, 0.95, 0.99] {
            guard let p = metrics.coverage?.first(where: { abs($0.threshold - t) < 1e-9 }) else { continue }
            s += "<tr><td class=\"num\">\(String(format: "%.2f", t))</td><td class=\"num\">\(pct(p.coverage))%</td>"
            s += "<td class=\"num\">\(pct(p.accuracy))%</td></tr>"
        }
        return s + "</table>"
    }

    // MARK: - Helpers

    private func svgOpen(_ width: Double, _ height: Double) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(f(width)) \(f(height))\" width=\"100%\" "
            + "style=\"max-width:\(f(width))px\" role=\"img\">"
    }

    private func short(_ s: String) -> String { s.count > 16 ? String(s.prefix(15)) + "…" : s }
    private func pct(_ x: Double) -> String { String(format: "%.1f", 100 * x) }
    private func f(_ x: Double) -> String { String(format: "%.1f", x) }

    /// `s` safe in HTML text and attribute values.
    func esc(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                if c.value < 0x20 && c != "\n" && c != "\t" { out += " " } else { out.unicodeScalars.append(c) }
            }
        }
        return out
    }
}
