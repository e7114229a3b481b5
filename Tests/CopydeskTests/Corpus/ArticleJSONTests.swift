import CKernels
import Foundation
import Testing
@testable import Copydesk

/// The direct reader of flat corpus lines makes exactly JSONDecoder's article, or leaves the line
/// to JSONDecoder.
@Suite struct ArticleJSONTests {
    static func viaDecoder(_ line: String) -> Article? {
        try? JSONDecoder().decode(Article.self, from: Data(line.utf8))
    }

    static func direct(_ bytes: [UInt8]) -> Article? {
        bytes.withUnsafeBufferPointer(ArticleJSON.decode)
    }

    static let taken: [String] = [
        #"{"id": "a1", "label": "sport", "title": "Win", "text": "It was won.", "summary": "Won."}"#,
        #"{"text":"plain"}"#,
        #"  {  "text" : "spaced" , "id" : 42 }  "#,
        #"{"id": -7, "text": "negative id"}"#,
        #"{"id": 0, "text": "zero id"}"#,
        #"{"id": "", "text": "empty id"}"#,
        #"{"label": null, "title": null, "summary": null, "text": "nulls"}"#,
        #"{"text": "escapes \" \\ \/ \b \f \n \r \t end"}"#,
        #"{"text": "unicode \u00e9\u4e2d\ud83d\ude00 and \u0000 nul"}"#,
        #"{"text": "raw UTF-8 é 中 😀", "extra": "ignored", "n": -1.5e+3, "t": true, "f": false, "z": null}"#,
        #"{"text": "keys outside ASCII", "ключ": "значение"}"#,
        #"{"n": 0, "m": 12.25, "e": 1E9, "text": "numbers before"}"#,
        "{\"text\": \"tab\tinside is raw control? no: this line has a real tab\"}".replacingOccurrences(of: "\t", with: "\\t"),
    ]

    @Test(arguments: taken)
    func flatLinesMatchJSONDecoder(line: String) throws {
        let expected = try #require(Self.viaDecoder(line), "JSONDecoder refuses the fixture: \(line)")
        let got = try #require(Self.direct(Array(line.utf8)), "the direct reader passed on \(line)")
        #expect(got == expected)
    }

    static let leftToDecoder: [String] = [
        #"{"id": 1.0, "text": "float id"}"#,
        #"{"id": 1e3, "text": "exponent id"}"#,
        #"{"id": -0, "text": "minus zero"}"#,
        #"{"id": 012, "text": "leading zero"}"#,
        #"{"id": 1234567890123456789, "text": "19 digits"}"#,
        #"{"id": true, "text": "bool id"}"#,
        #"{"id": null, "text": "null id"}"#,
        #"{"text": "nested", "meta": {"a": 1}}"#,
        #"{"text": "array", "tags": ["a"]}"#,
        #"{"te\u0078t": "escaped key"}"#,
        #"{"text": "twice", "text": "again"}"#,
        #"{"text": "lone \ud83d surrogate"}"#,
        #"{"text": "lone low \ude00"}"#,
        #"{"text": "bad escape \x"}"#,
        #"{"text": null}"#,
        #"{"text": 5}"#,
        #"{"label": 5, "text": "label number"}"#,
        #"{"id": "x"}"#,
        #"{}"#,
        #"{"text": "trailing comma",}"#,
        #"{"text": "unterminated}"#,
        #"{"text": "after"} x"#,
        #"["text"]"#,
        #"{"n": 01, "text": "bad number"}"#,
        #"{"n": 1., "text": "bad number"}"#,
        #"{"n": tru, "text": "bad literal"}"#,
    ]

    @Test(arguments: leftToDecoder)
    func otherLinesAreLeftToJSONDecoder(line: String) {
        #expect(Self.direct(Array(line.utf8)) == nil, "\(line)")
    }

