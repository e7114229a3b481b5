// copydesk-bench MODEL CORPUS.jsonl [WORDS]
//
// Library-call measurements for `make bench` (not a test): model load time, and the latency of
// `SectionClassifier.classify` on articles of about WORDS words (default 600) built from the
// corpus, model already loaded. Prints one JSON object with medians and percentiles.
import Copydesk
import Foundation

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func percentile(_ values: [Double], _ p: Double) -> Double {
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, Int(p * Double(sorted.count - 1) + 0.5))]
}

let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
    FileHandle.standardError.write(Data("usage: copydesk-bench MODEL CORPUS.jsonl [WORDS]\n".utf8))
    exit(64)
}
let words = arguments.count > 3 ? Int(arguments[3]) ?? 600 : 600
do {
    var loads: [Double] = []
    var model: SectionClassifier?
    for _ in 0..<5 { loads.append(try seconds { model = try ModelFile.read(from: arguments[1]) }) }
    guard let classifier = model else { exit(70) }
    // Articles of about `words` words: corpus texts, joined until long enough.
    let reader = try JSONLinesReader(path: arguments[2])
    var articles: [String] = []
    var current: [Substring] = []
    while let a = try reader.next(), articles.count < 200 {
        current += a.classifierInput.split(whereSeparator: \.isWhitespace)
        while current.count >= words {
            articles.append(current.prefix(words).joined(separator: " "))
            current.removeFirst(words)
        }
    }
    guard !articles.isEmpty else { exit(65) }
    for a in articles.prefix(20) { _ = classifier.classify(a) }  // warm-up
    var latencies: [Double] = []
    for round in 0..<10 { for a in articles { latencies.append(seconds { _ = classifier.classify(a, explain: round == 0 ? 5 : 0) }) } }
    // The two halves of a call: TF-IDF vector, then scores and ranking.
    var transforms: [Double] = [], predictions: [Double] = []
    for a in articles {
        var v = SparseVector()
        transforms.append(seconds { v = classifier.vectorizer.transform(a) })
        predictions.append(seconds { _ = classifier.prediction(for: v) })
    }
    // This machine's timings drift with its neighbours' load: the best of 7 round medians is a
    // steadier figure for comparing two builds. "repeat" transforms an article right after itself
    // (its terms in cache): the difference to the first time is what fetching the model's memory
    // costs.
    var firstRounds: [Double] = [], repeatRounds: [Double] = [], callRounds: [Double] = []
    for _ in 0..<7 {
        var first: [Double] = [], again: [Double] = [], calls: [Double] = []
        for a in articles {
            first.append(seconds { _ = classifier.vectorizer.transform(a) })
            again.append(seconds { _ = classifier.vectorizer.transform(a) })
        }
        for a in articles { calls.append(seconds { _ = classifier.classify(a) }) }
        firstRounds.append(percentile(first, 0.5))
        repeatRounds.append(percentile(again, 0.5))
        callRounds.append(percentile(calls, 0.5))
    }
    let result: [String: Double] = [
        "latency_best_round_median_us": callRounds.min()! * 1e6,
        "transform_best_round_median_us": firstRounds.min()! * 1e6,
        "transform_repeat_best_round_median_us": repeatRounds.min()! * 1e6,
        "avx2_fma_kernels": KernelInfo.usesAVX2FMA ? 1 : 0,
        "transform_median_us": percentile(transforms, 0.5) * 1e6, "prediction_median_us": percentile(predictions, 0.5) * 1e6,
        "words": Double(words), "articles": Double(articles.count), "calls": Double(latencies.count),
        "latency_median_us": percentile(latencies, 0.5) * 1e6, "latency_p90_us": percentile(latencies, 0.9) * 1e6,
        "latency_p99_us": percentile(latencies, 0.99) * 1e6, "model_load_median_ms": percentile(loads, 0.5) * 1e3,
    ]
    let json = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
    print(String(decoding: json, as: UTF8.self))
} catch {
    FileHandle.standardError.write(Data("copydesk-bench: \(error)\n".utf8))
    exit(65)
}
