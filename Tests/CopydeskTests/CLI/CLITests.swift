import Foundation
import Testing
@testable import Copydesk

/// Runs the built `copydesk` binary, as a user would.
struct CLI {
    static let binary = TestPaths.packageRoot.appendingPathComponent(".build/debug/copydesk").path

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ arguments: [String], stdin: String? = nil, in directory: URL? = nil) throws -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = arguments
        if let directory { p.currentDirectoryURL = directory }
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "COPYDESK_MODEL")
        p.environment = env
        let out = Pipe(), err = Pipe(), input = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = input
        try p.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }
}

@Suite(.serialized) struct CLITests {
    /// A labelled corpus made of the fixture documents, repeated with variations so it trains quickly.
    static func corpus(in dir: URL) throws -> String {
        let reference = try SklearnReference.load()
        var lines: [String] = []
        for (i, d) in reference.documents.enumerated() {
            let object: [String: String] = ["id": "doc-\(i)", "label": d.label, "title": "", "text": d.text]
            lines.append(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self))
        }
        let path = dir.appendingPathComponent("train.jsonl").path
        try Data(lines.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func trainClassifyEvaluateInspect() throws {
        let dir = try TestPaths.temporaryDirectory()
        let corpus = try Self.corpus(in: dir)
        let model = dir.appendingPathComponent("m.cdm").path
        let train = try CLI.run(["train", "--corpus", corpus, "--output", model, "--min-df", "1", "--quiet"])
        #expect(train.status == 0, "\(train.stderr)")
        #expect(train.stdout.contains("12 articles, 3 sections"))

        let classify = try CLI.run(["classify", "--model", model, "--explain", "3", "-"], stdin: "The striker scored twice and the team won the final.")
        #expect(classify.status == 0)
        #expect(classify.stdout.hasPrefix("<stdin>: sports"))
        #expect(classify.stdout.contains("why sports"))

        let jsonl = "{\"id\": \"x1\", \"text\": \"Bank profits and shares fell.\"}\n{\"id\": \"x2\", \"title\": \"Museum\", \"text\": \"Painters in the museum.\"}\n"
        let stream = try CLI.run(["classify", "--model", model, "--format", "jsonl", "--top", "2", "--explain", "2"], stdin: jsonl)
        #expect(stream.status == 0)
        let objects = try stream.stdout.split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] ?? [:]
        }
        #expect(objects.count == 2)
        #expect(objects.map { $0["id"] as? String } == ["x1", "x2"])
        #expect(objects.map { $0["label"] as? String } == ["business", "culture"])
        #expect((objects[0]["probabilities"] as? [String: Double])?.count == 2)
        #expect((objects[0]["explanation"] as? [[String: Any]])?.count == 2)

        let evaluate = try CLI.run(["evaluate", "--model", model, "--corpus", corpus, "--json"])
        #expect(evaluate.status == 0)
        let metrics = try JSONSerialization.jsonObject(with: Data(evaluate.stdout.utf8)) as? [String: Any] ?? [:]
        for key in ["accuracy", "macro_f1", "per_class", "confusion"] { #expect(metrics[key] != nil, "missing \(key)") }
        #expect(metrics["accuracy"] as? Double == 1)

        let inspect = try CLI.run(["inspect", model])
        #expect(inspect.status == 0)
        #expect(inspect.stdout.contains("sections    3: business (4), culture (4), sports (4)"))

        let held = try CLI.run(["train", "--corpus", corpus, "--output", model, "--min-df", "1", "--holdout", "0.25", "--quiet"])
        #expect(held.status == 0 && held.stdout.contains("held out: 3 articles (seed 42)"), "\(held.stdout)")

        let cv = try CLI.run(["cross-validate", "--corpus", corpus, "--folds", "2", "--min-df", "1", "--json", "--quiet"])
        #expect(cv.status == 0, "\(cv.stderr)")
        #expect(cv.stdout.contains("\"macro_f1\""))
    }