    @Test func rawControlCharactersAndInvalidUTF8AreLeftToJSONDecoder() {
        let tab = Array(#"{"text": "a"#.utf8) + [0x09] + Array(#"b"}"#.utf8)
        let invalid = Array(#"{"text": "a"#.utf8) + [0xFF] + Array(#"b"}"#.utf8)
        let surrogateBytes = Array(#"{"text": "a"#.utf8) + [0xED, 0xA0, 0x80] + Array(#"b"}"#.utf8)
        for bytes in [tab, invalid, surrogateBytes] { #expect(Self.direct(bytes) == nil) }
    }

    /// Every line of the research corpora: the direct reader takes it and agrees with JSONDecoder.
    @Test(.enabled(if: TestPaths.hasSharedCorpora, "../shared/corpora not found beside the checkout; skipped"),
          arguments: ["bbc/train.jsonl", "bbc/test.jsonl", "20news/test.jsonl"])
    func corpusLinesMatchJSONDecoder(file: String) throws {
        let data = try Data(contentsOf: TestPaths.sharedCorpora.appendingPathComponent(file))
        var checked = 0
        for line in data.split(separator: 0x0A) where !line.isEmpty {
            let expected = try JSONDecoder().decode(Article.self, from: Data(line))
            let got = Self.direct(Array(line))
            #expect(got == expected, "\(file) line \(checked + 1)")
            checked += 1
        }
        #expect(checked > 400)
    }
}

extension ArticleJSONTests {
    /// The string scanner's sixteen-bytes-at-a-time search for the end of a run (C, SSE2) against a
    /// plain loop, at every start of random buffers of quotes, backslashes, control bytes and text.
    @Test func stringRunAgreesWithAPlainLoop() {
        var g = SplitMix64(seed: 23)
        let special: [UInt8] = [0x22, 0x5C, 0x00, 0x1F, 0x20, 0x0A, 0x7F, 0x80, 0xFF, 0x21, 0x5B, 0x5D]
        for length in [0, 1, 15, 16, 17, 40, 100] {
            let bytes = (0..<length).map { _ in
                g.next() % 8 == 0 ? special[Int(g.next() % UInt64(special.count))] : UInt8(0x61 + g.next() % 26)
            }
            for start in 0...length {
                let run = bytes.withUnsafeBufferPointer { Int(copydesk_json_string_run(($0.baseAddress ?? UnsafePointer(bitPattern: 8)!) + start, Int64(length - start))) }
                var expected = start
                while expected < length && bytes[expected] != 0x22 && bytes[expected] != 0x5C && bytes[expected] >= 0x20 { expected += 1 }
                #expect(start + run == expected, "length \(length) start \(start)")
            }
        }
    }
}

/// The direct reader of `{"id", "html"}` lines (`extract --format jsonl`) gives the same id and
/// page bytes as JSONSerialization, or leaves the line to it.
extension ArticleJSONTests {
    static func viaSerialization(_ line: String) -> (id: String?, html: [UInt8])? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
              let html = object["html"] as? String else { return nil }
        let id = (object["id"] as? String) ?? (object["id"] as? Int).map { String($0) }
        return (id, Array(html.utf8))
    }

    static let pages: [String] = [
        #"{"id": "p1", "html": "<html><body><p>Hi</p></body></html>"}"#,
        #"{"html": "<p>no id</p>"}"#,
        #"{"id": 12, "html": "<p>number id</p>", "url": "https://example.org/a", "n": 2.5, "ok": true}"#,
        #"{"id": "esc", "html": "<p class=\"x\">caf\u00e9 \ud83d\ude00 line\nnext \/ back\\slash</p>"}"#,
        #"{"id": "raw", "html": "<p>raw UTF-8 é 中 😀</p>"}"#,
        #"{"id": "empty", "html": ""}"#,
    ]

    @Test(arguments: pages)
    func pageLinesMatchJSONSerialization(line: String) throws {
        let expected = try #require(Self.viaSerialization(line), "JSONSerialization refuses the fixture: \(line)")
        let got = try #require(Array(line.utf8).withUnsafeBufferPointer { ArticleJSON.page($0) }, "passed on \(line)")
        #expect(got.id == expected.id)
        #expect(got.html == expected.html)
    }

    static let pagesLeftToSerialization: [String] = [
        #"{"id": "x"}"#,
        #"{"id": "x", "html": null}"#,
        #"{"id": "x", "html": 5}"#,
        #"{"id": "x", "html": "<p>", "html": "<p>"}"#,
        #"{"id": "x", "html": "<p>", "meta": {"a": 1}}"#,
        #"{"id": "x", "html": "lone \ud83d surrogate"}"#,
        #"{"id": "x", "html": "<p>unterminated}"#,
        #"{"id": "x", "html": "<p>"} trailing"#,
        #"["html"]"#,
        "",
    ]

    @Test(arguments: pagesLeftToSerialization)
    func otherPageLinesAreLeftToJSONSerialization(line: String) {
        #expect(Array(line.utf8).withUnsafeBufferPointer { ArticleJSON.page($0) } == nil, "\(line)")
    }

    @Test func invalidUTF8InAPageIsLeftToJSONSerialization() {
        let plain = Array(#"{"html": "a"#.utf8) + [0xFF] + Array(#"b"}"#.utf8)
        let escaped = Array(#"{"html": "\n a"#.utf8) + [0xC3] + Array(#"b"}"#.utf8)
        for bytes in [plain, escaped] { #expect(bytes.withUnsafeBufferPointer { ArticleJSON.page($0) } == nil) }
    }
}
