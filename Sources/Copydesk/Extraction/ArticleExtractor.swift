import Foundation

/// What a web page holds: the article's text and the page's own metadata.
public struct ExtractedArticle: Sendable, Equatable {
    public var title: String?
    public var byline: String?
    /// ISO 8601, as the page gives it (JSON-LD `datePublished`, `article:published_time`, `<time>`).
    public var published: String?
    public var language: String?
    public var site: String?
    /// The page's own summary (`og:description`, `<meta name="description">`, JSON-LD `description`).
    public var description: String?
    /// The article body: paragraphs separated by a blank line; headings and list items on their own.
    public var text: String
}

/// Finds the article in a web page, in the spirit of Readability (Mozilla) and of the content
/// scoring of Kohlschütter et al. ("Boilerplate Detection using Shallow Text Features", WSDM
/// 2010): metadata from JSON-LD (schema.org `NewsArticle`/`Article`), OpenGraph and `<meta>`
/// tags, then the DOM; the body as the element whose paragraphs carry the most prose.
///
/// The body, step by step:
/// 1. Furniture goes: `script`, `style`, `nav`, `aside`, `footer`, `form`, `figcaption`, … hidden
///    elements, and elements whose class or id reads like comments, sharing, related links, ads or
///    cookie notices (`unlikely`) unless it also reads like the article (`likely`).
/// 2. Each paragraph-like element (`p`, `pre`, `td`, `blockquote`, and a `div` holding text
///    directly) with at least 25 characters scores `1 + commas + min(3, characters / 100)`, added to
///    its parent and half to its grandparent. A candidate starts from its tag (`article` +10, `div`
///    +5, lists and headings −3/−5) and its class/id (+25 likely, −25 unlikely).
/// 3. Scores are scaled by `1 − link density` (the share of the text inside links); the best
///    candidate wins, with siblings that score a fifth of it or are prose paragraphs.
/// 4. Its text is written block by block, leaving out blocks that are mostly links.
public struct ArticleExtractor: Sendable {
    public init() {}

    static let dropped: Set<String> = [
        "script", "style", "noscript", "iframe", "svg", "form", "button", "input", "select", "textarea", "nav",
        "aside", "footer", "figcaption", "template", "object", "embed", "canvas", "video", "audio", "map", "dialog",
        "head", "menu", "link", "meta",
    ]
    static let blocks: Set<String> = [
        "p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre",
        "table", "tr", "ul", "ol", "dl", "dt", "dd", "header", "figure", "center", "td", "th", "br", "hr",
    ]
    /// Class/id words of page furniture (in the spirit of Readability's list, extended for news
    /// sites: cookie and newsletter prompts, recommendation widgets).
    static let unlikely = ["-ad-", "ad-break", "agegate", "banner", "breadcrumb", "combx", "comment", "community",
                           "cookie", "disqus", "extra", "footer", "gdpr", "header", "legends", "menu", "newsletter",
                           "outbrain", "pager", "pagination", "popup", "promo", "related", "remark", "replies", "rss",
                           "shoutbox", "sidebar", "skyscraper", "social", "sponsor", "supplemental", "taboola",
                           "more-stories", "recommend"]
    /// Class/id words that keep an element even when an unlikely word is there too.
    static let likely = ["and", "article", "body", "column", "content", "main", "shadow", "story", "entry", "post"]
    static let unlikelyBytes = unlikely.map { Array($0.utf8) }
    static let likelyBytes = likely.map { Array($0.utf8) }

    /// Extracts the article from `document` (whose tree it prunes: use a document once).
    public func extract(_ document: HTMLDocument) -> ExtractedArticle {
        extract(document, strict: true)
    }

    func extract(_ document: HTMLDocument, strict: Bool) -> ExtractedArticle {
        let root = document.root
        var meta = Metadata(root)
        let body = bodyText(root, strict: strict)
        meta.fillTitle(from: root)
        return ExtractedArticle(title: meta.title, byline: meta.byline, published: meta.published,
                                language: meta.language, site: meta.site, description: meta.description, text: body)
    }

    /// A body shorter than this is extracted again without the class/id pruning (as Readability
    /// retries): the article's own container may carry a furniture-like class.
    static let retryBelow = 500

