import ArgumentParser
import Copydesk
import Foundation

struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show what a model file holds: sections, vocabulary, settings, top terms per section.")

    @Argument(help: "Model file (default: $COPYDESK_MODEL or models/sections.cdm).")
    var model: String?

    @Option(help: "Top terms listed per section.")
    var top = 10

    func run() throws {
        try Failure.guarded {
            let path = ModelLocator.resolve(model)
            let m = try ModelFile.read(from: path)
            let size = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
            let t = m.vectorizer.configuration, r = m.regression, o = m.report.optimizer
            print("model       \(path) (format \(ModelFile.version), \(size) bytes)")
            print("sections    \(m.sections.count): " + m.sections.map { "\($0) (\(m.report.documentsPerSection[$0] ?? 0))" }.joined(separator: ", "))
            print("vocabulary  \(m.vectorizer.featureCount) terms from \(m.report.documents) articles")
            print("tf-idf      tokenizer \(t.tokenizer.rule.rawValue), ngrams \(t.ngrams.lowerBound)-\(t.ngrams.upperBound), "
                  + "min-df \(t.minDF), max-df \(t.maxDF), max-features \(t.maxFeatures.map(String.init) ?? "all"), "
                  + "sublinear-tf \(t.sublinearTF), stop words \(t.stopWords.count)")
            print("regression  C \(r.c), class-weight \(r.classWeight.rawValue), intercept \(r.fitIntercept)")
            print("optimizer   L-BFGS, \(o.iterations) iterations, ‖∇f‖∞ \(String(format: "%.2e", o.gradientNorm)), "
                  + "\(o.converged ? "converged" : "not converged") (\(o.stopReason.rawValue))")
            print("")
            for (section, terms) in m.topTerms(limit: top) {
                print("\(section): " + terms.map { "\($0.term) \(String(format: "%+.2f", $0.weight))" }.joined(separator: ", "))
            }
        }
    }
}
