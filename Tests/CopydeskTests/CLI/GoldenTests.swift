import Foundation
import Testing
@testable import Copydesk

/// The command-line tool's text and JSON output compared whole with golden files
/// (`Tests/CopydeskTests/Fixtures/golden/<name>.txt`), so that any change to what users read shows
/// up in review. `COPYDESK_UPDATE_GOLDEN=1 swift test --filter GoldenTests` rewrites the files after
/// an intended change. Timings are the only part replaced (by `N.N s`).
@Suite(.serialized) struct GoldenTests {
    static let golden = TestPaths.fixtures.appendingPathComponent("golden")
    static let update = ProcessInfo.processInfo.environment["COPYDESK_UPDATE_GOLDEN"] == "1"

    /// `stdout` (and `stderr` after a marker when not empty) of `arguments`, run in `dir`.
    static func check(_ name: String, _ arguments: [String], stdin: String? = nil, in dir: URL,
                      status expected: Int32 = 0) throws {
        let r = try CLI.run(arguments, stdin: stdin, in: dir)
        #expect(r.status == expected, "\(name): exit \(r.status), \(r.stderr)")
        var text = "$ copydesk " + arguments.joined(separator: " ") + "\n" + r.stdout
        if !r.stderr.isEmpty { text += "--- stderr\n" + r.stderr }
        text = text.replacingOccurrences(of: #"\d+\.\d+ s\b"#, with: "N.N s", options: .regularExpression)
        let file = golden.appendingPathComponent(name + ".txt")
        if update {
            try text.write(to: file, atomically: true, encoding: .utf8)
            return
        }
        let stored = try String(contentsOf: file, encoding: .utf8)
        #expect(text == stored, "\(name): output differs from \(file.path) (COPYDESK_UPDATE_GOLDEN=1 to accept)")
        if text != stored {
            let a = text.split(separator: "\n", omittingEmptySubsequences: false)
            let b = stored.split(separator: "\n", omittingEmptySubsequences: false)
            if let i = zip(a, b).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset {
                Issue.record("\(name): first difference at line \(i + 1):\n  now:    \(a[i])\n  golden: \(b[i])")
            }
        }
    }

    @Test func classificationCommands() throws {
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try CLITests.corpus(in: dir)
        try Self.check("train", ["train", "--corpus", "train.jsonl", "--output", "m.cdm", "--min-df", "1", "--quiet"], in: dir)
        try Self.check("classify-text", ["classify", "--model", "m.cdm", "--explain", "3", "--review-below", "0.9", "-"],
                       stdin: "The striker scored twice and the team won the final.", in: dir)
        let jsonl = """
            {"id": "x1", "text": "Bank profits and shares fell."}
            {"id": "x2", "title": "Museum", "text": "Painters in the museum."}
            {"id": "x3", "text": 7}
            {"id": "x4", "text": "   "}

            """
        try Self.check("classify-jsonl", ["classify", "--model", "m.cdm", "--format", "jsonl", "--top", "2", "--explain", "2",
                                          "--review-below", "0.5"], stdin: jsonl, in: dir, status: 65)
        try Self.check("classify-jsonl-all", ["classify", "--model", "m.cdm", "--format", "jsonl"], stdin: jsonl, in: dir, status: 65)
        try Self.check("evaluate-text", ["evaluate", "--model", "m.cdm", "--corpus", "train.jsonl", "--quiet"], in: dir)
        try Self.check("evaluate-json", ["evaluate", "--model", "m.cdm", "--corpus", "train.jsonl", "--json", "--quiet"], in: dir)
        try Self.check("inspect", ["inspect", "m.cdm"], in: dir)
        try Self.check("cross-validate", ["cross-validate", "--corpus", "train.jsonl", "--folds", "2", "--min-df", "1", "--quiet"], in: dir)
        try Self.check("cross-validate-json", ["cross-validate", "--corpus", "train.jsonl", "--folds", "2", "--min-df", "1", "--json", "--quiet"],
                       in: dir)
    }

    @Test func textCommands() throws {
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try write(SummarizerTests.article, "a.txt", in: dir)
        _ = try write(ArticleCleanerTests.page, "page.txt", in: dir)
        try Self.check("summarize-text", ["summarize", "--scores", "a.txt"], in: dir)
        try Self.check("summarize-json", ["summarize", "--json", "--sentences", "2", "--teaser-chars", "120", "a.txt"], in: dir)
        let lines = [
            ["id": "s1", "title": "Ferry dock", "text": SummarizerTests.article],
            ["id": "s2", "text": "The mayor resigned on Friday."],
            ["id": "s3", "text": "   "],
        ].map { String(decoding: try! JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]), as: UTF8.self) }
        try Self.check("summarize-jsonl", ["summarize", "--format", "jsonl"], stdin: lines.joined(separator: "\n") + "\n",
                       in: dir, status: 65)
        try Self.check("sentences-json", ["sentences", "--json", "-"], stdin: "Maj. Gen. Ann Cole spoke at 6 P.M. Mr. Smith left. U.S. officials listened.", in: dir)
        try Self.check("clean", ["clean", "--show-removed", "page.txt"], in: dir)
    }
}
