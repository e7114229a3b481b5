import Foundation

/// Who a newspaper is: the places it calls its own and its home country. "Local" is geography
/// relative to the paper, so the classifier sees places through a desk (see ``PlaceMatcher``).
///
/// The file form is one JSON object:
///
///     {"name": "The Daily Herald", "country": "US",
///      "coverage": ["Everett", "Snohomish County", "Mill Creek"],
///      "sections": {"local": "Local News"}}
///
/// `coverage` lists the desk's towns, counties, neighbourhoods and region (an empty list is a
/// national desk with no local area); `country` is the ISO 3166-1 alpha-2 code of its home country;
/// `name` and `sections` (the model's section names → the desk's own, used in all output) are
/// optional. Unknown keys are refused.
public struct DeskProfile: Sendable, Hashable, Codable {
    public var name: String?
    public var coverage: [String]
    /// ISO 3166-1 alpha-2, upper case.
    public var country: String
    /// The model's section names → the desk's own names.
    public var sections: [String: String]

    /// The most coverage names a profile may list; far above any real desk's, far below what would
    /// make matching slow.
    public static let maximumPlaces = 200_000
    /// The longest place name accepted, in bytes.
    public static let maximumNameBytes = 200

    public init(name: String? = nil, coverage: [String], country: String, sections: [String: String] = [:]) {
        self.name = name
        self.coverage = coverage
        self.country = country
        self.sections = sections
    }

    private enum Keys: String, CodingKey { case name, coverage, country, sections }

