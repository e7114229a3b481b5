import Foundation
import Testing
@testable import Copydesk

/// Hostile inputs, crash-safe files and bounded memory (issue 5).
@Suite(.serialized) struct RobustnessTests {
    // MARK: - Model files

    @Test func truncationAtEveryByteOffsetIsRefused() throws {
        let bytes = try ModelFile.encode(ModelFileTests.trainSmall())
        for cut in 0..<bytes.count {
            #expect(throws: ModelFileError.self, "cut at \(cut)") {
                _ = try Array(bytes[0..<cut]).withUnsafeBytes { try ModelFile.decode($0, path: "m.cdm") }
            }
        }
    }

    @Test func killingTrainingNeverDamagesTheModelOrLeavesFiles() throws {
        let dir = try TestPaths.temporaryDirectory()
        let corpus = TestPaths.packageRoot.appendingPathComponent("corpora/newsroom").path
        let model = dir.appendingPathComponent("m.cdm").path
        #expect(try CLI.run(["train", "--corpus", corpus, "--output", model, "--quiet"]).status == 0)
        let original = try Data(contentsOf: URL(fileURLWithPath: model))
        for delay in [0.05, 0.15, 0.3, 0.5, 0.8, 1.2] {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: CLI.binary)
            p.arguments = ["train", "--corpus", corpus, "--output", model, "--quiet", "--ngrams", "1-3", "--min-df", "1"]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            Thread.sleep(forTimeInterval: delay)
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            let now = try Data(contentsOf: URL(fileURLWithPath: model))
            // Either the old model, or a complete new one; never a part.
            #expect(now == original || (try? now.withUnsafeBytes { try ModelFile.decode($0, path: model) }) != nil)
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["m.cdm"], "delay \(delay)")
        }
    }

    // MARK: - Corpora

    @Test func aBadLineDeepInALargeCorpusIsNamed() throws {
        let dir = try TestPaths.temporaryDirectory()
        var text = ""
        text.reserveCapacity(60 << 20)
        for i in 0..<1_000_000 {
            text += i == 777_777 ? "{\"id\": \"x\", \"label\": \"a\", \"text\": oops}\n" : "{\"id\": \"\(i)\", \"label\": \"a\", \"text\": \"t\"}\n"
        }
        let path = try write(Data(text.utf8), "big.jsonl", in: dir)
        #expect(throws: CorpusError.malformedRecord(file: path, line: 777_778, reason: "not valid JSON (expected one object per line with id, label, title, text)")) {
            _ = try CorpusReader.read(path)
        }
        let (articles, d) = try CorpusReader.read(path, requireLabels: true, skipInvalid: true)
        #expect(articles.count == 999_999 && d.skippedCount == 1)
    }

    @Test func skipInvalidDuplicatesAndSmallSectionsAreReported() throws {
        let dir = try TestPaths.temporaryDirectory()
        let lines = [
            "{\"id\": \"a\", \"label\": \"sports\", \"text\": \"The striker scored twice.\"}",
            "{\"id\": \"a\", \"label\": \"sports\", \"text\": \"The keeper saved a penalty.\"}",
            "not json",
            "{\"id\": \"c\", \"text\": \"No label here.\"}",
            "{\"id\": \"d\", \"label\": \"culture\", \"text\": \"The museum opened a show.\"}",
            "{\"id\": \"e\", \"label\": \"business\", \"text\": \"Shares of the bank fell.\"}",
            "{\"id\": \"f\", \"label\": \"business\", \"text\": \"Profits rose at the bank.\"}",
        ]
        let path = try write(Data(lines.joined(separator: "\n").utf8), "c.jsonl", in: dir)
        let model = dir.appendingPathComponent("m.cdm").path
        let strict = try CLI.run(["train", "--corpus", path, "--output", model, "--min-df", "1"])
        #expect(strict.status == 65 && strict.stderr.contains("c.jsonl:3:"))
        let lenient = try CLI.run(["train", "--corpus", path, "--output", model, "--min-df", "1", "--skip-invalid", "--quiet"])
        #expect(lenient.status == 0, "\(lenient.stderr)")
        #expect(lenient.stderr.contains("skipped 2 invalid record(s)"))
        #expect(lenient.stderr.contains("1 id(s) occur more than once") && lenient.stderr.contains("a (2×)"))
        #expect(lenient.stderr.contains("fewer than 2 articles") && lenient.stderr.contains("culture (1)"))
        #expect(lenient.stdout.contains("5 articles, 3 sections"))
    }

    // MARK: - Streams

    @Test func anOverlongLineGetsAnErrorObjectAndTheStreamGoesOn() throws {
        let model = TestPaths.packageRoot.appendingPathComponent("models/sections.cdm").path
        let long = "{\"id\": \"huge\", \"text\": \"" + String(repeating: "word ", count: 5000) + "\"}"
        let input = ["{\"id\": \"ok1\", \"text\": \"The striker scored twice in the final.\"}", long,
                     "{\"id\": \"ok2\", \"text\": \"Shares of the cannery rose on strong profits.\"}"].joined(separator: "\n")
        for command in [["classify", "--model", model], ["summarize"]] {
            let r = try CLI.run(command + ["--format", "jsonl", "--max-bytes", "1000"], stdin: input + "\n")
            let objects = r.stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            #expect(objects.map { $0["id"] as? String } == ["ok1", "huge", "ok2"], "\(command[0])")
            #expect((objects[1]["error"] as? String)?.contains("over the 1000 bytes limit") == true)
            #expect(r.status == 65)
        }
    }

    @Test func closingTheOutputEndsQuietlyWithZero() throws {
        // This test process writes into a pipe the child stops reading: it must not die of SIGPIPE itself.
        signal(SIGPIPE, SIG_IGN)
        let model = TestPaths.packageRoot.appendingPathComponent("models/sections.cdm").path
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CLI.binary)
        // With the model's own desk given, nothing at all is owed to stderr.
        let desk = TestPaths.packageRoot.appendingPathComponent("corpora/desks/newsroom.json").path
        p.arguments = ["classify", "--model", model, "--format", "jsonl", "--desk", desk]
        let input = Pipe(), output = Pipe(), errors = Pipe()
        p.standardInput = input
        p.standardOutput = output
        p.standardError = errors
        try p.run()
        let line = Data("{\"id\": \"x\", \"text\": \"The striker scored twice in the final.\"}\n".utf8)
        let writer = Thread {
            for _ in 0..<100_000 { if (try? input.fileHandleForWriting.write(contentsOf: line)) == nil { break } }
            try? input.fileHandleForWriting.close()
        }
        writer.start()
        _ = output.fileHandleForReading.readData(ofLength: 200)
        try output.fileHandleForReading.close()  // like `| head -c 200`
        p.waitUntilExit()
        #expect(p.terminationReason == .exit && p.terminationStatus == 0)
        #expect(errors.fileHandleForReading.readDataToEndOfFile().isEmpty)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/time"), "GNU time not installed; memory check skipped"))
    func memoryIsBoundedOnALongStream() throws {
        let dir = try TestPaths.temporaryDirectory()
        let model = TestPaths.packageRoot.appendingPathComponent("models/sections.cdm").path
        // 200,000 short articles (about 17 MB of JSONL).
        var text = ""
        for i in 0..<200_000 { text += "{\"id\": \"\(i)\", \"text\": \"The council voted on the ferry dock budget today.\"}\n" }
        let stream = try write(Data(text.utf8), "stream.jsonl", in: dir)
        let firstLines = text.split(separator: "\n", maxSplits: 200).prefix(200).joined(separator: "\n") + "\n"
        let small = try write(Data(firstLines.utf8), "small.jsonl", in: dir)
        func peakKiB(_ command: [String], _ input: String) throws -> Int {
            let run = try peakResidentKiB(command + ["--format", "jsonl", input], scratch: dir)
            #expect(run.status == 0)
            return run.kib
        }
        for command in [["classify", "--model", model], ["summarize"]] {
            let long = try peakKiB(command, stream), short = try peakKiB(command, small)
            // The stated bound: 64 MiB for the whole process, and within 16 MiB of a 200-line stream.
            #expect(long < 64 << 10, "\(command[0]): peak \(long) KiB")
            #expect(long - short < 16 << 10, "\(command[0]): peak \(long) KiB vs \(short) KiB for a short stream")
        }
    }

    // MARK: - Text

    static let hostileTexts: [(String, [UInt8])] = [
        ("a megabyte without a space", Array(repeating: 0x61, count: 1 << 20)),
        ("10,000 nested quotes", Array(String(repeating: "“‘\"", count: 10_000).utf8) + Array(" end.".utf8)),
        ("10,000 dots", Array(String(repeating: ".", count: 10_000).utf8)),
        ("10,000 abbreviations", Array(String(repeating: "Gen. ", count: 10_000).utf8)),
        ("right-to-left and combining", Array("مرحبا بالعالم. שלום עולם! e\u{301}\u{302}\u{303} a\u{300}.".utf8)),
        ("WTF-8 lone surrogates", [0x61, 0x20, 0xED, 0xA0, 0x80, 0x20, 0x62, 0x2E]),
        ("NUL bytes", [0x61, 0x00, 0x62, 0x00]),
        ("invalid bytes only", [0xFF, 0xFE, 0xFD, 0xC0, 0x80]),
        ("e-mail look-alikes", Array(String(repeating: "a@b.", count: 50_000).utf8)),
    ]

    @Test(.timeLimit(.minutes(1)), arguments: hostileTexts)
    func hostileTextGivesAResultOrAClearError(name: String, bytes: [UInt8]) throws {
        var list = TokenList()
        bytes.withUnsafeBufferPointer { Tokenizer().tokenize($0, into: &list) }
        let text = String(decoding: bytes, as: UTF8.self)
        _ = SentenceSplitter().split(text)
        _ = ArticleCleaner().clean(text)
        do {
            let s = try Summarizer().summarize(text, teaserCharacters: 200)
            #expect(!s.summary.isEmpty && !s.lede.isEmpty, "\(name)")
        } catch let error as SummarizationError {
            #expect(!error.description.isEmpty)
        }
        // Through the checked reader: NUL and invalid UTF-8 are clear errors, the rest decodes.
        do {
            _ = try TextInput.decode(bytes, source: name)
        } catch let error as InputError {
            #expect(!error.description.isEmpty)
        }
    }
}
