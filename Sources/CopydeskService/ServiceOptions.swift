import Copydesk
import Foundation

/// How a service runs: what it serves and the limits it keeps.
public struct ServiceOptions: Sendable {
    public var modelPath: String
    public var deskPath: String?
    public var host = "127.0.0.1"
    /// 0 asks the system for a free port (the address is printed once the server listens).
    public var port = 8080
    /// The bearer token every `/v1/` route requires; nil: none (and no admin routes).
    public var token: String?
    /// Largest request body; larger ones are answered 413.
    public var maxBytes = TextInput.defaultMaxBytes
    /// A request that takes longer is answered 503 (its work is left to finish unseen).
    public var timeBudget: Duration = .seconds(10)
    /// Requests at work at once; more are answered 503 with `Retry-After`.
    public var maxInFlight = 256
    /// An evaluation report (from `copydesk report`) shown on the page's second view.
    public var reportPath: String?
    /// Teaser budget in characters and summary length, as `summarize`'s defaults.
    public var teaserCharacters = 200
    public var summarySentences = 3
    /// Articles whose top probability is below this are marked `"review": true` (nil: no flag).
    public var reviewBelow: Double?

    public init(modelPath: String) {
        self.modelPath = modelPath
    }

    /// Loopback names and addresses: the only hosts a service without a token may bind.
    public static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    /// Reads a token file: its first line, without surrounding white space.
    /// - Throws: ``ServiceError/badToken(path:reason:)``.
    public static func readToken(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ServiceError.badToken(path: path, reason: "cannot be read")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ServiceError.badToken(path: path, reason: "is not UTF-8 text")
        }
        let token = (text.split(separator: "\n", omittingEmptySubsequences: true).first.map(String.init) ?? "")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard token.count >= 16 else {
            throw ServiceError.badToken(path: path, reason: "holds a token of \(token.count) characters; use at least 16")
        }
        guard token.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else {
            throw ServiceError.badToken(path: path, reason: "holds characters a header cannot carry (use printable ASCII)")
        }
        return token
    }

    /// Refuses settings that would expose the service: a non-loopback address without a token.
    public func validate() throws {
        if !ServiceOptions.isLoopback(host) && token == nil {
            throw ServiceError.exposed(host: host)
        }
        if maxBytes < 1 { throw ServiceError.invalid("--max-bytes must be positive") }
        if maxInFlight < 1 { throw ServiceError.invalid("--max-in-flight must be at least 1") }
        if teaserCharacters < 1 { throw ServiceError.invalid("--teaser-chars must be at least 1") }
    }
}

/// Why a service cannot start or a model cannot be swapped in.
public enum ServiceError: Error, CustomStringConvertible {
    case badToken(path: String, reason: String)
    case exposed(host: String)
    case invalid(String)
    case report(path: String, reason: String)

    public var description: String {
        switch self {
        case let .badToken(path, reason): "token file \(path) \(reason)"
        case let .exposed(host):
            "refusing to listen on \(host) without a token: anyone who can reach it could use the service. "
                + "Give --token-file FILE (clients then send 'Authorization: Bearer <token>'), or listen on 127.0.0.1"
        case let .invalid(message): message
        case let .report(path, reason): "report \(path) \(reason)"
        }
    }
}
