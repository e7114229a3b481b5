import Foundation
import Testing
@testable import Copydesk

@Suite struct ExtractionTests {
    let extractor = ArticleExtractor()

    func extract(_ html: String) throws -> ExtractedArticle {
        try extractor.extract(bytes: Array(html.utf8))
    }

    static let story = """
        <p>The Harbor City council voted on Tuesday to keep the winter ferry to Gull Island running, after islanders packed the chamber for three hours.</p>
        <p>The vote was 5 to 2. Council member Rosa Diaz, who proposed the plan, said the district would hire four more deckhands by December.</p>
        <p>Ferry riders had warned that a cut would strand the island's 1,200 residents, many of them elderly, for days at a time in storms.</p>
        """

    @Test func articleAndMetadataFromAPage() throws {
        let html = """
            <!DOCTYPE html><html lang="en-US"><head><title>Council keeps winter ferry | Harbor Herald</title>
            <meta property="og:site_name" content="Harbor Herald">
            <meta name="description" content="Islanders packed the chamber.">
            <script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle",
              "headline": "Council keeps the winter ferry", "datePublished": "2026-11-03T18:20:00-08:00",
              "author": [{"@type": "Person", "name": "Ann Lee"}]}</script></head>
            <body><nav><a href="/">Home</a> <a href="/local">Local</a></nav>
            <div class="share-tools"><a href="#">Share on Facebook</a></div>
            <article><h1>Council keeps the winter ferry</h1>\(Self.story)
            <figure><img src="ferry.jpg"><figcaption>The ferry at dawn. (Harbor Herald)</figcaption></figure></article>
            <section class="comments"><p>What a waste of money, said a reader who wrote a long and angry comment about ferries and taxes.</p></section>
            <footer><p>Copyright Harbor Herald 2026. All rights reserved. Terms of use and privacy policy apply to this site.</p></footer>
            </body></html>
            """
        let a = try extract(html)
        #expect(a.title == "Council keeps the winter ferry")
        #expect(a.byline == "Ann Lee" && a.published == "2026-11-03T18:20:00-08:00")
        #expect(a.language == "en-US" && a.site == "Harbor Herald" && a.description == "Islanders packed the chamber.")
        #expect(a.text.contains("The vote was 5 to 2.") && a.text.contains("1,200 residents"))
        for furniture in ["Home", "Share on Facebook", "waste of money", "Copyright", "ferry at dawn"] {
            #expect(!a.text.contains(furniture), "\(furniture) in \(a.text)")
        }
        #expect(a.text.components(separatedBy: "\n\n").count >= 3, "paragraphs separated by blank lines")
    }

    @Test func titleWithoutTheSiteName() {
        #expect(Metadata.withoutSiteName("Council keeps the winter ferry running | Harbor Herald") == "Council keeps the winter ferry running")
        #expect(Metadata.withoutSiteName("Short title - Herald") == "Short title - Herald", "four words or fewer stay whole")
        #expect(Metadata.withoutSiteName("No separator here") == "No separator here")
    }

    /// Hostile pages give a result or a clear error quickly, never a crash.
    @Test func hostilePages() throws {
        // 100,000 nested elements.
        let nested = String(repeating: "<div>", count: 100_000) + "Deep text survives here in the middle." + String(repeating: "</div>", count: 100_000)
        #expect(try extract(nested).text.contains("Deep text survives"))
        // Unclosed everything, NUL bytes, a 10 MB attribute.
        #expect(try extract("<html><body><p>Open <b>bold <i>italic <p>next paragraph of the story").text.contains("next paragraph"))
        var withNul = Array("<p>Before the NUL byte the story goes on.</p>".utf8)
        withNul.insert(0, at: 10)
        _ = try extractor.extract(bytes: withNul)
        let attribute = "<div data-x=\"" + String(repeating: "a", count: 10 << 20) + "\"><p>Text after a huge attribute stays readable here.</p></div>"
        #expect(try extract(attribute).text.contains("huge attribute"))
        // Not HTML at all, and an empty body.
        _ = try extract("just some words, no tags at all")
        #expect(try extract("<html><body></body></html>").text.isEmpty)
        #expect(throws: ExtractionError.empty(source: "page")) { try extractor.extract(bytes: []) }
    }

    @Test func utf16WithAByteOrderMark() throws {
        let html = "<html><body><p>Ünïcödé text of the story in UTF-16, with enough words to be a paragraph.</p></body></html>"
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in html.utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        #expect(try extractor.extract(bytes: bytes).text.contains("Ünïcödé text"))
    }

    @Test func declaredEncodingIsHonoured() throws {
        var bytes = Array("<html><head><meta charset=\"iso-8859-1\"></head><body><p>Caf".utf8)
        bytes.append(0xE9)  // é in Latin-1
        bytes += Array(" au bord du port, ouvert tous les jours de la semaine depuis des années.</p></body></html>".utf8)
        #expect(try extractor.extract(bytes: bytes).text.contains("Café au bord"))
    }

