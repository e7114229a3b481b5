import Foundation
import Testing
@testable import Copydesk

@Suite struct ModelFileTests {
    static func trainSmall(threads: Int = 2) throws -> SectionClassifier {
        let reference = try SklearnReference.load()
        return try SectionClassifier.train(reference.documents.map { LabeledText(text: $0.text, label: $0.label) },
                                           tfidf: .init(minDF: .count(1)), regression: .init(threads: threads))
    }

    /// `model` written to `m.cdm` in a fresh folder and read back.
    static func roundTrip(_ model: SectionClassifier) throws -> (loaded: SectionClassifier, path: String, dir: URL) {
        let dir = try TestPaths.temporaryDirectory()
        let path = dir.appendingPathComponent("m.cdm").path
        try ModelFile.write(model, to: path)
        return (try ModelFile.read(from: path), path, dir)
    }

    @Test func saveLoadPredictIsIdentical() throws {
        let model = try Self.trainSmall()
        let (loaded, _, dir) = try Self.roundTrip(model)
        #expect(loaded.sections == model.sections)
        #expect(loaded.coefficients == model.coefficients && loaded.intercepts == model.intercepts)
        #expect(loaded.vectorizer.idf == model.vectorizer.idf)
        #expect(loaded.report == model.report)
        for text in ["The striker scored", "Bank profits fell", "museum painters", "nothing known here"] {
            #expect(loaded.classify(text, explain: 3).probabilities == model.classify(text, explain: 3).probabilities)
        }
        #expect(try ModelFile.encode(loaded) == ModelFile.encode(model))
        // No temporary files left beside the model.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["m.cdm"])
    }

    /// 300 generated articles, so that counting, the solver's row passes and the calibration's
    /// folds all run in two blocks on two threads (asserted), against one thread.
    @Test func trainingIsDeterministicToTheByteWhateverTheThreadCount() throws {
        var g = SplitMix64(seed: 5)
        let vocabulary = (0..<400).map { "w\($0)" }
        let sections = ["business", "culture", "sports"]
        let examples = (0..<300).map { i -> LabeledText in
            let section = i % 3
            let words = (0..<30).map { _ in vocabulary[Int.random(in: 0..<133, using: &g) * 3 + section] }
            return LabeledText(text: words.joined(separator: " "), label: sections[section])
        }
        #expect(ParallelBlocks(count: 300, threads: 2).ranges.count == 2)
        func train(_ threads: Int) throws -> [UInt8] {
            try ModelFile.encode(SectionClassifier.train(examples, tfidf: .init(minDF: .count(1)), regression: .init(threads: threads)))
        }
        let a = try train(1), b = try train(2), c = try train(2)
        #expect(a == b && b == c)
        #expect(try ModelFile.encode(Self.trainSmall(threads: 1)) == ModelFile.encode(Self.trainSmall(threads: 2)))
    }

    func decode(_ bytes: [UInt8]) throws -> SectionClassifier {
        try bytes.withUnsafeBytes { try ModelFile.decode($0, path: "test.cdm") }
    }

    @Test func everyTruncationIsRefused() throws {
        let bytes = try ModelFile.encode(Self.trainSmall())
        // Every offset near the ends and a stride through the middle.
        let offsets = Array(0..<min(300, bytes.count)) + Array(stride(from: 300, to: bytes.count, by: 97))
            + Array(max(0, bytes.count - 64)..<bytes.count)
        for cut in offsets {
            #expect(throws: ModelFileError.self, "cut at \(cut)") { _ = try decode(Array(bytes[0..<cut])) }
        }
        #expect(throws: Never.self) { _ = try decode(bytes) }
    }

    @Test func bitFlipsAreRefused() throws {
        let bytes = try ModelFile.encode(Self.trainSmall())
        // One flipped bit in every byte (bit offset % 8), then random extra flips.
        var g = SplitMix64(seed: 77)
        let flips = bytes.indices.map { ($0, $0 % 8) } + (0..<300).map { _ in
            (Int.random(in: 0..<bytes.count, using: &g), Int.random(in: 0..<8, using: &g))
        }
        for (i, bit) in flips {
            var copy = bytes
            copy[i] ^= UInt8(1 << bit)
            #expect(throws: ModelFileError.self, "flip of bit \(bit) at \(i)") { _ = try decode(copy) }
        }
    }