    /// Parses and extracts in one step.
    public func extract(bytes: [UInt8], source: String = "page") throws -> ExtractedArticle {
        let first = extract(try HTMLDocument(bytes: bytes, source: source), strict: true)
        guard first.text.count < ArticleExtractor.retryBelow else { return first }
        let second = extract(try HTMLDocument(bytes: bytes, source: source), strict: false)
        return second.text.count > first.text.count ? second : first
    }

    // MARK: - Body

    func isHidden(_ node: HTMLNode) -> Bool {
        if node.attributes["hidden"] != nil || node.attributes["aria-hidden"] == "true" { return true }
        if let style = node.attributes["style"] {
            // Lower case, without spaces, over bytes.
            let bare = style.utf8.compactMap { b -> UInt8? in b == 0x20 ? nil : (b >= 0x41 && b <= 0x5A ? b + 0x20 : b) }
            return ArticleExtractor.contains(bare, ArticleExtractor.displayNone)
                || ArticleExtractor.contains(bare, ArticleExtractor.visibilityHidden)
        }
        return false
    }

    static let displayNone = Array("display:none".utf8)
    static let visibilityHidden = Array("visibility:hidden".utf8)

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard needle.count <= haystack.count else { return false }
        for i in 0...(haystack.count - needle.count) where haystack[i] == needle[0] {
            if haystack[i..<(i + needle.count)].elementsEqual(needle) { return true }
        }
        return false
    }

    /// Whether `s` holds anything but white space: ASCII decides over bytes, the first other
    /// character asks Foundation.
    static func hasInk(_ s: String) -> Bool {
        for b in s.utf8 where !(b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 || b == 0x0C || b == 0x0B) {
            if b >= 0x80 { return !s.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
            return true
        }
        return false
    }

    func isUnlikely(_ node: HTMLNode) -> Bool {
        if node.name == "body" || node.name == "html" || node.name == "article" || node.name == "main" || node.name == "a" { return false }
        if node.attributes["itemprop"] == "articleBody" { return false }
        if let role = node.attributes["role"], ["navigation", "complementary", "contentinfo", "banner", "dialog"].contains(role) {
            return true
        }
        guard node.hints(ArticleExtractor.unlikelyBytes) else { return false }
        return !node.hints(ArticleExtractor.likelyBytes)
    }

    /// Removes furniture from the tree (in place); with `strict`, elements whose class or id reads
    /// like furniture too, unless they hold the article's body (`itemprop="articleBody"`).
    func prune(_ root: HTMLNode, strict: Bool) {
        var stack = [root]
        while let node = stack.popLast() {
            node.children.removeAll { child in
                guard !child.isText else { return false }
                if ArticleExtractor.dropped.contains(child.name) || isHidden(child) { return true }
                guard strict, isUnlikely(child) else { return false }
                return child.descendants { $0.attributes["itemprop"] == "articleBody" }.isEmpty
            }
            stack.append(contentsOf: node.children.filter { !$0.isText })
        }
    }

    /// The length of every element's text and of the part inside links, in one pass from the
    /// leaves up (bytes of non-space text: what densities and thresholds compare).
    func lengths(_ root: HTMLNode) -> [ObjectIdentifier: (text: Int, links: Int)] {
        var out: [ObjectIdentifier: (text: Int, links: Int)] = [:]
        var order: [HTMLNode] = []
        var stack = [root]
        while let n = stack.popLast() {
            order.append(n)
            stack.append(contentsOf: n.children.filter { !$0.isText })
        }
        for n in order.reversed() {
            var text = 0, links = 0
            for c in n.children {
                if c.isText {
                    text += c.text.utf8.reduce(0) { $0 + ($1 > 0x20 ? 1 : 0) }
                } else if let l = out[ObjectIdentifier(c)] {
                    text += l.text
                    links += c.name == "a" ? l.text : l.links
                }
            }
            out[ObjectIdentifier(n)] = (text, links)
        }
        return out
    }

    func bodyText(_ root: HTMLNode, strict: Bool) -> String {
        prune(root, strict: strict)
        var scores: [ObjectIdentifier: (node: HTMLNode, score: Double)] = [:]
        func initial(_ node: HTMLNode) -> Double {
            var s = 0.0
            switch node.name {
            case "article": s += 10
            case "div", "main", "section": s += 5
            case "pre", "td", "blockquote": s += 3
            case "address", "ol", "ul", "dl", "dd", "dt", "li", "form": s -= 3
            case "h1", "h2", "h3", "h4", "h5", "h6", "th": s -= 5
            default: break
            }
            if node.hints(ArticleExtractor.likelyBytes) { s += 25 }
            if node.hints(ArticleExtractor.unlikelyBytes) { s -= 25 }
            if node.attributes["itemprop"] == "articleBody" { s += 50 }
            return s
        }
        func add(_ node: HTMLNode?, _ amount: Double) {
            guard let node, node.name != "#document" else { return }
            let id = ObjectIdentifier(node)
            if scores[id] == nil { scores[id] = (node, initial(node)) }
            scores[id]!.score += amount
        }
        let paragraphs = root.descendants { n in
            ["p", "pre", "td", "blockquote"].contains(n.name)
                || (n.name == "div" && n.children.contains { $0.isText && ArticleExtractor.hasInk($0.text) })
        }
        for p in paragraphs {
            let text = p.textContent
            guard text.count >= 25 else { continue }
            let commas = text.reduce(0) { $0 + ($1 == "," || $1 == "，" || $1 == "、" ? 1 : 0) }
            let score = 1 + Double(commas) + min(3, Double(text.count) / 100)
            add(p.parent, score)
            add(p.parent?.parent, score / 2)
        }
        let measured = lengths(root)
        func density(_ node: HTMLNode) -> Double {
            guard let l = measured[ObjectIdentifier(node)], l.text > 0 else { return 0 }
            return min(1, Double(l.links) / Double(l.text))
        }
        var scaled: [ObjectIdentifier: Double] = [:]
        for (id, entry) in scores { scaled[id] = entry.score * (1 - density(entry.node)) }
        // Candidates best first (ties in document order do not matter for the choice below).
        let ranked = scores.values.map { ($0.node, scaled[ObjectIdentifier($0.node)] ?? 0) }.sorted { $0.1 > $1.1 }
        guard var top = ranked.first?.0, let topScore = ranked.first?.1 else {
            let body = root.descendants { $0.name == "body" }.first ?? root
            return render(body)
        }
        // An article split over several containers: when three or more of the next candidates that
        // score near the best share an ancestor with it, that ancestor holds the article.
        let close = ranked.dropFirst().prefix(4).filter { $0.1 >= 0.75 * topScore }.map(\.0)
        if close.count >= 3 {
            var ancestor = top.parent
            while let a = ancestor, a.name != "body", a.name != "#document" {
                let inside = close.filter { c in
                    var p = c.parent
                    while let q = p { if q === a { return true }; p = q.parent }
                    return false
                }
                if inside.count >= 3 { top = a; break }
                ancestor = a.parent
            }
        }
        // Up while the parent scores at least a third as much and more than what was seen last.
        var last = scaled[ObjectIdentifier(top)] ?? topScore
        var parent = top.parent
        while let p = parent, p.name != "body", p.name != "#document" {
            guard let s = scaled[ObjectIdentifier(p)] else { parent = p.parent; continue }
            if s < last / 3 { break }
            if s > last { top = p; break }
            last = s
            parent = p.parent
        }
        // An only child stands for its parent.
        while let p = top.parent, p.name != "body", p.name != "#document",
              p.children.filter({ !$0.isText }).count == 1 {
            top = p
        }
        let best: (node: HTMLNode, score: Double)? = (top, scaled[ObjectIdentifier(top)] ?? topScore)
        // Siblings that belong to the article too.
        var parts: [HTMLNode] = []
        if let parent = top.parent {
            let threshold = max(10, (best?.score ?? 0) * 0.2)
            for sibling in parent.children where !sibling.isText {
                if sibling === top { parts.append(sibling); continue }
                let score = scaled[ObjectIdentifier(sibling)] ?? 0
                if score >= threshold {
                    parts.append(sibling)
                } else if sibling.name == "p", (measured[ObjectIdentifier(sibling)]?.text ?? 0) > 70, density(sibling) < 0.25 {
                    parts.append(sibling)
                }
            }
        } else {
            parts = [top]
        }
        return parts.map { render($0, lengths: measured) }.filter { !$0.isEmpty }.joined(separator: "\n\n")
    }

    /// The text of `node`, block elements as paragraphs separated by blank lines; link lists left out.
    func render(_ node: HTMLNode, lengths known: [ObjectIdentifier: (text: Int, links: Int)]? = nil) -> String {
        let measured = known ?? lengths(node)
        var paragraphs: [String] = []
        var current = ""
        func flush() {
            let text = HTMLDocument.collapse(current)
            if !text.isEmpty { paragraphs.append(text) }
            current = ""
        }
        // An explicit stack of (node, leaving) pairs: a block's end flushes its paragraph.
        var stack: [(HTMLNode, Bool)] = [(node, false)]
        while let (n, leaving) = stack.popLast() {
            if leaving { flush(); continue }
            if n.isText { current += n.text; continue }
            let block = ArticleExtractor.blocks.contains(n.name)
            if block {
                // A block that is mostly links (a list of related stories) is left out.
                if n.name == "ul" || n.name == "ol" || n.name == "div" || n.name == "table" || n.name == "section",
                   let l = measured[ObjectIdentifier(n)], l.text > 0, Double(l.links) / Double(l.text) > 0.6 {
                    continue
                }
                flush()
                if n.name == "br" || n.name == "hr" { continue }
                stack.append((n, true))
            }
            for child in n.children.reversed() { stack.append((child, false)) }
        }
        flush()
        return paragraphs.joined(separator: "\n\n")
    }
}