    /// The real pages of ../shared/corpora/html-pages: body F1 (4-token shingles, as its README
    /// scores it) and metadata, with floors below this session's measurements (0.941; titles 121,
    /// bylines 75, published 32 of 127/76/33) so that a regression fails.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: TestPaths.sharedCorpora.appendingPathComponent("html-pages/pages").path),
                   "../shared/corpora/html-pages is absent; real-page check skipped"))
    func realPages() throws {
        let folder = TestPaths.sharedCorpora.appendingPathComponent("html-pages/pages")
        var precision = 0.0, recall = 0.0, pages = 0, predictedPages = 0, titles = 0, titled = 0
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() {
            let page = folder.appendingPathComponent(name)
            guard let source = FileManager.default.contents(atPath: page.appendingPathComponent("source.html").path),
                  let expected = FileManager.default.contents(atPath: page.appendingPathComponent("expected.html").path),
                  let metaData = FileManager.default.contents(atPath: page.appendingPathComponent("expected-metadata.json").path),
                  let meta = try JSONSerialization.jsonObject(with: metaData) as? [String: Any] else { continue }
            let a = try extractor.extract(bytes: Array(source), source: name)
            // The reference's text with its entities decoded: inline elements run together, block
            // elements apart (as the scorer removes tags).
            let reference = shingles(extractor.render(try HTMLDocument(bytes: Array(expected)).root))
            let predicted = shingles(a.text)
            guard !reference.isEmpty else { continue }
            var tp = 0
            for (k, n) in predicted { tp += min(n, reference[k] ?? 0) }
            let p = predicted.values.reduce(0, +), r = reference.values.reduce(0, +)
            // As the scorer does: a page with nothing predicted is left out of the precision mean.
            if p > 0 { precision += Double(tp) / Double(p); predictedPages += 1 }
            recall += Double(tp) / Double(r)
            pages += 1
            if let t = meta["title"] as? String, !t.isEmpty {
                titled += 1
                if HTMLDocument.collapse(t) == HTMLDocument.collapse(a.title ?? "") { titles += 1 }
            }
        }
        let p = precision / Double(max(predictedPages, 1)), r = recall / Double(pages), f1 = 2 * p * r / (p + r)
        #expect(pages > 100)
        #expect(f1 >= 0.92, "body F1 \(f1) (precision \(p), recall \(r)) over \(pages) pages")
        #expect(Double(titles) / Double(titled) >= 0.9, "titles \(titles) of \(titled)")
    }

    /// Multiset of 4-token shingles of `\\w+` tokens.
    func shingles(_ text: String) -> [String: Int] {
        var tokens: [String] = []
        var current = ""
        for c in text {
            if c.isLetter || c.isNumber || c == "_" { current.append(c) } else if !current.isEmpty { tokens.append(current); current = "" }
        }
        if !current.isEmpty { tokens.append(current) }
        var out: [String: Int] = [:]
        if tokens.count >= 4 { for i in 0...(tokens.count - 4) { out[tokens[i..<(i + 4)].joined(separator: " "), default: 0] += 1 } }
        return out
    }
}

/// Web pages through the commands users type.
@Suite(.serialized) struct ExtractionCLITests {
    static let page = """
        <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Gulls win the cup in extra time | Harbor Herald</title>
        <meta property="og:title" content="Gulls win the cup in extra time"></head><body><nav><a href="/">Home</a></nav>
        <article><p>The Harbor City Gulls won the county cup on Saturday, beating Pelican Bay 3-2 after extra time in front of a sold-out crowd.</p>
        <p>Striker Tom Eady scored twice, and the goalkeeper saved a penalty in the last minute of normal time to keep the Gulls level.</p>
        <p>The coach said the team would parade the trophy through Old Town on Sunday, and thanked the fans who travelled to the match.</p></article>
        <div class="related-stories"><a href="/a">Other story one</a> <a href="/b">Other story two</a></div></body></html>
        """