    /// A non-finite weight under a valid checksum (a file written by something else) is refused:
    /// the check is made in the checksum's pass over the file.
    @Test(arguments: [Double.infinity, -Double.infinity, Double.nan])
    func nonFiniteWeightsAreRefused(value: Double) throws {
        let model = try Self.trainSmall()
        let bytes = try ModelFile.encode(model)
        let k = model.sections.count, d = model.vectorizer.featureCount
        let coefficientsEnd = bytes.count - 8 - 8 * k
        for index in [0, d * k / 2, d * k - 1] {
            var copy = bytes
            let at = coefficientsEnd - 8 * (d * k - index)
            withUnsafeBytes(of: value.bitPattern.littleEndian) { copy.replaceSubrange(at..<(at + 8), with: $0) }
            Self.resum(&copy)
            #expect(throws: ModelFileError.malformed(path: "test.cdm", reason: "non-finite weights"),
                    "\(value) at coefficient \(index)") { _ = try decode(copy) }
            // The same through a file, whose weights are checked in the mapping.
            let path = try TestPaths.temporaryDirectory().appendingPathComponent("bad.cdm").path
            FileManager.default.createFile(atPath: path, contents: Data(copy))
            #expect(throws: ModelFileError.malformed(path: path, reason: "non-finite weights"),
                    "\(value) at coefficient \(index), mapped") { _ = try ModelFile.read(from: path) }
        }
    }

    /// The checksum's finiteness check covers exactly the words it is given, wherever they start
    /// and end within its four-word groups, and does not change the checksum.
    @Test func theChecksumsFinitenessCheckCoversExactlyItsWords() {
        let words = 23
        for lower in 0...8 {
            for upper in lower...words {
                for bad in [lower - 1, lower, upper - 1, upper] where bad >= 0 && bad < words {
                    var values = [Double](repeating: 1.5, count: words)
                    values[bad] = .nan
                    let bytes = values.map { $0.bitPattern.littleEndian }.withUnsafeBytes { Array($0) }
                    let (sum, finite) = bytes.withUnsafeBytes { ModelFile.checksum($0, checkingFinite: lower..<upper) }
                    #expect(sum == bytes.withUnsafeBytes { ModelFile.checksum($0) })
                    #expect(finite == !(lower..<upper).contains(bad), "NaN at \(bad), checked \(lower)..<\(upper)")
                }
            }
        }
    }

    /// A zero or negative idf under a valid checksum is refused with its own reason.
    @Test func aNonPositiveIdfIsRefused() throws {
        let model = try Self.trainSmall()
        let bytes = try ModelFile.encode(model)
        let k = model.sections.count, d = model.vectorizer.featureCount
        let idfStart = bytes.count - 8 - 8 * k - 8 * d * k - 8 * d
        var copy = bytes
        withUnsafeBytes(of: (-1.0).bitPattern.littleEndian) { copy.replaceSubrange(idfStart..<(idfStart + 8), with: $0) }
        Self.resum(&copy)
        #expect(throws: ModelFileError.malformed(path: "test.cdm", reason: "an idf that is not positive and finite")) { _ = try decode(copy) }
    }

    /// Rewrites the checksum of a model file's bytes (a file edited by something else).
    static func resum(_ bytes: inout [UInt8]) {
        let sum = bytes[0..<(bytes.count - 8)].withUnsafeBytes { ModelFile.checksum($0) }
        withUnsafeBytes(of: sum.littleEndian) { bytes.replaceSubrange((bytes.count - 8)..<bytes.count, with: $0) }
    }

    /// The vocabulary is stored in byte order: two terms swapped, or one written over the next,
    /// under a valid checksum, are refused.
    @Test func vocabularyOutOfOrderOrRepeatedIsRefused() throws {
        let model = try Self.trainSmall()
        let bytes = try ModelFile.encode(model)
        let v = model.vectorizer.featureCount
        let headerLength = bytes.withUnsafeBytes { Int(UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: 12, as: UInt32.self))) }
        let arenaStart = ModelFile.padded(16 + headerLength) + 8 * v
        let vocabulary = model.vectorizer.vocabulary
        // Two neighbouring terms of the same length, so that the offsets stay valid.
        guard let i = (0..<(v - 1)).first(where: { vocabulary.range($0).count == vocabulary.range($0 + 1).count }) else {
            Issue.record("no neighbouring terms of equal length")
            return
        }
        let first = vocabulary.range(i), second = vocabulary.range(i + 1)
        var swapped = bytes, repeated = bytes
        swapped.replaceSubrange((arenaStart + first.lowerBound)..<(arenaStart + first.upperBound), with: vocabulary.bytes(i + 1))
        swapped.replaceSubrange((arenaStart + second.lowerBound)..<(arenaStart + second.upperBound), with: vocabulary.bytes(i))
        repeated.replaceSubrange((arenaStart + second.lowerBound)..<(arenaStart + second.upperBound), with: vocabulary.bytes(i))
        for var copy in [swapped, repeated] {
            Self.resum(&copy)
            #expect(throws: ModelFileError.malformed(path: "test.cdm", reason: "vocabulary terms repeated or out of byte order")) {
                _ = try decode(copy)
            }
        }
    }

    @Test func wrongSignatureVersionAndFilesAreNamed() throws {
        var bytes = try ModelFile.encode(Self.trainSmall())
        bytes[8] = 9  // version 9
        #expect(throws: ModelFileError.unsupportedVersion(path: "test.cdm", found: 9, supported: 2)) { _ = try decode(bytes) }
        #expect(throws: ModelFileError.notAModel(path: "test.cdm")) { _ = try decode(Array("{\"label\": \"sports\"}".utf8)) }
        #expect(throws: ModelFileError.notAModel(path: "test.cdm")) { _ = try decode([]) }
        #expect(throws: ModelFileError.unreadable(path: "/nonexistent/m.cdm", reason: "no such file")) {
            _ = try ModelFile.read(from: "/nonexistent/m.cdm")
        }
        let dir = try TestPaths.temporaryDirectory()
        #expect(throws: ModelFileError.unreadable(path: dir.path, reason: "is a directory")) { _ = try ModelFile.read(from: dir.path) }
        let empty = dir.appendingPathComponent("empty.cdm").path
        FileManager.default.createFile(atPath: empty, contents: Data())
        #expect(throws: ModelFileError.notAModel(path: empty)) { _ = try ModelFile.read(from: empty) }
    }

    /// A model given as a pipe (`--model <(…)`) is read into memory instead of mapped.
    @Test func aModelIsReadFromAPipe() throws {
        let model = try Self.trainSmall()
        let dir = try TestPaths.temporaryDirectory()
        let fifo = dir.appendingPathComponent("model.fifo").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let bytes = try ModelFile.encode(model)
        let writer = Thread {
            let fd = open(fifo, O_WRONLY)
            bytes.withUnsafeBytes { b in
                var at = 0
                while at < b.count { at += max(0, write(fd, b.baseAddress! + at, b.count - at)) }
            }
            close(fd)
        }
        writer.start()
        let loaded = try ModelFile.read(from: fifo)
        #expect(try ModelFile.encode(loaded) == bytes)
    }

    /// A model read from a file uses the file's mapping; replacing the file (as `train --output`
    /// does, by rename) leaves the loaded model working and unchanged.
    @Test func aLoadedModelOutlivesTheReplacementOfItsFile() throws {
        let first = try Self.trainSmall()
        let (loaded, path, _) = try Self.roundTrip(first)
        let other = try SectionClassifier.train([LabeledText(text: "alpha beta", label: "a"), LabeledText(text: "gamma delta", label: "b")],
                                                tfidf: TFIDFConfiguration(minDF: .count(1)))
        try ModelFile.write(other, to: path)
        #expect(try ModelFile.encode(loaded) == ModelFile.encode(first))
        #expect(loaded.classify("The striker scored").probabilities == first.classify("The striker scored").probabilities)
    }

    @Test func aFailedWriteLeavesTheOldFileAndNoTemporaries() throws {
        let model = try Self.trainSmall()
        let dir = try TestPaths.temporaryDirectory()
        let target = dir.appendingPathComponent("sub").path
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: false)
        #expect(throws: ModelFileError.self) { try ModelFile.write(model, to: target) }
        #expect(throws: ModelFileError.self) { try ModelFile.write(model, to: dir.path + "/missing-folder/m.cdm") }
        let path = dir.appendingPathComponent("m.cdm").path
        try Data("old".utf8).write(to: URL(fileURLWithPath: path))
        try ModelFile.write(model, to: path)
        #expect(try ModelFile.read(from: path).sections == model.sections)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["m.cdm", "sub"])
    }
}

