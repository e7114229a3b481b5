import Foundation

/// What a place is to a desk.
public enum PlaceKind: Int, Sendable, CaseIterable, Comparable, Codable {
    /// A place the desk lists in its coverage: its town, county, neighbourhood.
    case deskArea
    /// A subdivision or city of the desk's home country ("Texas", "Chicago" for a US desk).
    case homeRegion
    /// The home country itself ("United States", "U.S.").
    case homeCountry
    /// Another country or one of its cities.
    case foreign

    public static func < (a: PlaceKind, b: PlaceKind) -> Bool { a.rawValue < b.rawValue }

    /// The word that stands for this kind of place in the classifier's input. Plain lower-case
    /// letters, so that every tokenizer rule keeps it as one token and it forms n-grams with its
    /// neighbours ("‹desk area› council"); no real text contains it.
    public var marker: String {
        switch self {
        case .deskArea: "copydeskplacearea"
        case .homeRegion: "copydeskplaceregion"
        case .homeCountry: "copydeskplacecountry"
        case .foreign: "copydeskplaceforeign"
        }
    }

    /// How explanations show the marker.
    public var readableName: String {
        switch self {
        case .deskArea: "‹desk area›"
        case .homeRegion: "‹home region›"
        case .homeCountry: "‹home country›"
        case .foreign: "‹foreign place›"
        }
    }

    public var label: String {
        switch self {
        case .deskArea: "desk area"
        case .homeRegion: "home region"
        case .homeCountry: "home country"
        case .foreign: "foreign"
        }
    }

    /// `term` (a vocabulary entry, possibly an n-gram) with each marker replaced by its readable name.
    public static func readable(_ term: String) -> String {
        guard term.contains("copydeskplace") else { return term }
        var out = term
        for kind in allCases { out = out.replacingOccurrences(of: kind.marker, with: kind.readableName) }
        return out
    }
}

/// One place found in a text.
public struct PlaceMention: Sendable, Equatable {
    public var kind: PlaceKind
    /// The name as the profile or gazetteer spells it.
    public var place: String
    /// The words as the text has them.
    public var text: String
    /// UTF-8 byte range in the text.
    public var range: Range<Int>
    /// The country a foreign place belongs to (ISO 3166-1 alpha-2), if known.
    public var country: String?
}

/// Finds a desk's places in text and replaces each with a word for its kind (``PlaceKind/marker``),
/// so that the classifier learns what a mention of *the desk's own area*, *its home country* or *a
/// foreign country* means, whichever paper's towns those are.
///
/// Matching is by whole words, case- and diacritic-insensitive ("Everett", "EVERETT", "Évérett"),
/// after dropping a possessive ("Everett's"); periods inside a word are ignored ("U.S." = "US"), but
/// a dotted country code matches only when dotted, and three-letter codes only in capitals. A match
/// must start with a capital letter or a digit, so "sultan" or "index" in running text are not the
/// towns of Sultan or Index. The longest name wins; among equal lengths, desk area before home region
/// before home country before foreign (Georgia is a state to a US desk, a country to others).
///
/// Immutable and `Sendable`; building it is linear in the number of names, matching linear in the
/// text (a dictionary lookup per word).
public struct PlaceMatcher: Sendable {
    public let profile: DeskProfile

    struct Entry: Sendable {
        var words: [String]
        var kind: PlaceKind
        var place: String
        var country: String?
        /// Matches only where the text's word was written with periods ("U.S.").
        var dotted: Bool
        /// Matches only where the text's words are in capitals ("USA").
        var capitals: Bool
    }

    /// Entries by their first word, longest first, then by kind.
    let entries: [String: [Entry]]

    public init(profile: DeskProfile, gazetteer: Gazetteer = .shared) {
        self.profile = profile
        var byFirst: [String: [Entry]] = [:]
        func add(_ name: String, _ kind: PlaceKind, country: String?, dotted: Bool = false, capitals: Bool = false) {
            let words = PlaceMatcher.words(of: name).map(\.key)
            guard let first = words.first else { return }
            byFirst[first, default: []].append(Entry(words: words, kind: kind, place: name, country: country,
                                                     dotted: dotted, capitals: capitals))
        }
        for place in profile.coverage { add(place, .deskArea, country: profile.country) }
        for (code, country) in gazetteer.countries {
            let home = code == profile.country
            for name in country.names {
                let dotted = name.count == 4 && name.hasSuffix(".") && name.dropLast().contains(".")
                let capitals = !dotted && name.count == 3 && name == name.uppercased()
                add(name, home ? .homeCountry : .foreign, country: code, dotted: dotted, capitals: capitals)
            }
            if home {
                // The desk's own country is also written without dots ("US troops").
                add(code, .homeCountry, country: code, capitals: true)
                for region in country.subdivisions + country.cities { add(region, .homeRegion, country: code) }
            } else {
                // Foreign cities (the capital and other time-zone cities), not foreign subdivisions.
                for city in country.cities { add(city, .foreign, country: code) }
            }
        }
        // The gazetteer is a dictionary, whose order changes from run to run: ties are broken by
        // name and country so that the same text always finds the same places.
        for key in byFirst.keys {
            byFirst[key]!.sort {
                ($0.words.count, -$0.kind.rawValue) != ($1.words.count, -$1.kind.rawValue)
                    ? ($0.words.count, -$0.kind.rawValue) > ($1.words.count, -$1.kind.rawValue)
                    : ($0.place, $0.country ?? "") < ($1.place, $1.country ?? "")
            }
        }
        entries = byFirst
    }

    /// A word of a text: its match key and where it is.
    struct Word {
        var key: String
        var range: Range<Int>
        var capitalized: Bool
        var allCapitals: Bool
        var dotted: Bool
    }