    /// The same checks as ``parse(_:path:countries:)`` for a profile inside other JSON (a corpus
    /// record's `"desk"`, a model file's header): unknown keys, empty or over-long place names and a
    /// country that is not two letters are refused.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        struct AnyKey: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init?(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }
        if let unknown = try decoder.container(keyedBy: AnyKey.self).allKeys.map(\.stringValue)
            .first(where: { Keys(rawValue: $0) == nil }) {
            throw DecodingError.dataCorruptedError(forKey: .name, in: c, debugDescription: "unknown desk key '\(unknown)'")
        }
        name = try c.decodeIfPresent(String.self, forKey: .name)
        coverage = try c.decode([String].self, forKey: .coverage)
        for place in coverage where PlaceMatcher.words(of: place).isEmpty || place.utf8.count > DeskProfile.maximumNameBytes
            || place.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw DecodingError.dataCorruptedError(forKey: .coverage, in: c, debugDescription: "invalid place name '\(place)'")
        }
        guard coverage.count <= DeskProfile.maximumPlaces else {
            throw DecodingError.dataCorruptedError(forKey: .coverage, in: c, debugDescription: "too many places")
        }
        country = try c.decode(String.self, forKey: .country).uppercased()
        guard country.count == 2, country.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) }) else {
            throw DecodingError.dataCorruptedError(forKey: .country, in: c, debugDescription: "'\(country)' is not an ISO 3166-1 alpha-2 code")
        }
        sections = try c.decodeIfPresent([String: String].self, forKey: .sections) ?? [:]
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encodeIfPresent(name, forKey: .name)
        try c.encode(coverage, forKey: .coverage)
        try c.encode(country, forKey: .country)
        if !sections.isEmpty { try c.encode(sections, forKey: .sections) }
    }

    /// The desk's name for a model section.
    public func displayName(of section: String) -> String { sections[section] ?? section }

    /// Reads and checks the profile at `path`.
    ///
    /// - Throws: ``DeskError`` naming the file and the key or position at fault.
    public static func read(from path: String, countries: Set<String>? = nil) throws -> DeskProfile {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            var isDirectory: ObjCBool = false
            if !FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
                throw DeskError.unreadable(path: path, reason: "no such file")
            }
            throw DeskError.unreadable(path: path, reason: isDirectory.boolValue ? "is a directory" : "cannot be read")
        }
        return try parse(data, path: path, countries: countries)
    }

    /// Parses a profile's JSON; `path` names it in errors. `countries` (default: the ISO 3166-1
    /// codes of ``Gazetteer/shared``) are the accepted country codes.
    public static func parse(_ data: Data, path: String, countries: Set<String>? = nil) throws -> DeskProfile {
        guard data.count <= 64 << 20 else {
            throw DeskError.invalid(path: path, key: nil, reason: "the file is over 64 MiB")
        }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data, options: [])
        } catch {
            let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
            throw DeskError.notJSON(path: path, reason: detail ?? "not valid JSON")
        }
        guard let fields = object as? [String: Any] else {
            throw DeskError.invalid(path: path, key: nil, reason: "expected a JSON object with \"coverage\" and \"country\"")
        }
        let known: Set<String> = ["name", "coverage", "country", "sections"]
        if let unknown = fields.keys.filter({ !known.contains($0) }).sorted().first {
            throw DeskError.invalid(path: path, key: unknown,
                                    reason: "unknown key; a desk profile has name, coverage, country and sections")
        }
        var name: String?
        if let value = fields["name"], !(value is NSNull) {
            guard let s = value as? String else { throw DeskError.invalid(path: path, key: "name", reason: "expected a string") }
            name = s
        }
        guard let coverageValue = fields["coverage"] else {
            throw DeskError.invalid(path: path, key: "coverage", reason: "missing (use [] for a national desk)")
        }
        guard let list = coverageValue as? [Any] else {
            throw DeskError.invalid(path: path, key: "coverage", reason: "expected an array of place names")
        }
        guard list.count <= maximumPlaces else {
            throw DeskError.invalid(path: path, key: "coverage", reason: "\(list.count) places; at most \(maximumPlaces)")
        }
        var coverage: [String] = []
        coverage.reserveCapacity(list.count)
        for (i, item) in list.enumerated() {
            guard let place = item as? String else {
                throw DeskError.invalid(path: path, key: "coverage[\(i)]", reason: "expected a string")
            }
            let trimmed = place.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else {
                throw DeskError.invalid(path: path, key: "coverage[\(i)]", reason: "an empty place name")
            }
            guard !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                throw DeskError.invalid(path: path, key: "coverage[\(i)]", reason: "control characters (such as NUL) in a place name")
            }
            guard trimmed.utf8.count <= maximumNameBytes else {
                throw DeskError.invalid(path: path, key: "coverage[\(i)]", reason: "longer than \(maximumNameBytes) bytes")
            }
            guard PlaceMatcher.words(of: trimmed).count > 0 else {
                throw DeskError.invalid(path: path, key: "coverage[\(i)]", reason: "'\(trimmed)' has no letters or digits")
            }
            coverage.append(trimmed)
        }
        guard let countryValue = fields["country"] else {
            throw DeskError.invalid(path: path, key: "country", reason: "missing: the ISO 3166-1 alpha-2 code of the home country, such as \"US\"")
        }
        guard let code = countryValue as? String else {
            throw DeskError.invalid(path: path, key: "country", reason: "expected a string such as \"US\"")
        }
        let country = code.trimmingCharacters(in: .whitespaces).uppercased()
        let accepted = countries ?? Gazetteer.shared.countryCodes
        guard country.count == 2, accepted.isEmpty || accepted.contains(country) else {
            throw DeskError.invalid(path: path, key: "country", reason: "'\(code)' is not an ISO 3166-1 alpha-2 country code")
        }
        var sections: [String: String] = [:]
        if let value = fields["sections"], !(value is NSNull) {
            guard let map = value as? [String: Any] else {
                throw DeskError.invalid(path: path, key: "sections", reason: "expected an object from model sections to the desk's names")
            }
            for (model, own) in map {
                guard let own = own as? String, !own.trimmingCharacters(in: .whitespaces).isEmpty else {
                    throw DeskError.invalid(path: path, key: "sections.\(model)", reason: "expected a non-empty string")
                }
                sections[model] = own
            }
        }
        return DeskProfile(name: name, coverage: coverage, country: country, sections: sections)
    }
}

/// Why a desk profile could not be used.
public enum DeskError: Error, Equatable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case notJSON(path: String, reason: String)
    case invalid(path: String, key: String?, reason: String)

    public var description: String {
        switch self {
        case let .unreadable(path, reason): "desk profile \(path): \(reason)"
        case let .notJSON(path, reason): "desk profile \(path): not valid JSON: \(reason)"
        case let .invalid(path, key?, reason): "desk profile \(path): \"\(key)\": \(reason)"
        case let .invalid(path, nil, reason): "desk profile \(path): \(reason)"
        }
    }
}