    @Test func extractClassifySummarizeTakeHTML() throws {
        let dir = try TestPaths.temporaryDirectory()
        let path = try write(Self.page, "gulls.html", in: dir)
        let extract = try CLI.run(["extract", "--json", path])
        #expect(extract.status == 0, "\(extract.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(extract.stdout.utf8)) as? [String: Any] ?? [:]
        #expect(object["title"] as? String == "Gulls win the cup in extra time" && object["language"] as? String == "en")
        #expect((object["text"] as? String)?.contains("Striker Tom Eady scored twice") == true)
        #expect((object["text"] as? String)?.contains("Other story") == false)

        let model = TestPaths.packageRoot.appendingPathComponent("models/sections.cdm").path
        let desk = TestPaths.packageRoot.appendingPathComponent("corpora/desks/newsroom.json").path
        let classify = try CLI.run(["classify", "--model", model, "--desk", desk, path])
        #expect(classify.status == 0 && classify.stdout.contains(": sports"), "\(classify.stdout) \(classify.stderr)")

        let summarize = try CLI.run(["summarize", "--json", path])
        #expect(summarize.status == 0, "\(summarize.stderr)")
        let s = try JSONSerialization.jsonObject(with: Data(summarize.stdout.utf8)) as? [String: Any] ?? [:]
        #expect((s["lede"] as? String)?.hasPrefix("The Harbor City Gulls won the county cup") == true, "\(s)")
        #expect(!(summarize.stdout.contains("Home") || summarize.stdout.contains("Other story")))

        // JSONL records with "html" instead of "text", in classify and extract.
        let record = try JSONSerialization.data(withJSONObject: ["id": "g1", "html": Self.page])
        let line = String(decoding: record, as: UTF8.self) + "\n" + #"{"id": "bad", "html": 3}"# + "\n"
        let stream = try CLI.run(["extract", "--format", "jsonl"], stdin: line)
        let outputs = stream.stdout.split(separator: "\n").map(String.init)
        #expect(outputs.count == 2 && outputs[0].contains("\"id\":\"g1\"") && outputs[1].contains("\"error\""), "\(outputs)")
        #expect(stream.status == 65)
        let routed = try CLI.run(["classify", "--model", model, "--desk", desk, "--format", "jsonl"], stdin: String(decoding: record, as: UTF8.self) + "\n")
        #expect(routed.status == 0 && routed.stdout.contains("\"label\":\"sports\""), "\(routed.stdout) \(routed.stderr)")
    }

    /// A 50 MB page is refused at once with the limit named; a 10,000-page stream stays in bounded
    /// memory (within 16 MiB of a 100-page stream's peak).
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/time"), "GNU time not installed; memory check skipped"))
    func largePagesAndLongStreams() throws {
        let dir = try TestPaths.temporaryDirectory()
        let paragraph = "<p>A paragraph of a very long page, with words and commas, enough to count as prose.</p>"
        let huge = try write("<html><body>" + String(repeating: paragraph, count: 600_000) + "</body></html>", "huge.html", in: dir)
        let started = Date()
        let refused = try CLI.run(["extract", huge])
        #expect(refused.status == 65 && refused.stderr.contains("raise --max-bytes"), "\(refused.stderr)")
        #expect(Date().timeIntervalSince(started) < 5)

        func stream(_ pages: Int) throws -> String {
            var text = ""
            for i in 0..<pages {
                let html = "<html><head><title>Story \(i)</title></head><body><nav><a href='/'>Home</a></nav><article>\(paragraph)\(paragraph)</article></body></html>"
                let line = try JSONSerialization.data(withJSONObject: ["id": "\(i)", "html": html])
                text += String(decoding: line, as: UTF8.self) + "\n"
            }
            return try write(text, "stream-\(pages).jsonl", in: dir)
        }
        func peakKiB(_ input: String) throws -> Int {
            let run = try peakResidentKiB(["extract", "--format", "jsonl", input], scratch: dir)
            #expect(run.status == 0)
            return run.kib
        }
        let long = try peakKiB(try stream(10_000)), short = try peakKiB(try stream(100))
        #expect(long - short < 16 << 10, "peak \(long) KiB for 10,000 pages vs \(short) KiB for 100")
    }

    /// A corpus folder may hold saved pages: `train` and `evaluate` read their articles.
    @Test func foldersOfSavedPages() throws {
        let dir = try TestPaths.temporaryDirectory()
        let corpus = dir.appendingPathComponent("pages")
        for (section, words) in [("sports", "striker scored goal match cup team coach fans"), ("business", "shares profits bank market investors prices quarter")] {
            let folder = corpus.appendingPathComponent(section)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for i in 0..<6 {
                let html = "<html><head><title>\(section) story \(i)</title></head><body><nav><a href='/'>Home</a></nav>"
                    + "<article><p>The \(words) story number \(i) went on, with more \(words) and more detail for readers.</p></article></body></html>"
                _ = try write(html, "\(i).html", in: folder)
            }
        }
        let model = dir.appendingPathComponent("m.cdm").path
        let train = try CLI.run(["train", "--corpus", corpus.path, "--output", model, "--min-df", "1", "--quiet"])
        #expect(train.status == 0 && train.stdout.contains("12 articles, 2 sections"), "\(train.stdout) \(train.stderr)")
        let evaluate = try CLI.run(["evaluate", "--model", model, "--corpus", corpus.path, "--json", "--quiet"])
        #expect(evaluate.status == 0 && evaluate.stdout.contains("\"accuracy\":1"), "\(evaluate.stdout)")
        let articles = try CorpusReader.readLabeled(corpus.path)
        #expect(articles.first?.title == "business story 0" && articles.first?.text.contains("Home") == false)
    }

    @Test func badPagesAreNamed() throws {
        let dir = try TestPaths.temporaryDirectory()
        let empty = try write("", "empty.html", in: dir)
        let r = try CLI.run(["extract", empty])
        #expect(r.status == 65 && r.stderr.contains("empty.html"), "\(r.stderr)")
        let missing = try CLI.run(["extract", dir.path + "/none.html"])
        #expect(missing.status == 65 && missing.stderr.contains("none.html: no such file"))
    }
}
