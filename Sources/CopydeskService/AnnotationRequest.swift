import Copydesk

/// What a client asked for about one article.
struct AnnotationRequest: Sendable {
    var id: String?
    var text: String?
    var html: [UInt8]?
    var title: String?
    /// Sections listed (all when nil).
    var top: Int?
    /// Terms explained (0: none).
    var explain: Int
    /// Every sentence's score in the summary.
    var scores: Bool
    var teaserCharacters: Int?
    var sentences: Int?
    var reviewBelow: Double?
}

/// An answer that is an error: its status, message and (for 503 from the in-flight limit) when
/// to retry. The message never holds a path or a trace of the server machine.
struct APIError: Error, Sendable {
    var status: Int
    var message: String
    /// The byte offset of a syntax error in the body.
    var offset: Int?
    var retryAfter: Int?

    var json: [String: Any] {
        var o: [String: Any] = ["error": message]
        if let offset { o["offset"] = offset }
        return o
    }
}

/// Reads a request body into annotation requests: one object, or an array of them (a batch,
/// answered in order). Syntax errors are 400 with the byte offset; well-formed JSON of the wrong
/// shape is 422 naming the item and the field.
enum RequestReader {
    static let maxDepth = 32
    static let maxBatch = 10_000

    static func read(_ body: [UInt8]) throws(APIError) -> (items: [AnnotationRequest], batch: Bool) {
        if body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            throw APIError(status: 400, message: "empty body: send a JSON object such as {\"text\": \"…\"} or an array of them")
        }
        let value: JSONValue
        do {
            value = try JSONValue.parse(body, maxDepth: maxDepth)
        } catch {
            throw APIError(status: 400, message: "malformed JSON at byte \(error.offset): \(error.message)", offset: error.offset)
        }
        switch value {
        case .object:
            return ([try item(value, at: nil)], false)
        case let .array(elements):
            guard !elements.isEmpty else { throw APIError(status: 422, message: "an empty array: send at least one article") }
            guard elements.count <= maxBatch else {
                throw APIError(status: 422, message: "a batch of \(elements.count) articles; send at most \(maxBatch) at once")
            }
            var items: [AnnotationRequest] = []
            items.reserveCapacity(elements.count)
            for (n, e) in elements.enumerated() { items.append(try item(e, at: n)) }
            return (items, true)
        default:
            throw APIError(status: 422, message: "expected a JSON object (or an array of objects), got \(kind(value))")
        }
    }

    static func kind(_ v: JSONValue) -> String {
        switch v {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    static func item(_ value: JSONValue, at index: Int?) throws(APIError) -> AnnotationRequest {
        let place = index.map { "item \($0): " } ?? ""
        func wrong(_ message: String) -> APIError { APIError(status: 422, message: place + message) }
        guard case .object = value else { throw wrong("expected an object, got \(kind(value))") }
        func string(_ key: String) throws(APIError) -> String? {
            switch value[key] {
            case nil, .null?: return nil
            case let .string(s)?: return s
            case let other?: throw wrong("\"\(key)\" must be a string, got \(kind(other))")
            }
        }
        func integer(_ key: String, _ range: ClosedRange<Int>) throws(APIError) -> Int? {
            switch value[key] {
            case nil, .null?: return nil
            case let .number(x, true)? where x >= Double(range.lowerBound) && x <= Double(range.upperBound): return Int(x)
            case let other?:
                throw wrong("\"\(key)\" must be an integer from \(range.lowerBound) to \(range.upperBound), got \(describe(other))")
            }
        }
        var r = AnnotationRequest(explain: 0, scores: false)
        switch value["id"] {
        case nil, .null?: r.id = nil
        case let .string(s)?: r.id = s
        case let .number(x, true)? where abs(x) < 1e15: r.id = String(Int(x))
        case let other?: throw wrong("\"id\" must be a string or an integer, got \(describe(other))")
        }
        // The article itself may be absent but not null (the other one then carries it).
        for key in ["text", "html"] where value[key] == .null {
            throw wrong("\"\(key)\" must be a string, got null")
        }
        r.text = try string("text")
        if let html = try string("html") { r.html = Array(html.utf8) }
        r.title = try string("title")
        switch (r.text, r.html) {
        case (nil, nil): throw wrong("no \"text\" or \"html\" string: send the article as {\"text\": \"…\"} or the page as {\"html\": \"…\"}")
        case (_?, _?): throw wrong("both \"text\" and \"html\": send one")
        default: break
        }
        if let text = r.text {
            if text.utf8.contains(0) { throw wrong("\"text\" holds NUL characters: send the article's text, not binary data") }
            if looksBinary(text) { throw wrong("\"text\" looks like binary data (mostly control characters)") }
            if text.unicodeScalars.allSatisfy(\.properties.isWhitespace) { throw wrong("\"text\" is empty") }
        }
        if let html = r.html {
            if html.contains(0) { throw wrong("\"html\" holds NUL characters: send the page's HTML, not binary data") }
            if html.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { throw wrong("\"html\" is empty") }
        }
        r.top = try integer("top", 1...1_000)
        switch value["explain"] {
        case nil, .null?, .bool(false)?: r.explain = 0
        case .bool(true)?: r.explain = 10
        case let .number(x, true)? where x >= 0 && x <= 100: r.explain = Int(x)
        case let other?: throw wrong("\"explain\" must be true, false or a number of terms from 0 to 100, got \(describe(other))")
        }
        switch value["scores"] {
        case nil, .null?, .bool(false)?: r.scores = false
        case .bool(true)?: r.scores = true
        case let other?: throw wrong("\"scores\" must be true or false, got \(describe(other))")
        }
        r.teaserCharacters = try integer("teaser_chars", 1...100_000)
        r.sentences = try integer("sentences", 1...1_000)
        switch value["review_below"] {
        case nil, .null?: r.reviewBelow = nil
        case let .number(x, _)? where x >= 0 && x <= 1: r.reviewBelow = x
        case let other?: throw wrong("\"review_below\" must be a probability from 0 to 1, got \(describe(other))")
        }
        return r
    }

    static func describe(_ v: JSONValue) -> String {
        switch v {
        case let .number(x, _): "\(x)"
        case let .bool(b): "\(b)"
        case let .string(s): "\"\(s.prefix(40))\""
        default: kind(v)
        }
    }

    /// More than a tenth of the first 4,096 bytes are control characters other than tab and line
    /// breaks (C0, C1 or the replacement character): not an article. Read over UTF-8 bytes.
    static func looksBinary(_ text: String) -> Bool {
        var seen = 0, control = 0
        var previous: UInt8 = 0, beforePrevious: UInt8 = 0
        for b in text.utf8.prefix(4096) {
            seen += 1
            if b < 0x20 && b != 0x09 && b != 0x0A && b != 0x0D { control += 1 }
            if b == 0x7F { control += 1 }
            if previous == 0xC2 && b >= 0x80 && b < 0xA0 { control += 1 }  // U+0080–U+009F
            if beforePrevious == 0xEF && previous == 0xBF && b == 0xBD { control += 1 }  // U+FFFD
            beforePrevious = previous
            previous = b
        }
        return seen > 0 && control * 10 > seen
    }
}
