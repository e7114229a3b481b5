import Copydesk
import Foundation
import Synchronization

/// The model every request uses: loaded once, shared read-only, and swapped whole by a reload.
/// A request takes the current ``Loaded`` value at its start and keeps it to its end, so a reload
/// never changes a model under a request.
public final class ModelStore: Sendable {
    /// One loaded model and what the service says about it.
    public struct Loaded: Sendable {
        public let classifier: SectionClassifier
        /// The desk articles are read as (the one given, or the model's own), whose names the output uses.
        public let desk: DeskProfile?
        /// The file's stored checksum, in hexadecimal.
        public let checksum: String
        public let loadedAt: Date
        /// What the service noted about the model and the desk (a profile the model was not trained with, …).
        public let notes: [String]
    }

    private let current: Mutex<Loaded>
    private let reloading = Mutex(())
    let modelPath: String
    let deskPath: String?

    /// Loads the model at `modelPath` (read as the desk at `deskPath` when given).
    /// - Throws: the model file's or desk profile's error.
    public init(modelPath: String, deskPath: String?) throws {
        self.modelPath = modelPath
        self.deskPath = deskPath
        current = Mutex(try ModelStore.load(modelPath: modelPath, deskPath: deskPath))
    }

    public var loaded: Loaded { current.withLock { $0 } }

    /// Reads the model file again and swaps it in whole; on any error the model in use stays.
    /// Reloads are one at a time.
    @discardableResult
    public func reload() throws -> Loaded {
        try reloading.withLock { _ in
            let fresh = try ModelStore.load(modelPath: modelPath, deskPath: deskPath)
            current.withLock { $0 = fresh }
            return fresh
        }
    }

    static func load(modelPath: String, deskPath: String?) throws -> Loaded {
        let model = try ModelFile.read(from: modelPath)
        let checksum = try ModelStore.storedChecksum(modelPath)
        var notes: [String] = []
        let placeFeatures = model.desk?.placeFeatures == true
        if let deskPath {
            let profile = try DeskProfile.read(from: deskPath)
            if !placeFeatures {
                notes.append("the model was trained without a desk profile: the desk only renames sections")
            }
            return Loaded(classifier: model.using(desk: profile), desk: profile, checksum: checksum, loadedAt: Date(), notes: notes)
        }
        if placeFeatures, let own = model.places?.profile {
            notes.append("the model was trained with desk profiles and no --desk was given: places are read as "
                         + "\(own.name.map { "'\($0)'" } ?? "its first desk") does")
        }
        return Loaded(classifier: model, desk: model.places?.profile, checksum: checksum, loadedAt: Date(), notes: notes)
    }

    /// The last eight bytes of a model file: the checksum ``ModelFile`` wrote and checked.
    static func storedChecksum(_ path: String) throws -> String {
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        let end = try handle.seekToEnd()
        guard end >= 8 else { return "" }
        try handle.seek(toOffset: end - 8)
        let bytes = try handle.read(upToCount: 8) ?? Data()
        let value = bytes.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        return String(value, radix: 16, uppercase: false).leftPadded(to: 16)
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
