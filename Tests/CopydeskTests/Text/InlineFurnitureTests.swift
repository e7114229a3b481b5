import Testing
@testable import Copydesk

/// Captions and furniture glued into paragraphs, as scraped tabloid copy has them (examples written
/// for Copydesk in that style).
@Suite struct InlineFurnitureTests {
    let splitter = SentenceSplitter()

    func separate(_ text: String) -> [String] { InlineFurniture.separate(splitter.split(text).map(\.text)) }

    @Test func aCaptionBeforeAQuoteIsDropped() {
        let text = "The council approved the ferry budget on Tuesday after a long debate about crew shortages. "
            + "Harbor City will keep its winter ferry to Gull Island under the plan approved on Tuesday "
            + "‘We heard the islanders loud and clear,’ said council member Rosa Diaz after the vote."
        #expect(separate(text) == [
            "The council approved the ferry budget on Tuesday after a long debate about crew shortages.",
            "‘We heard the islanders loud and clear,’ said council member Rosa Diaz after the vote.",
        ])
    }

    @Test func aCaptionBeforeASentenceOpenerIsDropped() {
        let text = "Ferry riders can expect a fare rise of 12 per cent next year than a commuter pays today "
            + "The cost of running the boats has doubled since 2019, according to the district's annual report."
        #expect(separate(text) == ["The cost of running the boats has doubled since 2019, according to the district's annual report."])
    }

    @Test func furniturePhrasesAndLabelsAreDropped() {
        let text = "The mayor opened the new pier on Saturday. Scroll down for video Grand opening: Mayor Lee cuts the ribbon "
            + "at the new pier on Saturday morning while a brass band plays Proud day: the pier took three years to build "
            + "and cost the city $14 million in all. Read more: Harbor City's other piers. The pier opens to anglers on Monday."
        let out = separate(text)
        #expect(out.first == "The mayor opened the new pier on Saturday.")
        #expect(out.last == "The pier opens to anglers on Monday.")
        #expect(!out.contains { $0.contains("Scroll down") || $0.contains("Read more") }, "\(out)")
        #expect(InlineFurniture.isCredit("(Getty Images)") && InlineFurniture.isCredit("Photo: Harbor Herald"))
    }

    /// Prose that looks a little like a glued caption is left whole.
    /// The word-start scan finds a phrase exactly where a plain search of every position after a
    /// space (or at the start) does, ignoring ASCII case.
    @Test func phraseScanMatchesAPlainSearch() {
        func reference(_ text: String) -> Bool {
            let lower = Array(text.utf8).map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
            return InlineFurniture.phrases.contains { phrase in
                let p = Array(phrase.utf8)
                return lower.indices.contains { i in
                    (i == 0 || lower[i - 1] == 0x20) && i + p.count <= lower.count && Array(lower[i..<(i + p.count)]) == p
                }
            }
        }
        var texts = ["", " ", "Read more:", "read more", "  READ MORE: now", "Unread more: no", "x  Scroll Down For Video",
                     "scroll down for vide", "Comments (3)", "He said comments (none)", "café read more: é", "follow us on"]
        var generator = SystemRandomNumberGenerator()
        let pieces = ["read", "more:", "Read", "scroll", "down", "for", "video", "x", " ", "  ", "é", "follow", "us", "on", "Like us on Facebook"]
        for _ in 0..<500 {
            texts.append((0..<Int.random(in: 1...8, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined(separator: Bool.random(using: &generator) ? " " : ""))
        }
        for text in texts { #expect(InlineFurniture.containsPhrase(text) == reference(text), "\(text)") }
    }

    @Test func proseIsLeftWhole() {
        for text in [
            "Officials in the Netherlands said the treaty would be signed at a ceremony in The Hague next week, with ministers from twelve countries expected to attend and sign.",
            "He called the new ferry contract a ‘Trojan horse’ for private operators, and said the council had not read the small print before it voted on the deal last night.",
            "President Ana Morales met the delegation on Friday and said the talks had been useful, but she gave no date for the next round of negotiations between the two governments.",
        ] {
            #expect(separate(text) == [text])
        }
    }

    @Test func nothingIsLostWhenEverythingLooksLikeFurniture() {
        let text = "Scroll down for video. Share this with Email Facebook Twitter."
        #expect(separate(text) == splitter.split(text).map(\.text))
        #expect(separate("") == [])
    }

    /// One 5,000-word "sentence", only captions, only list items: the summarizer still gives a lede,
    /// a teaser within budget and a summary.
    @Test func hostileArticlesStillSummarize() throws {
        let summarizer = Summarizer()
        let long = Array(repeating: "the ferry ran late again", count: 1000).joined(separator: " ") + "."
        let captions = (1...8).map { "Harbor scene \($0): the pier at dawn on Saturday (Getty Images)" }.joined(separator: "\n")
        let list = (1...6).map { "• \($0). Check the pumps at station \($0)" }.joined(separator: "\n")
        for text in [long, captions, list] {
            let s = try summarizer.summarize(text, teaserCharacters: 120)
            #expect(!s.lede.isEmpty && !s.summary.isEmpty)
            #expect(s.teaser.count <= 120 && !s.teaser.isEmpty)
        }
    }
}
