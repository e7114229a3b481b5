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