    @Test func badInputGetsOneClearMessageAndAnExitCode() throws {
        let dir = try TestPaths.temporaryDirectory()
        let corpus = try Self.corpus(in: dir)
        let model = dir.appendingPathComponent("m.cdm").path
        #expect(try CLI.run(["train", "--corpus", corpus, "--output", model, "--min-df", "1", "--quiet"]).status == 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: model))

        func expectFailure(_ args: [String], stdin: String? = nil, status: Int32, mentions: String) throws {
            let r = try CLI.run(args, stdin: stdin)
            #expect(r.status == status, "\(args): \(r.stderr)")
            #expect(r.stderr.contains(mentions), "\(args): \(r.stderr)")
            #expect(!r.stderr.contains("Fatal error"), "\(args) crashed")
        }
        // Corpus problems: file, line and value named; the existing model is untouched.
        let bad = dir.appendingPathComponent("bad.jsonl").path
        try Data("{\"id\": \"a\", \"label\": \"x\", \"text\": \"t\"}\nnot json\n".utf8).write(to: URL(fileURLWithPath: bad))
        try expectFailure(["train", "--corpus", bad, "--output", model], status: 65, mentions: "bad.jsonl:2:")
        let oneSection = dir.appendingPathComponent("one.jsonl").path
        try Data("{\"id\": \"a\", \"label\": \"x\", \"text\": \"alpha beta\"}\n{\"id\": \"b\", \"label\": \"x\", \"text\": \"beta\"}\n".utf8)
            .write(to: URL(fileURLWithPath: oneSection))
        try expectFailure(["train", "--corpus", oneSection, "--output", model], status: 65, mentions: "at least 2")
        try expectFailure(["train", "--corpus", dir.path + "/nope.jsonl", "--output", model], status: 65, mentions: "nope.jsonl: no such file")
        #expect(try Data(contentsOf: URL(fileURLWithPath: model)) == before)
        try expectFailure(["train", "--corpus", corpus, "--output", dir.path + "/missing/m.cdm"], status: 64, mentions: "does not exist")
        try expectFailure(["train", "--corpus", corpus, "--output", dir.path], status: 64, mentions: "is a directory")
        // Usage mistakes.
        try expectFailure(["train", "--corpus", corpus, "--output", model, "--c", "-1"], status: 64, mentions: "C")
        try expectFailure(["train", "--corpus", corpus, "--output", model, "--class-weight", "heavy"], status: 64, mentions: "heavy")
        try expectFailure(["train", "--corpus", corpus, "--output", model, "--ngrams", "2-1"], status: 64, mentions: "--ngrams")
        #expect(try Data(contentsOf: URL(fileURLWithPath: model)) == before)
        // Articles.
        try expectFailure(["classify", "--model", model, "-"], stdin: "  \n ", status: 65, mentions: "empty")
        let binary = dir.appendingPathComponent("b.bin").path
        try Data([0x7F, 0x45, 0x4C, 0x46, 0, 1, 2]).write(to: URL(fileURLWithPath: binary))
        try expectFailure(["classify", "--model", model, binary], status: 65, mentions: "binary")
        let latin1 = dir.appendingPathComponent("l.txt").path
        try Data([0x63, 0x61, 0x66, 0xE9, 0x20, 0x62, 0x61, 0x72]).write(to: URL(fileURLWithPath: latin1))
        try expectFailure(["classify", "--model", model, latin1], status: 65, mentions: "not valid UTF-8 (byte offset 3)")
        #expect(try CLI.run(["classify", "--model", model, "--lossy", latin1]).status == 0)
        try expectFailure(["classify", "--model", model, dir.path], status: 65, mentions: "is a directory")
        try expectFailure(["classify", "--model", model, "--max-bytes", "10", corpus], status: 65, mentions: "raise --max-bytes")
        // Models.
        try expectFailure(["classify", "--model", corpus, "-"], stdin: "text", status: 66, mentions: "not a Copydesk model")
        let cut = dir.appendingPathComponent("cut.cdm").path
        try before.prefix(before.count / 2).write(to: URL(fileURLWithPath: cut))
        try expectFailure(["inspect", cut], status: 66, mentions: "truncated")
        try expectFailure(["inspect", dir.path + "/none.cdm"], status: 66, mentions: "no such file")
    }