/// The page's metadata, best source first: JSON-LD, OpenGraph and other `<meta>` tags, then the DOM.
struct Metadata {
    var title: String?
    var byline: String?
    var published: String?
    var language: String?
    var site: String?
    var description: String?
    var titleTag: String?

    init(_ root: HTMLNode) {
        // Meta keys lower case, "dc.title" read as "dc:title"; a property may name several keys.
        var metas: [String: String] = [:]
        for m in root.descendants(where: { $0.name == "meta" }) {
            guard let content = m.attributes["content"].map(HTMLDocument.collapse), !content.isEmpty else { continue }
            var keys: [String] = []
            if let p = m.attributes["property"] { keys += p.split(whereSeparator: \.isWhitespace).map(String.init) }
            if let n = m.attributes["name"] ?? m.attributes["itemprop"] { keys.append(n) }
            for key in keys {
                let k = key.lowercased().replacingOccurrences(of: ".", with: ":")
                if metas[k] == nil { metas[k] = content }
            }
        }
        let ld = Metadata.jsonLD(root)
        func first(_ values: String?...) -> String? { values.compactMap { $0 }.first { !$0.isEmpty } }
        title = first(ld.headline, metas["dc:title"], metas["dcterm:title"], metas["og:title"], metas["weibo:article:title"],
                      metas["weibo:webpage:title"], metas["title"], metas["twitter:title"], metas["parsely-title"])
        // The DOM is searched only when the metadata name no author.
        byline = first(ld.author, metas["dc:creator"], metas["dcterm:creator"], metas["author"], metas["parsely-author"],
                       metas["article:author"].flatMap { $0.hasPrefix("http") ? nil : $0 }, metas["byl"])
            ?? Metadata.domByline(root)
        published = first(ld.published, metas["article:published_time"], metas["parsely-pub-date"], metas["datepublished"],
                          metas["pubdate"], metas["date"], metas["dc:date"], metas["dc:date:issued"], metas["dcterms:created"],
                          metas["sailthru:date"], metas["og:published_time"], metas["article:published"])
            ?? root.descendants { $0.name == "time" }.first?.attributes["datetime"]
        let html = root.children.first { $0.name == "html" } ?? root
        language = first(html.attributes["lang"], metas["og:locale"], metas["language"], metas["content-language"])
        site = first(ld.site, metas["og:site_name"], metas["application-name"])
        description = first(ld.description, metas["dc:description"], metas["dcterm:description"], metas["og:description"],
                            metas["weibo:article:description"], metas["weibo:webpage:description"], metas["description"],
                            metas["twitter:description"])
        titleTag = root.descendants { $0.name == "title" }.first.map { $0.textContent }
    }

