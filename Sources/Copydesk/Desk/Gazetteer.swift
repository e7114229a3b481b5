import Foundation

/// The world's country names, their subdivisions and their main cities, read from maintained
/// Debian data rather than typed in: `iso-codes` (ISO 3166-1 country names — the short, common and
/// official forms — and ISO 3166-2 subdivisions: states, provinces, counties) and `tzdata`'s
/// `zone.tab` (each time zone's city and the country it lies in: Beirut, Damascus, Chicago).
///
/// A desk then sees a country's names and its dotted alpha-2 code ("U.S.") as its *home country*
/// or as a *foreign country*, and a subdivision or city as a *home region* when it lies in the desk's
/// country. Foreign subdivisions are left out: thousands of them share names with ordinary words
/// or with places elsewhere.
public struct Gazetteer: Sendable {
    public struct Country: Sendable {
        public var code: String
        /// Names that stand for the country itself ("United States", "United States of America", "U.S.", "USA").
        public var names: [String]
        /// Its ISO 3166-2 subdivisions ("Washington", "Texas").
        public var subdivisions: [String]
        /// Its time-zone cities ("Chicago", "Los Angeles").
        public var cities: [String]
    }

    public var countries: [String: Country]
    /// Where the data was read from, for `desk check` and error messages.
    public var sources: [String]

    public var countryCodes: Set<String> { Set(countries.keys) }

    public static let isoCodesFolder = "/usr/share/iso-codes/json"
    public static let zoneTable = "/usr/share/zoneinfo/zone.tab"

    /// The gazetteer read once from the system's data (empty where the files are missing; see
    /// ``isEmpty``).
    public static let shared: Gazetteer = (try? Gazetteer.load()) ?? Gazetteer(countries: [:], sources: [])

    public var isEmpty: Bool { countries.isEmpty }

    public init(countries: [String: Country], sources: [String]) {
        self.countries = countries
        self.sources = sources
    }

    /// Reads ISO 3166-1 and 3166-2 from `isoCodes` and the cities of `zones`.
    ///
    /// - Throws: ``DeskError/unreadable(path:reason:)`` when the country list is missing (install
    ///   Debian's `iso-codes`); a missing subdivision or zone file only leaves those names out.
    public static func load(isoCodes: String = isoCodesFolder, zones: String = zoneTable) throws -> Gazetteer {
        let countriesPath = isoCodes + "/iso_3166-1.json"
        guard let data = FileManager.default.contents(atPath: countriesPath),
              let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let list = root["3166-1"] as? [[String: Any]] else {
            throw DeskError.unreadable(path: countriesPath, reason: "missing or unreadable; install Debian's iso-codes package")
        }
        var countries: [String: Country] = [:]
        for entry in list {
            guard let code = entry["alpha_2"] as? String else { continue }
            var names: [String] = []
            for key in ["name", "common_name", "official_name"] {
                // "Korea, Republic of" is a catalogue form that copy never uses.
                if let n = entry[key] as? String, !n.contains(",") { names.append(n) }
            }
            names.append(code.map { "\($0)." }.joined())  // U.S., U.K.-style dotted codes
            if let a3 = entry["alpha_3"] as? String { names.append(a3) }
            countries[code] = Country(code: code, names: unique(names), subdivisions: [], cities: [])
        }
        var sources = [countriesPath]
        let subdivisionsPath = isoCodes + "/iso_3166-2.json"
        if let data = FileManager.default.contents(atPath: subdivisionsPath),
           let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
           let list = root["3166-2"] as? [[String: Any]] {
            for entry in list {
                guard let code = entry["code"] as? String, let name = entry["name"] as? String,
                      let dash = code.firstIndex(of: "-") else { continue }
                let country = String(code[..<dash])
                // Names in brackets or with commas are catalogue forms ("Bonaire, Sint Eustatius ...").
                guard !name.contains(","), !name.contains("(") else { continue }
                countries[country]?.subdivisions.append(name)
            }
            sources.append(subdivisionsPath)
        }
        if let table = try? String(contentsOfFile: zones, encoding: .utf8) {
            for line in table.split(separator: "\n") where !line.hasPrefix("#") {
                let fields = line.split(separator: "\t")
                guard fields.count >= 3 else { continue }
                // Continent/City only: deeper paths (America/North_Dakota/Center) end in names too
                // common to be places.
                let parts = fields[2].split(separator: "/")
                guard parts.count == 2 else { continue }
                let city = parts[1].replacingOccurrences(of: "_", with: " ")
                countries[String(fields[0])]?.cities.append(city)
            }
            sources.append(zones)
        }
        for code in countries.keys {
            let own = Set(countries[code]!.names)
            countries[code]!.subdivisions = unique(countries[code]!.subdivisions).filter { !own.contains($0) }
            countries[code]!.cities = unique(countries[code]!.cities).filter { !own.contains($0) }
        }
        return Gazetteer(countries: countries, sources: sources)
    }

    private static func unique(_ names: [String]) -> [String] {
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }
    }
}