    @Test func aLargeArticleIsClassifiedWhenAllowed() throws {
        let dir = try TestPaths.temporaryDirectory()
        let corpus = try Self.corpus(in: dir)
        let model = dir.appendingPathComponent("m.cdm").path
        #expect(try CLI.run(["train", "--corpus", corpus, "--output", model, "--min-df", "1", "--quiet"]).status == 0)
        let big = dir.appendingPathComponent("big.txt").path
        let paragraph = "The striker scored twice as the team won the cup final on Saturday. "
        try Data(String(repeating: paragraph, count: 50 << 20 / paragraph.utf8.count).utf8).write(to: URL(fileURLWithPath: big))
        let medium = dir.appendingPathComponent("medium.txt").path
        try Data(String(repeating: paragraph, count: 12 << 20 / paragraph.utf8.count).utf8).write(to: URL(fileURLWithPath: medium))
        let refused = try CLI.run(["classify", "--model", model, big])
        #expect(refused.status == 65 && refused.stderr.contains("over the 8.0 MiB limit"))
        let accepted = try CLI.run(["classify", "--model", model, "--max-bytes", "20000000", medium])
        #expect(accepted.status == 0 && accepted.stdout.contains("sports"))
    }
}

@Suite(.serialized) struct SummaryCLITests {
    static let article = SummarizerTests.article