    /// The title when no metadata gave one: the `<title>` without the site's name when that can be
    /// told apart (the part before the last separator, or after the first when that leaves fewer
    /// than three words; the whole title when the part would be four words or fewer and the
    /// separators are not a path such as `Site » Section » Story`), else the first `h1`.
    mutating func fillTitle(from root: HTMLNode) {
        if title == nil, let original = titleTag, !original.isEmpty {
            title = Metadata.withoutSiteName(original)
        }
        if title == nil { title = root.descendants { $0.name == "h1" }.first.map { $0.textContent } }
    }

    static func withoutSiteName(_ original: String) -> String {
        let separators = [" | ", " - ", " – ", " — ", " \\ ", " / ", " > ", " » "]
        let hierarchical = [" \\ ", " / ", " > ", " » "].contains { original.contains($0) }
        func words(_ s: String) -> Int { s.split(whereSeparator: \.isWhitespace).count }
        var last: Range<String.Index>?, first: Range<String.Index>?
        for s in separators {
            if let r = original.range(of: s, options: .backwards), last == nil || r.lowerBound > last!.lowerBound { last = r }
            if let r = original.range(of: s), first == nil || r.lowerBound < first!.lowerBound { first = r }
        }
        guard let last, let first else { return original }
        var cut = String(original[..<last.lowerBound])
        if words(cut) < 3 { cut = String(original[first.upperBound...]) }
        var bare = original
        for s in separators { bare = bare.replacingOccurrences(of: s, with: " ") }
        if words(cut) <= 4 && (!hierarchical || words(cut) != words(bare) - 1) { return original }
        return cut
    }

