import CLibXML2
import Foundation

/// An element or a run of text of a parsed page. A small tree of our own, built once from
/// libxml2's, so that the extractor's passes are plain Swift.
public final class HTMLNode {
    /// Lower-case tag name; `#text` for text.
    public let name: String
    public var attributes: [String: String]
    public var children: [HTMLNode] = []
    public weak var parent: HTMLNode?
    /// The text of a `#text` node (entities decoded); empty for elements.
    public let text: String

    init(name: String, attributes: [String: String] = [:], text: String = "") {
        self.name = name
        self.attributes = attributes
        self.text = text
    }

    public var isText: Bool { name == "#text" }

    /// `class` and `id` together, lower case: what hints such as "article" or "comment" are read from.
    public lazy var classAndID: String = ((attributes["class"] ?? "") + " " + (attributes["id"] ?? "")).lowercased()

    /// ``classAndID``'s bytes, for quick substring tests.
    lazy var hintBytes: [UInt8] = Array(classAndID.utf8)

    /// Whether ``classAndID`` contains any of `words` (ASCII byte search, no Foundation).
    func hints(_ words: [[UInt8]]) -> Bool {
        let h = hintBytes
        guard h.count > 1 else { return false }
        for w in words where w.count <= h.count {
            var i = 0
            while i + w.count <= h.count {
                if h[i] == w[0] {
                    var k = 1
                    while k < w.count, h[i + k] == w[k] { k += 1 }
                    if k == w.count { return true }
                }
                i += 1
            }
        }
        return false
    }

    /// The elements below this one, depth first, in document order (iterative: a page may nest
    /// elements deeper than a call stack would).
    public func descendants(where include: (HTMLNode) -> Bool = { _ in true }) -> [HTMLNode] {
        var out: [HTMLNode] = []
        var stack: [HTMLNode] = []
        stack.reserveCapacity(64)
        for c in children.indices.reversed() where !children[c].isText { stack.append(children[c]) }
        while let node = stack.popLast() {
            if include(node) { out.append(node) }
            let kids = node.children
            var k = kids.count - 1
            while k >= 0 {
                if !kids[k].isText { stack.append(kids[k]) }
                k -= 1
            }
        }
        return out
    }

    /// All text below this node, with runs of white space made single spaces.
    public var textContent: String {
        var joined = ""
        var stack: [HTMLNode] = [self]
        while let node = stack.popLast() {
            if node.isText {
                joined += node.text
            } else {
                let kids = node.children
                var k = kids.count - 1
                while k >= 0 {
                    stack.append(kids[k])
                    k -= 1
                }
            }
        }
        return HTMLDocument.collapse(joined)
    }
}

/// A web page parsed by libxml2's HTML parser, which is forgiving as browsers are: unclosed and
/// misnested tags, stray bytes and missing `<html>`/`<body>` are repaired, and the page's encoding
/// is taken from a byte-order mark or a `<meta charset>`/`http-equiv` declaration (UTF-8 when none
/// is declared; bytes invalid in it are replaced). Nothing is fetched (`HTML_PARSE_NONET`).
public struct HTMLDocument {
    public let root: HTMLNode

    /// libxml2's `XML_PARSE_HUGE` (1 << 19), which its HTML parser honours too: without it a page
    /// nested deeper than 256 elements loses everything below, and a text node over 10 MB is cut.
    static let hugeOption: UInt32 = 1 << 19

    /// The most nested elements kept: deeper content is attached to the element at this depth, so
    /// that a page of 100,000 nested `<div>`s still gives its text without deep recursion anywhere.
    public static let maximumDepth = 512

    /// Parses `bytes`.
    ///
    /// - Throws: ``ExtractionError/notHTML(source:)`` when libxml2 finds no document at all (empty input).
    public init(bytes: [UInt8], source: String = "page") throws {
        guard !bytes.isEmpty else { throw ExtractionError.empty(source: source) }
        let options = Int32(HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
                            | HTML_PARSE_NONET.rawValue | HTML_PARSE_COMPACT.rawValue | HTMLDocument.hugeOption)
        // A UTF-16 page is only recognised by libxml2 from its byte-order mark; other encodings from
        // the page's own declaration. Without either, UTF-8 (nil lets libxml2 decide).
        copydesk_xml_silence()
        let doc: htmlDocPtr? = bytes.withUnsafeBufferPointer { b in
            b.baseAddress!.withMemoryRebound(to: CChar.self, capacity: b.count) { p in
                htmlReadMemory(p, Int32(clamping: b.count), "page.html", HTMLDocument.encoding(of: bytes), options)
            }
        }
        guard let doc else { throw ExtractionError.notHTML(source: source) }
        defer { xmlFreeDoc(doc) }
        let root = HTMLNode(name: "#document")
        guard let top = xmlDocGetRootElement(doc) else { throw ExtractionError.notHTML(source: source) }
        HTMLDocument.convert(top, into: root)
        self.root = root
    }

