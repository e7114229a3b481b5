import Foundation
import Testing
@testable import Copydesk

/// A small gazetteer written for the tests, so they do not depend on the system's iso-codes.
let testGazetteer = Gazetteer(countries: [
    "US": .init(code: "US", names: ["United States", "United States of America", "U.S.", "USA"],
                subdivisions: ["Washington", "Texas", "Georgia", "New Mexico"], cities: ["Chicago", "Los Angeles"]),
    "SY": .init(code: "SY", names: ["Syria", "Syrian Arab Republic", "S.Y.", "SYR"], subdivisions: ["Daraa"], cities: ["Damascus"]),
    "GE": .init(code: "GE", names: ["Georgia", "G.E.", "GEO"], subdivisions: [], cities: ["Tbilisi"]),
    "MX": .init(code: "MX", names: ["Mexico", "M.X.", "MEX"], subdivisions: [], cities: ["Mexico City"]),
    "GB": .init(code: "GB", names: ["United Kingdom", "G.B.", "GBR"], subdivisions: ["Kent"], cities: ["London"]),
], sources: ["test"])

@Suite struct DeskProfileTests {
    static let codes: Set<String> = ["US", "SY", "GE", "MX", "GB"]

    func parse(_ json: String) throws -> DeskProfile {
        try DeskProfile.parse(Data(json.utf8), path: "desk.json", countries: Self.codes)
    }

