/// How an input file is to be read.
public enum InputKind: String, Sendable, CaseIterable {
    /// HTML when the file says so (a `.html`/`.htm` name, or a page's opening tags), else text.
    case auto
    case text
    case html
}

/// An article read from a file: plain text as it is, or a web page reduced to its article by
/// ``ArticleExtractor`` (its title then fills the headline the classifier and summarizer use).
public struct ArticleInput: Sendable {
    public var title: String?
    public var text: String
    /// True when the text came from a web page (already cleaned of the page around it).
    public var fromHTML: Bool

    /// Reads `path` (`-`: standard input) as `kind` says.
    public static func read(_ path: String, kind: InputKind = .auto, maxBytes: Int = TextInput.defaultMaxBytes,
                            lossy: Bool = false) throws -> ArticleInput {
        let source = path == "-" ? "<stdin>" : path
        let bytes = try TextInput.readBytes(path, maxBytes: maxBytes)
        if kind == .html || (kind == .auto && looksLikeHTML(bytes, path: path)) {
            let page = try ArticleExtractor().extract(bytes: bytes, source: source)
            guard !page.text.isEmpty else { throw InputError.empty(source: source) }
            return ArticleInput(title: page.title, text: page.text, fromHTML: true)
        }
        return ArticleInput(title: nil, text: try TextInput.decode(bytes, source: source, lossy: lossy), fromHTML: false)
    }

    /// What the classifier reads: the title and the text on separate lines.
    public var classifierInput: String { title.map { $0 + "\n" + text } ?? text }

    /// A `.html`/`.htm`/`.xhtml` name, a UTF-16 byte-order mark, or a document that opens (after
    /// white space and a UTF-8 byte-order mark) with `<!doctype html`, `<html`, `<head` or `<body`.
    public static func looksLikeHTML(_ bytes: [UInt8], path: String) -> Bool {
        let lower = path.lowercased()
        if lower.hasSuffix(".html") || lower.hasSuffix(".htm") || lower.hasSuffix(".xhtml") { return true }
        if bytes.count >= 2, (bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF) { return true }
        var i = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
        let head = String(decoding: bytes[i..<min(bytes.count, i + 16)], as: UTF8.self).lowercased()
        return ["<!doctype html", "<html", "<head", "<body", "<!--"].contains { head.hasPrefix($0) }
            && (head.hasPrefix("<!--") ? String(decoding: bytes.prefix(4096), as: UTF8.self).lowercased().contains("<html") : true)
    }
}
