import ArgumentParser
import Copydesk
import Foundation

extension CorpusFormat: ExpressibleByArgument {}
extension LogisticRegressionConfiguration.ClassWeight: ExpressibleByArgument {}
extension TokenizerConfiguration.Rule: ExpressibleByArgument {}
extension TokenizerConfiguration.Links: ExpressibleByArgument {}

/// Where a corpus is and how to read it.
struct CorpusOptions: ParsableArguments {
    @Option(help: "Corpus: a .jsonl file, a .csv file, or a directory with one folder per section (repeat to use several).")
    var corpus: [String]

    @Option(help: "Corpus format (default: from the path).")
    var format: CorpusFormat?

    @Option(help: "CSV column holding the article text (name or 1-based number).")
    var textColumn = "text"

    @Option(help: "CSV column holding the section label.")
    var labelColumn = "label"

    @Option(help: "CSV column holding the headline, if any.")
    var titleColumn = "title"

    @Option(help: "CSV column holding the article id, if any.")
    var idColumn = "id"

    @Flag(help: "Skip malformed records and records without a label, and say how many, instead of stopping.")
    var skipInvalid = false

    func validate() throws {
        if corpus.isEmpty { throw ValidationError("--corpus is required") }
    }

    /// Reads every corpus, requiring labels, in one list.
    func readLabeled(threads: Int = 1) throws -> [Article] {
        try readLabeledCorpora(threads: threads).flatMap { $0 }
    }

    /// Reads each corpus, requiring labels, and reports on stderr what was skipped or looks wrong.
    func readLabeledCorpora(threads: Int = 1) throws -> [[Article]] {
        try corpus.map { try readLabeled($0, threads: threads) }
    }

    private func readLabeled(_ corpus: String, threads: Int) throws -> [Article] {
        var columns = CSVColumns()
        columns.text = textColumn
        columns.label = labelColumn
        columns.title = titleColumn
        columns.id = idColumn
        let (articles, d) = try CorpusReader.read(corpus, format: format, csvColumns: columns, requireLabels: true,
                                                  skipInvalid: skipInvalid, threads: threads)
        if d.skippedCount > 0 {
            Terminal.warning("skipped \(d.skippedCount) invalid record(s) of \(corpus); first: "
                             + d.skipped.map(\.description).joined(separator: "; "))
        }
        if !d.duplicateIds.isEmpty {
            let examples = d.duplicateIds.sorted { $0.key < $1.key }.prefix(5).map { "\($0.key) (\($0.value)×)" }
            Terminal.warning("\(d.duplicateIds.count) id(s) occur more than once in \(corpus): \(examples.joined(separator: ", "))")
        }
        if !d.smallSections.isEmpty {
            let list = d.smallSections.sorted { $0.key < $1.key }.map { "\($0.key) (\($0.value))" }
            Terminal.warning("section(s) with fewer than 2 articles in \(corpus): \(list.joined(separator: ", "))")
        }
        return articles
    }
}

/// Settings shared by `train` and `cross-validate`.
struct TrainingOptions: ParsableArguments {
    @Option(help: "N-gram lengths, e.g. 1-2 for unigrams and bigrams, 1 for unigrams.")
    var ngrams = "1-2"

    @Option(help: "Drop terms in fewer documents: a count (2) or a fraction (0.01).")
    var minDf = "2"

    @Option(help: "Drop terms in more documents: a count or a fraction (1.0 keeps all).")
    var maxDf = "1.0"

    @Option(help: "Keep only the N most frequent terms.")
    var maxFeatures: Int?

    @Option(name: .customLong("stop-words"), help: "Stop words: 'english' (built in) or a file with one word per line.")
    var stopWords: String?

    @Flag(inversion: .prefixedNo, help: "Use 1 + ln(count) as term frequency.")
    var sublinearTf = true

    @Option(help: "Token rule: news (Copydesk's) or scikit-learn (TfidfVectorizer's default).")
    var tokenizer: TokenizerConfiguration.Rule = .news

    @Option(help: "Links and e-mail addresses under the news rule: keep (one token each) or drop.")
    var links: TokenizerConfiguration.Links = .keep

    @Option(name: .customLong("c"), help: "Inverse regularisation strength (scikit-learn's C).")
    var c = 40.0

    @Option(help: "Class weights: none, or balanced (n / (K · n_section)).")
    var classWeight: LogisticRegressionConfiguration.ClassWeight = .none

    @Option(help: "Maximum L-BFGS iterations.")
    var maxIterations = 500

    @Option(help: "Stop when the largest gradient component is below this.")
    var tolerance = 1e-4

    @Option(help: "L-BFGS correction pairs kept (memory grows with it).")
    var memory = LogisticRegressionConfiguration().memory

    @Option(help: "Threads for the data passes (the model does not depend on it).")
    var threads = 2

    @Option(help: "Folds of the out-of-fold scores that calibrate the probabilities (temperature scaling); 0 turns calibration off.")
    var calibrationFolds = 3

    func configurations() throws -> (TFIDFConfiguration, LogisticRegressionConfiguration) {
        let parts = ngrams.split(separator: "-").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard (1...2).contains(parts.count), let low = parts.first ?? nil, let high = parts.last ?? nil, low <= high else {
            throw ValidationError("--ngrams '\(ngrams)': expected N or N-M with N ≤ M, such as 1-2")
        }
        guard let minDF = DocumentFrequencyBound(minDf) else {
            throw ValidationError("--min-df '\(minDf)': expected a count such as 2 or a fraction such as 0.01")
        }
        guard let maxDF = DocumentFrequencyBound(maxDf) else {
            throw ValidationError("--max-df '\(maxDf)': expected a count or a fraction such as 0.9")
        }
        var stop: [String] = []
        if let stopWords {
            if stopWords == "english" { stop = StopWords.english }
            else {
                guard let text = try? String(contentsOfFile: stopWords, encoding: .utf8) else {
                    throw ValidationError("--stop-words '\(stopWords)': not 'english' and not a readable UTF-8 file")
                }
                stop = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            }
        }
        let tfidf = TFIDFConfiguration(tokenizer: .init(rule: tokenizer, links: links), ngrams: low...high, minDF: minDF, maxDF: maxDF,
                                       maxFeatures: maxFeatures, sublinearTF: sublinearTf, stopWords: stop)
        let regression = LogisticRegressionConfiguration(c: c, classWeight: classWeight, maxIterations: maxIterations,
                                                         tolerance: tolerance, memory: memory, threads: threads,
                                                         calibrationFolds: calibrationFolds)
        try tfidf.validate()
        try regression.validate()
        return (tfidf, regression)
    }
}

/// `--model`, for the commands that read a model.
struct ModelOption: ParsableArguments {
    @Option(help: "Model file (default: $COPYDESK_MODEL or models/sections.cdm).")
    var model: String?
}

/// `--threads`, validated in one place.
struct ThreadsOption: ParsableArguments {
    @Option(help: "Threads (the output does not depend on it).")
    var threads = 2

    func validate() throws {
        if threads < 1 { throw ValidationError("--threads must be at least 1") }
    }
}

/// `--json`.
struct JSONOption: ParsableArguments {
    @Flag(help: "Print JSON: one object per article, or one for the whole run.")
    var json = false
}

/// `--quiet`.
struct QuietOption: ParsableArguments {
    @Flag(help: "No progress on stderr.")
    var quiet = false
}