    static let bylineHints: [[UInt8]] = ["byline", "author"].map { Array($0.utf8) }

    static func domByline(_ root: HTMLNode) -> String? {
        if let rel = root.descendants(where: { $0.attributes["rel"] == "author" || $0.attributes["itemprop"] == "author" }).first {
            let t = rel.textContent
            if !t.isEmpty && t.count < 100 { return t }
        }
        for node in root.descendants(where: { $0.hints(Metadata.bylineHints) }) {
            let t = node.textContent
            if !t.isEmpty && t.count < 100 { return t }
        }
        return nil
    }

    struct LinkedData {
        var headline: String?, author: String?, published: String?, site: String?, description: String?
    }

    /// The first schema.org article object in the page's JSON-LD scripts (at any nesting, in
    /// `@graph` too).
    static func jsonLD(_ root: HTMLNode) -> LinkedData {
        var out = LinkedData()
        let articleTypes: Set<String> = ["NewsArticle", "Article", "ReportageNewsArticle", "BlogPosting", "WebPage",
                                          "AnalysisNewsArticle", "OpinionNewsArticle", "ScholarlyArticle", "Report"]
        for script in root.descendants(where: { $0.name == "script" && ($0.attributes["type"] ?? "").contains("ld+json") }) {
            // Pages wrap the JSON in CDATA or comment markers, which an HTML parser keeps as text.
            var raw = script.children.map(\.text).joined().trimmingCharacters(in: .whitespacesAndNewlines)
            for (open, close) in [("<![CDATA[", "]]>"), ("<!--", "-->")] where raw.hasPrefix(open) {
                raw = String(raw.dropFirst(open.count))
                if raw.hasSuffix(close) { raw = String(raw.dropLast(close.count)) }
                raw = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            }
            guard let data = raw.data(using: .utf8), let json = try? JSONSerialization.jsonObject(with: data) else { continue }
            var queue: [Any] = [json]
            var visited = 0
            while !queue.isEmpty, visited < 10_000 {
                let item = queue.removeFirst()
                visited += 1
                if let array = item as? [Any] { queue.append(contentsOf: array); continue }
                guard let object = item as? [String: Any] else { continue }
                if let graph = object["@graph"] { queue.append(graph) }
                let types: [String] = (object["@type"] as? String).map { [$0] } ?? (object["@type"] as? [String]) ?? []
                guard types.contains(where: articleTypes.contains) else { continue }
                if out.headline == nil { out.headline = (object["headline"] as? String) ?? (object["name"] as? String) }
                if out.author == nil { out.author = names(object["author"]) }
                if out.published == nil { out.published = object["datePublished"] as? String }
                if out.site == nil { out.site = names(object["publisher"]) }
                if out.description == nil { out.description = object["description"] as? String }
            }
        }
        out.headline = out.headline.map(HTMLDocument.collapse)
        return out
    }

    /// `"Ann Lee"`, `{"name": "Ann Lee"}` or a list of them, joined with commas.
    static func names(_ value: Any?) -> String? {
        if let s = value as? String { return s.hasPrefix("http") ? nil : s }
        if let o = value as? [String: Any] { return o["name"] as? String }
        if let a = value as? [Any] {
            let all = a.compactMap { names($0) }
            return all.isEmpty ? nil : all.joined(separator: ", ")
        }
        return nil
    }
}