/// Format 2: the calibration and the desk profiles travel with the model; format 1 files still load.
@Suite struct ModelFileFormatTwoTests {
    static let desk = DeskProfile(name: "Herald", coverage: ["Harbor City"], country: "US", sections: ["local": "Local"])

    static func trainWithDesk() throws -> SectionClassifier {
        let matcher = PlaceMatcher(profile: desk, gazetteer: testGazetteer)
        var examples: [LabeledText] = []
        for i in 0..<12 {
            examples.append(LabeledText(text: "Harbor City council votes on budget \(i)", label: "local", desk: matcher))
            examples.append(LabeledText(text: "Syria talks resume in Damascus round \(i)", label: "international", desk: matcher))
            examples.append(LabeledText(text: "Texas storm closes roads statewide day \(i)", label: "national", desk: matcher))
        }
        return try SectionClassifier.train(examples, tfidf: .init(minDF: .count(1)))
    }

    @Test func calibrationAndDeskRoundTrip() throws {
        let model = try Self.trainWithDesk()
        let calibration = try #require(model.calibration)
        #expect(calibration.folds == 3 && calibration.temperature > 0)
        #expect(model.desk?.placeFeatures == true && model.desk?.profiles == [Self.desk])
        let (loaded, _, _) = try ModelFileTests.roundTrip(model)
        #expect(loaded.calibration == model.calibration && loaded.desk == model.desk)
        #expect(loaded.places?.profile == Self.desk, "a loaded model reads texts as its first desk")
        #expect(try ModelFile.encode(loaded) == ModelFile.encode(model))
        let other = loaded.using(desk: DeskProfile(coverage: ["Everett"], country: "US"), gazetteer: testGazetteer)
        // Only the place word is known here: the model learnt it from Harbor City.
        let p = other.classify("Everett officials met", explain: 3)
        #expect(p.section == "local", "\(p.probabilities)")
        #expect(p.explanation.contains { $0.term.contains("‹desk area›") }, "\(p.explanation.map(\.term))")
        // Read without a desk, the same words are not a place.
        #expect(loaded.using(desk: nil).places == nil)
    }

