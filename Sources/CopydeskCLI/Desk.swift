import ArgumentParser
import Copydesk
import Foundation

/// `--desk FILE` for the commands that read a corpus: one profile for every corpus, or one per
/// `--corpus` in the same order.
struct CorpusDeskOptions: ParsableArguments {
    @Option(name: .customLong("desk"),
            help: "Desk profile (JSON: coverage, country, optional name and sections); one for all corpora or one per --corpus.")
    var paths: [String] = []

    /// The desk of each of `corpora` corpora (nil: read texts as they are).
    func profiles(corpora: Int) throws -> [DeskProfile?] {
        let read = try paths.map { try DeskProfile.read(from: $0) }
        switch read.count {
        case 0: return Array(repeating: nil, count: corpora)
        case 1: return Array(repeating: read[0], count: corpora)
        case corpora: return read
        default:
            throw ValidationError("\(read.count) --desk profiles for \(corpora) --corpus: give one for all or one per corpus")
        }
    }
}

/// The desk a classifying command reads articles as, and the notes it owes the user about it.
enum DeskBinding {
    /// `model` reading texts as the desk at `deskPath` (or `profile`, or the model's own desk),
    /// saying on stderr (when `warn`) if the model and the request do not fit together.
    static func bind(_ model: SectionClassifier, deskPath: String?, profile given: DeskProfile? = nil,
                     warn: Bool = true) throws -> (SectionClassifier, DeskProfile?) {
        let profile = try given ?? deskPath.map { try DeskProfile.read(from: $0) }
        let placeFeatures = model.desk?.placeFeatures == true
        if let profile {
            if !placeFeatures && warn {
                Terminal.warning("the model was trained without a desk profile: the desk \(profile.name.map { "'\($0)' " } ?? "")"
                                 + "only renames sections")
            }
            return (model.using(desk: profile), profile)
        }
        if placeFeatures, let own = model.places?.profile, warn {
            Terminal.warning("the model was trained with desk profiles and no --desk was given: reading places as "
                             + "\(own.name.map { "'\($0)'" } ?? "its first desk") does (\(own.country), \(own.coverage.count) places)")
        }
        return (model, model.places?.profile)
    }
}

struct Desk: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "desk",
        abstract: "Desk profiles: check one and see the places it finds in an article.",
        subcommands: [Check.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Check a desk profile and list the desk-area, home and foreign places found in articles.")

        @Argument(help: "Desk profile (JSON).")
        var profile: String

        @Argument(help: "Article files; '-' or nothing reads standard input.")
        var files: [String] = []

        @Flag(help: "One JSON object per article.")
        var json = false

        @Option(help: "Refuse articles larger than this many bytes.")
        var maxBytes = TextInput.defaultMaxBytes

        func run() throws {
            try Failure.guarded {
                let desk = try DeskProfile.read(from: profile)
                let gazetteer = Gazetteer.shared
                if gazetteer.isEmpty {
                    Terminal.warning("no country data (\(Gazetteer.isoCodesFolder)): install Debian's iso-codes; only the coverage is matched")
                }
                let matcher = PlaceMatcher(profile: desk, gazetteer: gazetteer)
                if !json {
                    print("desk \(desk.name ?? profile): country \(desk.country), \(desk.coverage.count) coverage places"
                          + (desk.sections.isEmpty ? "" : ", sections renamed: "
                             + desk.sections.sorted { $0.key < $1.key }.map { "\($0.key) → \($0.value)" }.joined(separator: ", ")))
                }
                var failures = 0
                for input in files.isEmpty ? ["-"] : files {
                    let text: String
                    do {
                        text = try TextInput.read(input, maxBytes: maxBytes, lossy: false)
                    } catch let error as InputError {
                        Terminal.error("\(error)")
                        failures += 1
                        continue
                    }
                    let found = matcher.mentions(in: text)
                    let id = input == "-" ? "<stdin>" : input
                    if json {
                        JSONOutput.printLine([
                            "id": id,
                            "places": found.map {
                                ["kind": $0.kind.label, "place": $0.place, "text": $0.text,
                                 "start": $0.range.lowerBound, "end": $0.range.upperBound,
                                 "country": $0.country.map { $0 as Any } ?? NSNull()] as [String: Any]
                            },
                        ])
                        continue
                    }
                    print("\(id):")
                    for kind in PlaceKind.allCases {
                        let of = found.filter { $0.kind == kind }
                        guard !of.isEmpty else { continue }
                        var counts: [String: Int] = [:], order: [String] = []
                        for m in of {
                            let name = kind == .foreign ? "\(m.place) (\(m.country ?? "?"))" : m.place
                            if counts[name] == nil { order.append(name) }
                            counts[name, default: 0] += 1
                        }
                        print("  \(kind.label.padding(toLength: 13, withPad: " ", startingAt: 0)) "
                              + order.map { counts[$0]! > 1 ? "\($0) ×\(counts[$0]!)" : $0 }.joined(separator: ", "))
                    }
                    if found.isEmpty { print("  no places found") }
                }
                if failures > 0 { throw ExitCode(Failure.badInput) }
            }
        }
    }
}
