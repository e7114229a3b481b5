/// One article of a corpus. `label` is the section (required for training and evaluation);
/// `summary` is a reference summary (used by summary evaluation).
public struct Article: Sendable, Equatable, Codable {
    public var id: String
    public var label: String?
    public var title: String?
    public var text: String
    public var summary: String?
    /// The desk this record was written for, when a JSONL record carries its own (`"desk": {…}`);
    /// otherwise the corpus's desk applies.
    public var desk: DeskProfile?

    public init(id: String, label: String? = nil, title: String? = nil, text: String, summary: String? = nil,
                desk: DeskProfile? = nil) {
        self.id = id
        self.label = label
        self.title = title
        self.text = text
        self.summary = summary
        self.desk = desk
    }

    /// What the classifier reads: the title and the text joined by a newline (as ../shared/peers does).
    public var classifierInput: String {
        if let title, !title.isEmpty { return title + "\n" + text }
        return text
    }

    private enum Keys: String, CodingKey { case id, label, title, text, summary, desk, html }

    /// Accepts `id` as a string or a number, and null for the optional fields.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        if let s = try? c.decode(String.self, forKey: .id) { id = s }
        else if let n = try? c.decode(Int.self, forKey: .id) { id = String(n) }
        else { id = "" }
        label = try c.decodeIfPresent(String.self, forKey: .label)
        title = try c.decodeIfPresent(String.self, forKey: .title)
        // A record may carry the web page instead of its text: the article is extracted from it,
        // and its title fills a missing one.
        if !c.contains(.text), let html = try c.decodeIfPresent(String.self, forKey: .html) {
            let page = try ArticleExtractor().extract(bytes: Array(html.utf8), source: "record \(id)")
            text = page.text
            if title == nil || title?.isEmpty == true { title = page.title }
        } else {
            text = try c.decode(String.self, forKey: .text)
        }
        summary = try c.decodeIfPresent(String.self, forKey: .summary)
        desk = try c.decodeIfPresent(DeskProfile.self, forKey: .desk)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(id, forKey: .id)
        try c.encodeIfPresent(label, forKey: .label)
        try c.encodeIfPresent(title, forKey: .title)
        try c.encode(text, forKey: .text)
        try c.encodeIfPresent(summary, forKey: .summary)
        try c.encodeIfPresent(desk, forKey: .desk)
    }
}
