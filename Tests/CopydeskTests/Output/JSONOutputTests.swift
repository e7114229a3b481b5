import Foundation
import Synchronization
import Testing
@testable import Copydesk

@Suite struct JSONOutputTests {
    /// The number writer's fast path (values made by `rounded`) writes what the general conversion
    /// writes: every micro-unit probability, and random values of either sign, into a `String` and
    /// into bytes.
    @Test func numbersAreWrittenAsSwiftPrintsThem() {
        func reference(_ d: Double) -> String {
            d.isFinite ? (d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : "\(d)") : "null"
        }
        // Into a String and into the bytes of a line alike (a mismatch fails every comparison).
        func written(_ d: Double) -> String {
            var out = ""
            JSONLine.writeNumber(d, to: &out)
            var bytes: [UInt8] = []
            JSONLine.appendNumber(d, to: &bytes)
            return String(decoding: bytes, as: UTF8.self) == out ? out : "bytes differ: \(bytes)"
        }
        for n in 0...1_000_000 {
            let d = Double(n) / 1e6
            #expect(written(d) == reference(d), "\(n)")
            if n % 997 == 0 { #expect(written(-d) == reference(-d)) }
        }
        var generator = SplitMix64(seed: 7)
        for _ in 0..<200_000 {
            let raw = Double(Int64(bitPattern: generator.next()) % 2_000_000_000) / 1e6
            for d in [raw, JSONLine.rounded(raw), raw / 1e9, raw * 1e9] {
                #expect(written(d) == reference(d), "\(d)")
            }
        }
        for d in [Double.nan, .infinity, -.infinity, 1e15, 123_456_789.25, 5e-324, 0.1 + 0.2] {
            #expect(written(d) == reference(d), "\(d)")
        }
    }

    /// A classification's line, written directly, is the line of its JSON object: with and without
    /// a desk (two sections under one name add up), a top, explanations and the review flag.
    @Test func classificationLineMatchesTheObject() throws {
        let texts = [("goal scored in the final minute", "sports"), ("the striker scored twice", "sports"),
                     ("council votes on the budget", "politics"), ("mayor signs the budget", "politics"),
                     ("shares fell on the market", "business"), ("the market rallied as shares rose", "business")]
        let model = try SectionClassifier.train(texts.map { LabeledText(text: $0.0, label: $0.1) },
                                                tfidf: .init(minDF: .count(1)), regression: .init(calibrationFolds: 0))
        let merging = DeskProfile(coverage: [], country: "US", sections: ["business": "News", "politics": "News", "sports": "Sport \"Desk\""])
        for text in ["the striker scored", "budget vote", "shares and the budget", "nothing known here"] {
            let p = model.classify(text, explain: 3)
            for desk in [nil, merging] {
                for top in [nil, 1, 2, 3, 10] {
                    for explain in [false, true] {
                        for review in [nil, 0.5, 0.99] {
                            let direct = AnnotationJSON.classificationLine(p, id: "a\"1", desk: desk, top: top, explain: explain, reviewBelow: review)
                            let object = JSONLine.line(AnnotationJSON.classification(p, id: "a\"1", desk: desk, top: top,
                                                                                      explain: explain, reviewBelow: review))
                            #expect(direct == object)
                        }
                    }
                }
            }
            #expect(AnnotationJSON.classificationLine(p, id: nil, desk: nil) == JSONLine.line(AnnotationJSON.classification(p, id: nil, desk: nil)))
            // The stream's unranked line, from the probabilities in section order alone.
            for review in [nil, 0.5, 0.99] {
                #expect(AnnotationJSON.classificationLine(probabilities: model.probabilities(of: text), of: model, id: "a\"1",
                                                          reviewBelow: review)
                        == AnnotationJSON.classificationLine(p, id: "a\"1", desk: nil, reviewBelow: review))
            }
        }
    }

    /// A summary's line, written directly, is the line of its JSON object: with and without id,
    /// file and scores, a title, a dateline, quotes and control characters in the text.
    @Test func summaryLineMatchesTheObject() throws {
        let texts = [
            ("HARBOR CITY — The council voted 7-2 on Tuesday to close the \"old\" pier. Fishermen said the\tvote was a blow. "
             + "The mayor said repairs would cost $4.5 million. \"We had no choice,\" she said. Work starts in May.", "Pier to close"),
            ("Shares fell sharply on Monday. Traders blamed rising rates.\n\nThe index lost 3.2% by noon, its worst day this year. "
             + "Analysts expect more volatility.", nil),
            ("One sentence only, with a back\\slash.", nil),
        ]
        for (text, title) in texts {
            let s = try Summarizer().summarize(text, title: title)
            for id in [nil, "a\"1"] {
                for file in [nil, "story.txt"] {
                    for scores in [false, true] {
                        #expect(AnnotationJSON.summaryLine(s, id: id, file: file, scores: scores)
                                == JSONLine.line(AnnotationJSON.summary(s, id: id, file: file, scores: scores)))
                    }
                }
            }
        }
    }

    /// The stream keeps the input order across batches and threads, skips blank lines, counts and
    /// reports failed lines, its threads worked on one batch at the same time, and each thread's
    /// worker was made once for the whole stream.
    @Test func pipelineKeepsOrderAndRunsInParallel() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("copydesk-pipeline-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var lines: [String] = []
        for i in 0..<40 {
            if i == 7 { lines.append("") }
            if i == 13 { lines.append("{\"id\": \"bad\", \"text\": 5}"); continue }
            lines.append("{\"id\": \"a\(i)\", \"label\": \"x\", \"title\": \"t\", \"text\": \"article \(i)\"}")
        }
        let path = directory.appendingPathComponent("in.jsonl").path
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)

        let active = Atomic<Int>(0), mostActive = Atomic<Int>(0), workers = Atomic<Int>(0)
        var written: [StreamOutput] = []
        let failures = try JSONLinesPipeline(threads: 2, batchLines: 10, chunk: 1).run(
            try JSONLinesReader(path: path),
            makeWorker: {
                workers.add(1, ordering: .relaxed)
                return { line, record in
                    let now = active.add(1, ordering: .relaxed).newValue
                    mostActive.max(now, ordering: .relaxed)
                    // Give the other thread time to take a line of the same batch.
                    var waited = 0
                    while mostActive.load(ordering: .relaxed) < 2 && waited < 200 { usleep(1_000); waited += 1 }
                    active.subtract(1, ordering: .relaxed)
                    switch record {
                    case let .article(a): return StreamOutput(json: "\(line):\(a.id)")
                    case let .invalid(id, error): return .failure(id: id, "\(error)")
                    }
                }
            },
            write: { written += $0 })
        #expect(failures == 1)
        let expected = (0..<40).map { i -> String in
            let line = i + 1 + (i >= 7 ? 1 : 0)
            return i == 13 ? "error" : "\(line):a\(i)"
        }
        #expect(written.map { $0.error == nil ? $0.json : "error" } == expected)
        #expect(written[13].json.contains("\"id\":\"bad\""))
        #expect(workers.load(ordering: .relaxed) == 2, "one worker per thread, kept across the stream's four batches")
        #expect(mostActive.load(ordering: .relaxed) == 2, "two workers were inside a batch at the same time")
    }

    /// A batch's lines are taken longest first (ties in input order) and written in input order, so
    /// that a long article does not end a batch alone on one thread.
    @Test func pipelineTakesLongestLinesFirst() throws {
        #expect(JSONLinesPipeline.longestFirst([3, 10, 3, 7, 0]) == [1, 3, 0, 2, 4])
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("copydesk-pipeline-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let texts = ["short", String(repeating: "long ", count: 40), "mid mid mid", String(repeating: "longer ", count: 60), "tiny"]
        let path = directory.appendingPathComponent("in.jsonl").path
        let lines = texts.enumerated().map { "{\"id\": \"a\($0.offset)\", \"text\": \"\($0.element)\"}" }
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let taken = Mutex<[String]>([])
        var written: [String] = []
        _ = try JSONLinesPipeline(threads: 1, batchLines: 10, chunk: 1).run(
            try JSONLinesReader(path: path),
            makeWorker: {
                { _, record in
                    guard case let .article(a) = record else { return .failure(id: nil, "unexpected") }
                    taken.withLock { $0.append(a.id) }
                    return StreamOutput(json: a.id)
                }
            },
            write: { written += $0.map(\.json) })
        #expect(taken.withLock { $0 } == ["a3", "a1", "a2", "a0", "a4"])
        #expect(written == ["a0", "a1", "a2", "a3", "a4"])
    }
}
