/// Abbreviations that end in a period without ending the sentence. Data the user can extend
/// (``SentenceSplitter/Configuration/abbreviations``, `copydesk sentences --abbreviations FILE`).
///
/// Three kinds, because a period after them means different things:
/// - ``Kind/title``: titles and ranks before a name (`Gen.`, `Sen.`): never a sentence end;
/// - ``Kind/date``: months and weekdays (`Jan.`, `Tues.`): a sentence end only before a common
///   sentence opener (`The`, `He`, …), never before a number (`Jan. 5`);
/// - ``Kind/other``: everything else (`Inc.`, `Co.`, `a.m.`, `No.`, `St.`, `p.`): a sentence end only
///   before a common sentence opener, so `Apple Inc. The company…` splits and `U.S. Army` does not,
///   and never before a number (`No. 5`, `p. 55`, `N°. 1026`).
/// Words with inner periods (`U.S.`, `Ph.D.`, `e.g.`) and single capital letters (`John F. Kennedy`)
/// are treated as ``Kind/other`` without being listed.
public struct AbbreviationList: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable { case title, date, other }

    /// Lowercased abbreviation (without its final period) → kind.
    public private(set) var entries: [String: Kind]

    public init(_ entries: [String: Kind] = [:]) { self.entries = entries }

    public func kind(of word: String) -> Kind? { entries[word.lowercased()] }

    /// ``kind(of:)`` of a word already in lower case.
    func kind(ofLowercased word: String) -> Kind? { entries[word] }

    public mutating func add(_ word: String, as kind: Kind) {
        var w = word.lowercased()
        while w.hasSuffix(".") { w.removeLast() }
        if !w.isEmpty { entries[w] = kind }
    }

    /// Parses one entry per line, `abbreviation [title|date|other]`; `#` starts a comment.
    /// - Throws: ``ConfigurationError`` naming the line of an unknown kind.
    public mutating func add(lines text: String, source: String) throws {
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            guard let word = fields.first else { continue }
            var kind = Kind.other
            if fields.count > 1 {
                guard let k = Kind(rawValue: String(fields[1]).lowercased()), fields.count == 2 else {
                    throw ConfigurationError(parameter: "abbreviation", value: "'\(line)' at \(source):\(n + 1)",
                                             expected: "'word' or 'word title|date|other'")
                }
                kind = k
            }
            add(String(word), as: kind)
        }
    }

    /// The built-in English list for news copy.
    public static let english: AbbreviationList = {
        var list = AbbreviationList()
        let titles = "mr mrs ms messrs mmes dr drs prof gen maj capt cpt sen sens rep reps gov lt col sgt cmdr cmdt adm brig cpl pvt spc supt det insp rev hon pres atty amb fr msgr sr jr"
        let dates = "jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun"
        let other = "inc corp co ltd llc plc bros cos assn dept univ st ave blvd rd hwy mt ft no nos vol vs etc approx est fig gov't al ca p pp ch sec art n°"
        for w in titles.split(separator: " ") { list.add(String(w), as: .title) }
        // "Sr." and "Jr." follow a name and can end a sentence.
        list.add("sr", as: .other)
        list.add("jr", as: .other)
        for w in dates.split(separator: " ") { list.add(String(w), as: .date) }
        for w in other.split(separator: " ") { list.add(String(w), as: .other) }
        return list
    }()

    /// Capitalised words that commonly open a sentence; after an ambiguous abbreviation they signal
    /// a sentence end.
    static let sentenceOpeners: Set<String> = Set("""
        the a an it its he she they we i you his her their our my your this that these those there here \
        but and or so yet in on at for from with by after before when while as if because although though \
        since still also meanwhile however then now some many most all both each no not \
        what who why how where which officials police authorities critics analysts
        """.split(separator: " ").map(String.init))
}