    func error(_ json: String) -> String {
        do {
            _ = try parse(json)
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    @Test func readsAProfile() throws {
        let p = try parse(#"{"name": "Herald", "country": "us", "coverage": [" Everett ", "Mill Creek"], "sections": {"local": "Local News"}}"#)
        #expect(p.name == "Herald" && p.country == "US" && p.coverage == ["Everett", "Mill Creek"])
        #expect(p.displayName(of: "local") == "Local News" && p.displayName(of: "sports") == "sports")
        #expect(try parse(#"{"country": "GB", "coverage": []}"#).coverage.isEmpty, "an empty coverage is a national desk")
    }

    @Test(arguments: [
        ("", "not valid JSON"),
        ("{\"country\": \"US\", \"coverage\": [", "not valid JSON"),
        ("[1, 2]", "expected a JSON object"),
        (#"{"country": "US"}"#, "\"coverage\": missing"),
        (#"{"coverage": []}"#, "\"country\": missing"),
        (#"{"country": "US", "coverage": "Everett"}"#, "\"coverage\": expected an array"),
        (#"{"country": "US", "coverage": [42]}"#, "\"coverage[0]\": expected a string"),
        (#"{"country": "US", "coverage": ["Everett", "  "]}"#, "\"coverage[1]\": an empty place name"),
        (#"{"country": "US", "coverage": ["Ever\u0000ett"]}"#, "\"coverage[0]\": control characters"),
        (#"{"country": "US", "coverage": ["--"]}"#, "no letters or digits"),
        (#"{"country": "ZZ", "coverage": []}"#, "\"country\": 'ZZ' is not an ISO 3166-1"),
        (#"{"country": "USA", "coverage": []}"#, "\"country\": 'USA' is not an ISO 3166-1"),
        (#"{"country": 1, "coverage": []}"#, "\"country\": expected a string"),
        (#"{"country": "US", "coverage": [], "region": "x"}"#, "\"region\": unknown key"),
        (#"{"country": "US", "coverage": [], "sections": {"local": 3}}"#, "\"sections.local\": expected a non-empty string"),
        (#"{"country": "US", "coverage": [], "name": 3}"#, "\"name\": expected a string"),
    ])
    func refusesBadProfiles(json: String, message: String) {
        let e = error(json)
        #expect(e.hasPrefix("desk profile desk.json") && e.contains(message), "\(e)")
    }

    @Test func missingFileIsNamed() {
        #expect(throws: DeskError.unreadable(path: "/nonexistent/desk.json", reason: "no such file")) {
            try DeskProfile.read(from: "/nonexistent/desk.json", countries: Self.codes)
        }
    }

    /// 100,000 places parse and match quickly; regex metacharacters are plain text.
    @Test func manyPlacesAndMetacharacters() throws {
        var places = (0..<100_000).map { "Town\($0)" }
        places.append("St. Mary's (Upper)*")
        places.append("a.*b+[c]")
        let json = try JSONSerialization.data(withJSONObject: ["country": "US", "coverage": places])
        let started = Date()
        let p = try DeskProfile.parse(json, path: "big.json", countries: Self.codes)
        let m = PlaceMatcher(profile: p, gazetteer: testGazetteer)
        let found = m.mentions(in: "Rain fell on Town99999 and on St. Mary's (Upper)* but not on aXXb or A.*b+[c].")
        #expect(Date().timeIntervalSince(started) < 10, "100,000 places took \(Date().timeIntervalSince(started)) s")
        #expect(found.map(\.place) == ["Town99999", "St. Mary's (Upper)*", "a.*b+[c]"])
        let tooMany = try JSONSerialization.data(withJSONObject: ["country": "US", "coverage": Array(repeating: "X", count: 200_001)])
        #expect(throws: DeskError.self) { try DeskProfile.parse(tooMany, path: "huge.json", countries: Self.codes) }
    }

    @Test func profileInsideARecord() throws {
        let line = #"{"id": "1", "label": "local", "text": "Everett council", "desk": {"country": "US", "coverage": ["Everett"]}}"#
        let article = try JSONDecoder().decode(Article.self, from: Data(line.utf8))
        #expect(article.desk == DeskProfile(coverage: ["Everett"], country: "US"))
        let bad = #"{"id": "1", "text": "x", "desk": {"country": "US", "coverage": [], "colour": "red"}}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Article.self, from: Data(bad.utf8)) }
        // The fast scanner leaves records with a desk to JSONDecoder.
        let bytes = Array(line.utf8)
        #expect(bytes.withUnsafeBufferPointer { ArticleJSON.decode($0) } == nil)
    }
}

@Suite struct PlaceMatcherTests {
    let everett = PlaceMatcher(profile: DeskProfile(coverage: ["Everett", "Snohomish County", "Mill Creek", "Sultan", "Évian Bay"],
                                                    country: "US"), gazetteer: testGazetteer)

    func found(_ text: String, _ matcher: PlaceMatcher? = nil) -> [String] {
        (matcher ?? everett).mentions(in: text).map { "\($0.kind.label):\($0.text)" }
    }

    @Test func deskAreaHomeAndForeign() {
        #expect(found("EVERETT — Snohomish County's council met in Mill Creek after Everett's mayor flew to Damascus, Syria.")
                == ["desk area:EVERETT", "desk area:Snohomish County's", "desk area:Mill Creek", "desk area:Everett's",
                    "foreign:Damascus", "foreign:Syria"])
        #expect(found("Texas and Chicago sent aid; the U.S. and USA and US troops, not the us or usa of lower case.")
                == ["home region:Texas", "home region:Chicago", "home country:U.S.", "home country:USA", "home country:US"])
        #expect(found("Curly possessive: Everett’s port; diacritics: Evian Bay and ÉVIAN BAY.")
                == ["desk area:Everett’s", "desk area:Evian Bay", "desk area:ÉVIAN BAY"])
    }

    @Test func wordsMustStartWithACapital() {
        #expect(found("The sultan of everett visited mill creek.").isEmpty)
        #expect(found("Sultan hosts a fair.") == ["desk area:Sultan"])
        #expect(found("Everettville and Syrian fighters").isEmpty, "whole words only")
    }

    /// The longest name wins, and at equal length the desk's own kinds come first.
    @Test func longestNameAndKindOrder() {
        #expect(found("New Mexico and Mexico City and Mexico") == ["home region:New Mexico", "foreign:Mexico City", "foreign:Mexico"])
        #expect(found("Georgia voted.") == ["home region:Georgia"], "a state to a US desk")
        let london = PlaceMatcher(profile: DeskProfile(coverage: ["Kent"], country: "GB"), gazetteer: testGazetteer)
        #expect(found("Georgia voted in Tbilisi; Texas and the US too; Kent and London.", london)
                == ["foreign:Georgia", "foreign:Tbilisi", "desk area:Kent", "home region:London"],
                "Texas is neither a foreign country nor a foreign city; an undotted US is only the desk's own code")
    }

    @Test func dottedCodesMatchOnlyWhenDotted() {
        #expect(found("S.Y. and SY and G.E. officials") == ["foreign:S.Y.", "foreign:G.E."])
    }

    @Test func annotateReplacesPlacesWithMarkers() {
        let text = "EVERETT — The Everett City Council met; Syria's envoy and Texas officials watched."
        #expect(everett.annotate(text)
                == " copydeskplacearea  — The  copydeskplacearea  City Council met;  copydeskplaceforeign  envoy and  copydeskplaceregion  officials watched.")
        #expect(everett.annotate("Nothing here.") == "Nothing here.")
        #expect(PlaceKind.readable("copydeskplacearea council") == "‹desk area› council")
    }

    /// Anything goes in: matching never traps on odd text.
    @Test func oddText() {
        for text in ["", "....", "'s", "-Everett-", "Everett.", "U.S", "\u{0}Everett\u{0}", String(repeating: "Everett ", count: 10_000),
                     "E\u{301}verett", "🇺🇸 U.S. 🇸🇾"] {
            _ = everett.annotate(text)
        }
        #expect(found("Everett.") == ["desk area:Everett"])
        #expect(everett.mentions(in: String(repeating: "Everett ", count: 10_000)).count == 10_000)
    }

    /// The real data of Debian's iso-codes and tzdata, when installed.
    @Test(.enabled(if: !Gazetteer.shared.isEmpty, "Debian's iso-codes is not installed (make deps installs it)"))
    func systemGazetteer() throws {
        let g = Gazetteer.shared
        #expect(g.countries.count > 240)
        #expect(g.countries["US"]?.subdivisions.contains("Washington") == true)
        #expect(g.countries["SY"]?.names.contains("Syria") == true)
        #expect(g.countries["LB"]?.cities.contains("Beirut") == true)
        let m = PlaceMatcher(profile: DeskProfile(coverage: ["Everett"], country: "US"))
        #expect(m.mentions(in: "BEIRUT — A Syrian general fled Syria for Jordan, Everett and Washington heard.").map(\.kind)
                == [.foreign, .foreign, .foreign, .deskArea, .homeRegion])
    }
}
