import Foundation
import Testing
@testable import Copydesk

@Suite struct ArticleCleanerTests {
    static let datelineCases: [(String, String?, String)] = [
        ("BEIRUT — A general defected.", "BEIRUT —", "A general defected."),
        ("WASHINGTON (AP) — Congress met.", "WASHINGTON (AP) —", "Congress met."),
        ("LAKE CHARLES, La. — The storm hit.", "LAKE CHARLES, La. —", "The storm hit."),
        ("EAST PALMYRA, Ohio — About 2,000 left.", "EAST PALMYRA, Ohio —", "About 2,000 left."),
        ("GULL ISLAND -- Paddlers raced.", "GULL ISLAND --", "Paddlers raced."),
        ("ST. LOUIS – Rain fell.", "ST. LOUIS –", "Rain fell."),
        ("The fighters — known by nicknames — stayed.", nil, "The fighters — known by nicknames — stayed."),
        ("NATO said on Monday it would meet.", nil, "NATO said on Monday it would meet."),
        ("A — B", nil, "A — B"),
        ("US — ", nil, "US — "),
        ("", nil, ""),
    ]

    @Test(arguments: datelineCases)
    func datelines(text: String, dateline: String?, rest: String) {
        let (d, r) = Dateline.split(text)
        #expect(d == dateline)
        #expect(r == rest)
    }

    /// A scraped page written for this test: navigation, headline, byline, body with an inline
    /// advertisement and a caption, then a newsletter prompt and related stories.
    static let page = """
        Home
        News
        Sports
        Sign in

        Harbor council approves new ferry dock

        By Jane Rivera

        HARBOR CITY — The City Council voted 6-1 on Monday to build a new ferry dock at Pier 2, ending a decade of debate over the aging terminal.

        The dock will cost $14 million, most of it from a state grant, and should open in 2027.

        Advertisement

        "We have patched the old dock for years," council member Rosa Delgado said. "It is time."

        Commuters crowd the ferry ramp on Monday morning. (Photo by Lee Park / Harbor Times)

        Construction begins in the spring, and ferries will run on a shortened schedule during the work.

        Sign up for our morning newsletter

        > Get the headlines every day.

        Related stories

        Ferry fares to rise in July
        The county board approved a 5 percent increase on Tuesday.
        """

    @Test func findsTheArticleInAPage() {
        let c = ArticleCleaner().clean(Self.page)
        #expect(c.title == "Harbor council approves new ferry dock")
        #expect(c.paragraphs.count == 4)
        #expect(c.paragraphs.first?.hasPrefix("HARBOR CITY — The City Council voted") == true)
        #expect(c.paragraphs.last?.hasPrefix("Construction begins in the spring") == true)
        let reasons = Dictionary(grouping: c.removed, by: \.reason).mapValues(\.count)
        #expect(reasons[.byline] == 1)
        #expect(reasons[.boilerplate] == 1, "the inline advertisement")
        #expect(reasons[.caption] == 1)
        #expect(reasons[.beforeArticle] == 4, "navigation")
        #expect((reasons[.afterArticle] ?? 0) >= 4)
        #expect(!c.body.contains("fares") && !c.body.contains("newsletter") && !c.body.contains("Photo by"))
    }

    @Test func plainArticleTextIsKept() {
        let text = "Headline here\n\nFirst paragraph has a full sentence in it. Another one follows here.\n\nSecond paragraph ends the story here."
        let c = ArticleCleaner().clean(text)
        #expect(c.title == "Headline here")
        #expect(c.paragraphs.count == 2)
        #expect(c.removed.isEmpty)
    }

    @Test func navigationOnlyPageHasNoArticle() {
        let c = ArticleCleaner().clean("Home\nNews\nSports\nWeather\nSubscribe\nContact us")
        #expect(c.paragraphs.isEmpty)
        #expect(c.removed.count == 6)
    }

    @Test func unpunctuatedTextIsStillText() {
        let c = ArticleCleaner().clean("the mayor resigned today after a long scandal involving city funds and a audit")
        #expect(c.paragraphs.count == 1)
    }

    static let seedPath = SentenceSplitterTests.seedPath

    @Test(.enabled(if: FileManager.default.fileExists(atPath: seedPath), "../shared/seeds not found; founding-example check skipped"))
    func foundingExampleKeepsTheWireStoryOnly() throws {
        let page = try String(contentsOfFile: Self.seedPath, encoding: .utf8)
        let blocks = ArticleCleaner().paragraphTexts(page)
        let c = ArticleCleaner().clean(page)
        // The story is the headline and the next 30 paragraphs; everything after is page chrome.
        #expect(c.title == blocks[0])
        #expect(c.paragraphs == Array(blocks[1...30]))
        #expect(c.removed.count == blocks.count - 31)
        #expect(c.removed.allSatisfy { $0.reason == .afterArticle || $0.reason == .caption })
    }

    /// Prompts are found in ASCII text in one pass, as the lowercased search finds them: every
    /// phrase in any case, at the start, middle and end, cut short, and in non-ASCII text (where
    /// lowercasing can make ASCII: the Kelvin sign is a k).
    @Test func boilerplateIsFoundInOnePassAsByLowercasing() {
        func reference(_ text: String) -> Bool {
            let lower = text.lowercased()
            return ArticleCleaner.boilerplatePhrases.contains { lower.contains($0) }
        }
        var texts = ["", "s", "Nothing to see here.", "Click \u{212A}ere", "clic\u{212A} here for more", "Café: sign up"]
        for phrase in ArticleCleaner.boilerplatePhrases {
            for variant in [phrase, phrase.uppercased(), phrase.capitalized, String(phrase.dropLast())] {
                texts += [variant, "Please \(variant) today.", "x\(variant)", "\(variant)!", "Déjà \(variant)"]
            }
        }
        for text in texts { #expect(ArticleCleaner.containsBoilerplate(text) == reference(text), "\(text)") }
    }
}