    /// `bytes` with its header JSON passed through `edit` and its version set to `version`, padded
    /// and checksummed again.
    static func rewritten(_ bytes: [UInt8], version: UInt8, _ edit: (String) -> String) -> [UInt8] {
        let h = Int(bytes[12]) | Int(bytes[13]) << 8 | Int(bytes[14]) << 16 | Int(bytes[15]) << 24
        let json = Array(edit(String(decoding: bytes[16..<(16 + h)], as: UTF8.self)).utf8)
        var out: [UInt8] = ModelFile.signature + [version, 0, 0, 0]
        out += withUnsafeBytes(of: UInt32(json.count).littleEndian, Array.init)
        out += json
        while out.count % 8 != 0 { out.append(0) }
        out += bytes[ModelFile.padded(16 + h)..<(bytes.count - 8)]
        out += withUnsafeBytes(of: ModelFile.checksum(out[...]).littleEndian, Array.init)
        return out
    }

    /// A format 1 file (no calibration, no desk, no calibrationFolds) made from a format 2 one.
    @Test func formatOneStillLoads() throws {
        let model = try SectionClassifier.train([LabeledText(text: "goal scored", label: "sports"),
                                                 LabeledText(text: "bank profits", label: "business")],
                                                tfidf: .init(minDF: .count(1)), regression: .init(calibrationFolds: 0))
        var sawKey = false
        let v1 = Self.rewritten(try ModelFile.encode(model), version: 1) {
            sawKey = $0.contains(",\"calibrationFolds\":0")
            return $0.replacingOccurrences(of: ",\"calibrationFolds\":0", with: "")
        }
        #expect(sawKey)
        let loaded = try v1.withUnsafeBytes { try ModelFile.decode($0, path: "v1.cdm") }
        #expect(loaded.calibration == nil && loaded.desk == nil && loaded.regression.calibrationFolds == 0)
        #expect(loaded.classify("goal").probabilities == model.classify("goal").probabilities)
    }

    @Test func aBadTemperatureIsRefused() throws {
        let bytes = try ModelFile.encode(try Self.trainWithDesk())
        let edited = Self.rewritten(bytes, version: 2) { json in
            json.replacingOccurrences(of: #""temperature":[0-9.e+-]+"#, with: "\"temperature\":-1", options: .regularExpression)
        }
        #expect(throws: ModelFileError.malformed(path: "t.cdm", reason: "calibration temperature -1.0 is not positive")) {
            _ = try edited.withUnsafeBytes { try ModelFile.decode($0, path: "t.cdm") }
        }
        // The unedited bytes load (the positive control).
        _ = try bytes.withUnsafeBytes { try ModelFile.decode($0, path: "t.cdm") }
    }
}