    /// The encoding to tell libxml2, when the bytes say it with a byte-order mark.
    static func encoding(of bytes: [UInt8]) -> String? {
        if bytes.count >= 2 && bytes[0] == 0xFF && bytes[1] == 0xFE { return "UTF-16LE" }
        if bytes.count >= 2 && bytes[0] == 0xFE && bytes[1] == 0xFF { return "UTF-16BE" }
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { return "UTF-8" }
        return nil
    }

    /// Elements whose contents are copied only when needed (see ``convert(_:into:)``).
    static let opaque: Set<String> = ["script", "style", "svg", "template", "canvas", "math"]

    /// Copies libxml2's tree below `top` into `root`, iteratively, keeping elements, text and
    /// CDATA; comments and processing instructions go.
    static func convert(_ top: xmlNodePtr, into root: HTMLNode) {
        var stack: [(xmlNodePtr, HTMLNode, Int)] = [(top, root, 0)]
        while let (node, parent, depth) = stack.popLast() {
            switch node.pointee.type {
            case XML_ELEMENT_NODE:
                let name = string(node.pointee.name).lowercased()
                let element = HTMLNode(name: name, attributes: attributes(of: node))
                // Past the depth limit, content joins the element at the limit.
                let holder = depth < maximumDepth ? element : parent
                if depth < maximumDepth {
                    element.parent = parent
                    parent.children.append(element)
                }
                // The code and drawings inside these never reach the text or the metadata (a
                // JSON-LD script's does): their contents are not copied.
                if HTMLDocument.opaque.contains(name), !(name == "script" && (element.attributes["type"] ?? "").contains("ld+json")) {
                    continue
                }
                var children: [xmlNodePtr] = []
                var child = node.pointee.children
                while let c = child {
                    children.append(c)
                    child = c.pointee.next
                }
                for c in children.reversed() { stack.append((c, holder, depth + 1)) }
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = node.pointee.content {
                    let text = HTMLNode(name: "#text", text: String(cString: content))
                    text.parent = parent
                    parent.children.append(text)
                }
            default:
                break
            }
        }
    }

    static func attributes(of node: xmlNodePtr) -> [String: String] {
        var out: [String: String] = [:]
        var attribute = node.pointee.properties
        while let a = attribute {
            let name = string(a.pointee.name).lowercased()
            if let value = xmlNodeGetContent(UnsafeMutableRawPointer(a).assumingMemoryBound(to: xmlNode.self)) {
                if out[name] == nil { out[name] = String(cString: value) }
                copydesk_xml_free(value)
            }
            attribute = a.pointee.next
        }
        return out
    }

    static func string(_ p: UnsafePointer<xmlChar>?) -> String {
        p.map { String(cString: $0) } ?? ""
    }

    /// `s` with runs of white space (including no-break spaces) made one space, trimmed. ASCII
    /// bytes are classified directly; only other scalars ask Unicode's properties.
    public static func collapse(_ s: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count)
        var space = false
        for scalar in s.unicodeScalars {
            let white = scalar.isASCII
                ? (scalar == " " || scalar == "\n" || scalar == "\t" || scalar == "\r" || scalar == "\u{0B}" || scalar == "\u{0C}")
                : (scalar == "\u{A0}" || scalar.properties.isWhitespace)
            if white {
                space = !out.isEmpty
            } else {
                if space { out.append(0x20) }
                if scalar.isASCII { out.append(UInt8(scalar.value)) } else { out += Array(String(scalar).utf8) }
                space = false
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Why a page could not be read.
public enum ExtractionError: Error, Equatable, CustomStringConvertible {
    case empty(source: String)
    case notHTML(source: String)

    public var description: String {
        switch self {
        case let .empty(source): "\(source): the page is empty"
        case let .notHTML(source): "\(source): no HTML document could be read"
        }
    }
}