    /// The words of `text`: runs of letters and digits, joined across apostrophes, hyphens and
    /// periods inside them; keys are lower case without diacritics, periods or a possessive.
    static func words(of text: String) -> [Word] {
        var result: [Word] = []
        let scalars = Array(text.unicodeScalars)
        var offsets = [Int](repeating: 0, count: scalars.count + 1)
        for (i, s) in scalars.enumerated() { offsets[i + 1] = offsets[i] + UTF8.width(s) }
        // ASCII answered from the value (letters and digits are the only alphabetic or numeric
        // ASCII scalars); other scalars ask Unicode's properties.
        func isWordScalar(_ s: Unicode.Scalar) -> Bool {
            if s.value < 0x80 {
                let v = s.value | 0x20
                return (v >= 0x61 && v <= 0x7A) || (s.value >= 0x30 && s.value <= 0x39)
            }
            return s.properties.isAlphabetic || s.properties.numericType != nil
        }
        func startsCapitalized(_ s: Unicode.Scalar) -> Bool {
            if s.value < 0x80 { return (s.value >= 0x41 && s.value <= 0x5A) || (s.value >= 0x30 && s.value <= 0x39) }
            return s.properties.isUppercase || s.properties.numericType != nil
        }
        func isJoiner(_ s: Unicode.Scalar) -> Bool {
            s == "'" || s == "\u{2019}" || s == "-" || s == "." || s == "\u{2010}" || s == "\u{2011}"
        }
        var i = 0
        while i < scalars.count {
            guard isWordScalar(scalars[i]) else { i += 1; continue }
            let start = i
            var end = i + 1
            while end < scalars.count {
                if isWordScalar(scalars[end]) { end += 1; continue }
                if isJoiner(scalars[end]), end + 1 < scalars.count, isWordScalar(scalars[end + 1]) { end += 2; continue }
                break
            }
            // A closing period belongs to a dotted abbreviation ("U.S.", "D.C."), not to a sentence.
            var dotted = scalars[start..<end].contains(".")
            if end < scalars.count, scalars[end] == ".", dotted || end - start == 1 {
                end += 1
                dotted = true
            }
            // Most words are ASCII: their key is made from the bytes (lower case, no periods, no
            // possessive); other words go through Foundation's case and diacritic folding.
            var bytes: [UInt8] = []
            bytes.reserveCapacity(end - start)
            var ascii = true, letters = false, allUpper = true
            for s in scalars[start..<end] {
                guard s.isASCII else { ascii = false; break }
                let b = UInt8(s.value)
                if b == 0x2E { continue }
                if b >= 0x41 && b <= 0x5A { letters = true; bytes.append(b | 0x20); continue }
                if b >= 0x61 && b <= 0x7A { letters = true; allUpper = false }
                bytes.append(b)
            }
            var key: String
            let allCapitals: Bool
            if ascii {
                if bytes.count >= 2, bytes[bytes.count - 2] == 0x27, bytes[bytes.count - 1] == 0x73 {
                    bytes.removeLast(2)
                } else if bytes.last == 0x27 {
                    bytes.removeLast()
                }
                key = String(decoding: bytes, as: UTF8.self)
                allCapitals = letters && allUpper
            } else {
                let raw = String(String.UnicodeScalarView(scalars[start..<end]))
                key = raw.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
                key = key.replacingOccurrences(of: "\u{2019}", with: "'")
                if key.hasSuffix("'s") { key.removeLast(2) } else if key.hasSuffix("'") { key.removeLast() }
                key = key.replacingOccurrences(of: ".", with: "")
                let alphabetic = raw.unicodeScalars.filter(\.properties.isAlphabetic)
                allCapitals = !alphabetic.isEmpty && alphabetic.allSatisfy(\.properties.isUppercase)
            }
            let first = scalars[start]
            result.append(Word(key: key, range: offsets[start]..<offsets[end],
                               capitalized: startsCapitalized(first),
                               allCapitals: allCapitals, dotted: dotted))
            i = end
        }
        return result
    }

    /// The places mentioned in `text`, in order, without overlaps.
    public func mentions(in text: String) -> [PlaceMention] {
        let words = PlaceMatcher.words(of: text)
        let utf8 = Array(text.utf8)
        var found: [PlaceMention] = []
        var i = 0
        while i < words.count {
            guard words[i].capitalized, let candidates = entries[words[i].key],
                  let entry = candidates.first(where: { matches($0, words, at: i) }) else {
                i += 1
                continue
            }
            let range = words[i].range.lowerBound..<words[i + entry.words.count - 1].range.upperBound
            found.append(PlaceMention(kind: entry.kind, place: entry.place,
                                      text: String(decoding: utf8[range], as: UTF8.self), range: range,
                                      country: entry.country))
            i += entry.words.count
        }
        return found
    }

    private func matches(_ entry: Entry, _ words: [Word], at i: Int) -> Bool {
        guard i + entry.words.count <= words.count else { return false }
        for (k, key) in entry.words.enumerated() where words[i + k].key != key { return false }
        if entry.dotted && !words[i].dotted { return false }
        if entry.capitals && !(0..<entry.words.count).allSatisfy({ words[i + $0].allCapitals }) { return false }
        return true
    }

    /// `text` with every place replaced by its kind's marker word.
    public func annotate(_ text: String) -> String {
        let found = mentions(in: text)
        guard !found.isEmpty else { return text }
        let utf8 = Array(text.utf8)
        var out = [UInt8]()
        out.reserveCapacity(utf8.count + 16 * found.count)
        var at = 0
        for m in found {
            out += utf8[at..<m.range.lowerBound]
            out += Array(" \(m.kind.marker) ".utf8)
            at = m.range.upperBound
        }
        out += utf8[at...]
        return String(decoding: out, as: UTF8.self)
    }
}
