import Foundation
import Testing
@testable import Copydesk

@Suite struct CorpusReaderTests {
    @Test func jsonLinesWithBOMCRLFBlankLinesAndNumericIds() throws {
        let dir = try TestPaths.temporaryDirectory()
        let path = try write("\u{FEFF}{\"id\": \"a\", \"label\": \"sports\", \"title\": \"T\", \"text\": \"Goal.\"}\r\n\n"
                             + "{\"id\": 7, \"label\": \"culture\", \"text\": \"Art.\", \"summary\": \"S\"}\n", "c.jsonl", in: dir)
        let articles = try CorpusReader.read(path)
        #expect(articles == [Article(id: "a", label: "sports", title: "T", text: "Goal."),
                             Article(id: "7", label: "culture", text: "Art.", summary: "S")])
        #expect(articles[0].classifierInput == "T\nGoal.")
    }

    @Test func malformedLinesNameFileAndLine() throws {
        let dir = try TestPaths.temporaryDirectory()
        let good = "{\"id\": \"a\", \"label\": \"x\", \"text\": \"ok\"}\n"
        let bad = try write(good + good + "{not json\n", "bad.jsonl", in: dir)
        #expect(throws: CorpusError.malformedRecord(file: bad, line: 3, reason: "not valid JSON (expected one object per line with id, label, title, text)")) {
            _ = try CorpusReader.read(bad)
        }
        let noText = try write(good + "{\"id\": \"b\", \"label\": \"x\"}\n", "notext.jsonl", in: dir)
        #expect(throws: CorpusError.malformedRecord(file: noText, line: 2, reason: "missing field 'text'")) {
            _ = try CorpusReader.read(noText)
        }
        let noLabel = try write(good + "{\"id\": \"b\", \"text\": \"t\"}\n", "nolabel.jsonl", in: dir)
        #expect(throws: CorpusError.missingLabel(file: noLabel, line: 2, id: "b")) { _ = try CorpusReader.readLabeled(noLabel) }
        #expect(throws: Never.self) { _ = try CorpusReader.read(noLabel) }
        let empty = try write("\n\n", "empty.jsonl", in: dir)
        #expect(throws: CorpusError.empty(path: empty)) { _ = try CorpusReader.read(empty) }
    }

    @Test func jsonLinesStreamAcrossChunkBoundaries() throws {
        let dir = try TestPaths.temporaryDirectory()
        // 3,000 lines of ~900 bytes cross the 1 MiB read size twice.
        let filler = String(repeating: "word ", count: 170)
        let text = (0..<3000).map { "{\"id\": \"\($0)\", \"label\": \"l\", \"text\": \"\(filler)\($0)\"}" }.joined(separator: "\n")
        let path = try write(text, "big.jsonl", in: dir)
        let reader = try JSONLinesReader(path: path)
        var n = 0
        while let a = try reader.next() {
            #expect(a.id == String(n) && a.text.hasSuffix(" \(n)"))
            n += 1
        }
        #expect(n == 3000 && reader.line == 3000)
    }

    /// Batches decoded on several threads give the records and line numbers of one-at-a-time reading.
    @Test func batchedReadingEqualsOneAtATime() throws {
        let dir = try TestPaths.temporaryDirectory()
        var lines = ["\u{FEFF}{\"id\": \"first\", \"text\": \"a\"}"]
        for i in 0..<700 {
            switch i % 7 {
            case 0: lines.append("")
            case 1: lines.append("{broken \(i)")
            case 2: lines.append("{\"id\": \"\(i)\", \"text\": \"\(String(repeating: "x", count: 300))\"}")
            default: lines.append("{\"id\": \"\(i)\", \"title\": \"t\", \"text\": \"text \(i)\"}\r")
            }
        }
        let path = try write(lines.joined(separator: "\n"), "mixed.jsonl", in: dir)
        func describe(_ r: JSONLinesReader.Record) -> String {
            switch r {
            case let .article(a): "article \(a)"
            case let .invalid(id, error): "invalid \(id ?? "-") \(error)"
            }
        }
        let single = try JSONLinesReader(path: path, maxLineBytes: 200)
        var expected: [String] = []
        while let r = try single.nextRecord() { expected.append("\(single.line) \(describe(r))") }
        for threads in [1, 2, 3] {
            let batched = try JSONLinesReader(path: path, maxLineBytes: 200)
            var got: [String] = []
            while let records = try batched.nextRecords(limit: 50, bytes: 4096, threads: threads) {
                got += records.map { "\($0.line) \(describe($0.record))" }
            }
            #expect(got == expected, "threads \(threads)")
        }
        #expect(expected.count == 601 && expected.contains { $0.contains("over the") })
    }

    @Test func directoryPerSection() throws {
        let dir = try TestPaths.temporaryDirectory()
        for (section, file, text) in [("sports", "1.txt", "Goal"), ("sports", "2.txt", "Win"), ("culture", "a.txt", "Art")] {
            try FileManager.default.createDirectory(at: dir.appendingPathComponent(section), withIntermediateDirectories: true)
            _ = try write(text, "\(section)/\(file)", in: dir)
        }
        _ = try write("ignored", ".hidden", in: dir)
        #expect(try CorpusFormat.detect(dir.path) == .dir)
        let articles = try CorpusReader.read(dir.path)
        #expect(articles.map(\.id) == ["culture/a.txt", "sports/1.txt", "sports/2.txt"])
        #expect(articles.map(\.label) == ["culture", "sports", "sports"])
        #expect(CorpusReader.splitHeadline("Headline here\n\nBODY — Text.\n") == ("Headline here", "BODY — Text.\n"))
        #expect(CorpusReader.splitHeadline("From: someone\nSubject: x\n\nbody") == (nil, "From: someone\nSubject: x\n\nbody"))
    }

    @Test func csvWithBOMQuotedNewlinesAndNumberedColumns() throws {
        let dir = try TestPaths.temporaryDirectory()
        let path = try write("\u{FEFF}id,label,text\n1,sports,\"Goal,\nthen \"\"another\"\"\"\n2,culture,Art\n", "c.csv", in: dir)
        let articles = try CorpusReader.read(path)
        #expect(articles.map(\.id) == ["1", "2"])
        #expect(articles[0].text == "Goal,\nthen \"another\"")
        #expect(articles[0].label == "sports")
        var columns = CSVColumns()
        columns.text = "3"
        columns.label = "2"
        #expect(try CorpusReader.read(path, format: .csv, csvColumns: columns).map(\.label) == ["sports", "culture"])
        columns.text = "body"
        #expect(throws: CorpusError.missingColumn(file: path, column: "body", available: ["id", "label", "text"])) {
            _ = try CorpusReader.read(path, format: .csv, csvColumns: columns)
        }
    }

    @Test func csvWithInvalidUTF8NamesTheRecord() throws {
        let dir = try TestPaths.temporaryDirectory()
        let path = dir.appendingPathComponent("bad.csv").path
        try Data(Array("id,label,text\n1,a,fine\n2,b,bad ".utf8) + [0xFF, 0xFE] + Array(" bytes\n".utf8)).write(to: URL(fileURLWithPath: path))
        #expect(throws: CorpusError.malformedRecord(file: path, line: 3, reason: "not valid UTF-8 (byte offset 31)")) {
            _ = try CorpusReader.read(path)
        }
    }

    /// Regression (fuzz finding, csv target): an empty CSV file leaked the buffer it was read into.
    /// The leak needs LeakSanitizer to see; here the path is exercised and must give a clear error.
    @Test func emptyFilesAreClearErrors() throws {
        let dir = try TestPaths.temporaryDirectory()
        let csv = try write("", "empty.csv", in: dir)
        #expect(throws: CorpusError.self) { _ = try CorpusReader.read(csv) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("sec"), withIntermediateDirectories: true)
        _ = try write("", "sec/empty.txt", in: dir)
        #expect(try CorpusReader.readDirectory(dir.path).map(\.text) == [""])
    }

    @Test func formatDetection() throws {
        #expect(throws: CorpusError.notFound(path: "/nonexistent.jsonl")) { _ = try CorpusFormat.detect("/nonexistent.jsonl") }
        let dir = try TestPaths.temporaryDirectory()
        let odd = try write("x", "corpus.xml", in: dir)
        #expect(throws: CorpusError.unknownFormat(path: odd)) { _ = try CorpusFormat.detect(odd) }
        #expect(try CorpusFormat.detect(try write("", "a.JSONL", in: dir)) == .jsonl)
        #expect(try CorpusFormat.detect(try write("", "a.csv", in: dir)) == .csv)
    }

    @Test func articleTextChecks() throws {
        #expect(throws: InputError.empty(source: "s")) { _ = try TextInput.decode(Array(" \n\t ".utf8), source: "s") }
        #expect(throws: InputError.binary(source: "s", offset: 2)) { _ = try TextInput.decode([0x41, 0x42, 0, 0x43], source: "s") }
        #expect(throws: InputError.invalidUTF8(source: "s", offset: 3)) { _ = try TextInput.decode([0x41, 0x42, 0x43, 0xFF], source: "s") }
        #expect(try TextInput.decode([0x41, 0x42, 0x43, 0xFF], source: "s", lossy: true) == "ABC\u{FFFD}")
        #expect(try TextInput.decode(Array("Ünïcode text".utf8), source: "s") == "Ünïcode text")
        let dir = try TestPaths.temporaryDirectory()
        let big = try write(String(repeating: "a", count: 2000), "big.txt", in: dir)
        #expect(throws: InputError.tooLarge(source: big, bytes: 2000, limit: 1000)) { _ = try TextInput.read(big, maxBytes: 1000) }
        #expect(throws: InputError.isDirectory(path: dir.path)) { _ = try TextInput.read(dir.path) }
    }
}