    @Test func summarizeTextAndJSON() throws {
        let dir = try TestPaths.temporaryDirectory()
        let file = try write(Self.article, "a.txt", in: dir)
        let text = try CLI.run(["summarize", file])
        #expect(text.status == 0 && text.stdout.contains("lede:     The City Council voted 6-1"))
        let json = try CLI.run(["summarize", "--json", "--teaser-chars", "120", "--sentences", "2", file])
        #expect(json.status == 0)
        let o = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any] ?? [:]
        #expect(o["lede"] is String && o["teaser"] is String && o["summary"] is String)
        #expect((o["teaser"] as? String ?? "").count <= 120)
        #expect((o["summary_sentences"] as? [String])?.count == 2)
        #expect(o["dateline"] as? String == "HARBOR CITY —")
        let kept = try CLI.run(["summarize", "--json", "--keep-dateline", file])
        #expect(kept.stdout.contains("\"lede\":\"HARBOR CITY — The City Council"))
    }

    @Test func summarizeStreamsJSONL() throws {
        let lines = [
            ["id": "s1", "title": "Ferry dock", "text": Self.article],
            ["id": "s2", "text": "The mayor resigned on Friday."],
            ["id": "s3", "text": "   "],
        ].map { String(decoding: try! JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]), as: UTF8.self) }
        let r = try CLI.run(["summarize", "--format", "jsonl"], stdin: lines.joined(separator: "\n") + "\n")
        #expect(r.status == 65, "one article was empty")
        let objects = r.stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(objects.map { $0["id"] as? String } == ["s1", "s2", "s3"])
        #expect(objects[1]["lede"] as? String == "The mayor resigned on Friday.")
        #expect(objects[2]["error"] != nil)
        #expect(r.stderr.contains("no article text"))
    }

    /// A feed that arrives one line at a time is answered line by line, not when a batch fills up
    /// or the input ends.
    @Test(.timeLimit(.minutes(2)), arguments: [["summarize"], ["classify", "--model", "models/sections.cdm"]])
    func aSlowFeedIsAnsweredAsItArrives(command: [String]) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CLI.binary)
        p.currentDirectoryURL = TestPaths.packageRoot
        p.arguments = command + ["--format", "jsonl"]
        let input = Pipe(), output = Pipe()
        p.standardInput = input
        p.standardOutput = output
        p.standardError = FileHandle.nullDevice
        try p.run()
        defer { if p.isRunning { p.terminate() } }
        let reader = output.fileHandleForReading
        var received = Data()
        for i in 1...2 {
            input.fileHandleForWriting.write(Data("{\"id\": \"a\(i)\", \"text\": \"The council approved the ferry dock on Monday. Work starts in May.\"}\n".utf8))
            // The answer to this line comes while the input is still open.
            while received.filter({ $0 == 0x0A }).count < i {
                let chunk = reader.availableData
                if chunk.isEmpty { break }
                received.append(chunk)
            }
            #expect(received.filter { $0 == 0x0A }.count == i, "answer to line \(i) before more input")
        }
        try input.fileHandleForWriting.close()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        #expect(String(decoding: received, as: UTF8.self).contains("\"id\":\"a2\""))
    }

    @Test func sentencesAndClean() throws {
        let dir = try TestPaths.temporaryDirectory()
        let file = try write(ArticleCleanerTests.page, "page.txt", in: dir)
        let sentences = try CLI.run(["sentences", "-"], stdin: "Maj. Gen. Ann Cole spoke. U.S. officials listened.")
        #expect(sentences.stdout == "Maj. Gen. Ann Cole spoke.\nU.S. officials listened.\n")
        let json = try CLI.run(["sentences", "--json", "-"], stdin: "One here. Two there.")
        #expect(json.stdout.contains("\"start\":10"))
        let clean = try CLI.run(["clean", "--show-removed", file])
        #expect(clean.status == 0)
        #expect(clean.stdout.hasPrefix("Harbor council approves new ferry dock\n"))
        #expect(clean.stdout.contains("[photo caption or credit] Commuters crowd"))
        #expect(!clean.stdout.components(separatedBy: "-- removed")[0].contains("newsletter"))
    }

    @Test func badSummaryInputs() throws {
        let dir = try TestPaths.temporaryDirectory()
        let file = try write(Self.article, "a.txt", in: dir)
        let small = try CLI.run(["summarize", "--teaser-chars", "2", file])
        #expect(small.status == 65 && small.stderr.contains("too small for even one word"))
        let empty = try CLI.run(["summarize", "-"], stdin: "\n\n")
        #expect(empty.status == 65 && empty.stderr.contains("empty"))
        let nav = try CLI.run(["summarize", "-"], stdin: "Home\nNews\nSports\nSubscribe\n")
        #expect(nav.status == 65 && nav.stderr.contains("no article text"))
        let latin1 = dir.appendingPathComponent("l.txt").path
        try Data([0x63, 0x61, 0x66, 0xE9, 0x20, 0x62, 0x61, 0x72, 0x2E]).write(to: URL(fileURLWithPath: latin1))
        let invalid = try CLI.run(["summarize", latin1])
        #expect(invalid.status == 65 && invalid.stderr.contains("not valid UTF-8 (byte offset 3)"))
        let abbreviations = try write("archd title\n", "abbr.txt", in: dir)
        let custom = try CLI.run(["summarize", "--abbreviations", abbreviations, "--json", "-"], stdin: "We met Archd. Lowe today. He was kind.")
        #expect(custom.stdout.contains("\"lede\":\"We met Archd. Lowe today.\""))
        let both = try CLI.run(["summarize", "--words", "5", "--chars", "10", file])
        #expect(both.status == 64)
        let big = try write(String(repeating: "Words in a sentence. ", count: 3_000_000), "big.txt", in: dir)
        let refused = try CLI.run(["summarize", big])
        #expect(refused.status == 65 && refused.stderr.contains("raise --max-bytes"))
    }

    @Test func evaluateSummariesOnATinyCorpus() throws {
        let dir = try TestPaths.temporaryDirectory()
        let sentences = SentenceSplitter().split(Self.article.components(separatedBy: "\n\n").dropFirst().joined(separator: "\n\n")).map(\.text)
        let record: [String: String] = ["id": "t1", "title": "Ferry dock", "text": sentences.joined(separator: " "),
                                        "summary": sentences[0] + " " + sentences[1]]
        let path = try write(String(decoding: try JSONSerialization.data(withJSONObject: record), as: UTF8.self) + "\n", "test.jsonl", in: dir)
        let out = dir.appendingPathComponent("ours.jsonl").path
        let r = try CLI.run(["evaluate-summaries", "--corpus", dir.path, "--split", "test", "--json", "--output", out])
        #expect(r.status == 0, "\(r.stderr)")
        let o = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any] ?? [:]
        #expect((o["lead"] as? [String: Double])?["rouge1"] == 100, "Lead-2 equals this reference")
        #expect(o["articles"] as? Int == 1)
        #expect(try String(contentsOfFile: out, encoding: .utf8).contains("\"id\":\"t1\""))
        let bad = try CLI.run(["evaluate-summaries", "--corpus", path, "--length", "zero"])
        #expect(bad.status == 64)
    }
}
