import Foundation

/// The `.cdm` model file: data only, little-endian, versioned and checksummed. See `docs/model-format.md`.
///
///     offset  size        field
///     0       8           signature "CDSKMODL"
///     8       4           format version (UInt32), currently 2 (1 is still read)
///     12      4           header length H (UInt32)
///     16      H           header: JSON, UTF-8, keys sorted (settings, sections, counts, training report)
///     …       0-7         zero padding to a multiple of 8
///     …       8·V         vocabulary term ends (UInt64, cumulative byte offsets)
///     …       B (+pad)    vocabulary bytes (UTF-8 terms back to back), zero padding to a multiple of 8
///     …       8·V         idf (Float64)
///     …       8·V·K       coefficients, feature-major (Float64)
///     …       8·K         intercepts (Float64)
///     end−8   8           checksum (UInt64) of every byte before it, see ``ModelFile/checksum(_:)``
public enum ModelFile {
    public static let signature = Array("CDSKMODL".utf8)
    /// Version 2 added the calibration and the desk profiles to the header; version 1 files still load.
    public static let version: UInt32 = 2
    public static let readableVersions: ClosedRange<UInt32> = 1...2

    /// The JSON header.
    struct Header: Codable {
        var format: String
        var sections: [String]
        var vocabularySize: Int
        var vocabularyBytes: Int
        var tfidf: TFIDFConfiguration
        var regression: LogisticRegressionConfiguration
        var training: TrainingReport
        var calibration: Calibration?
        var desk: ModelDesk?
    }

    // MARK: - Writing

    /// The file's bytes for `model`.
    public static func encode(_ model: SectionClassifier) throws -> [UInt8] {
        let vocabulary = model.vectorizer.vocabulary
        let header = Header(format: "copydesk-section-classifier", sections: model.sections,
                            vocabularySize: vocabulary.count, vocabularyBytes: vocabulary.arena.count,
                            tfidf: model.vectorizer.configuration, regression: model.regression,
                            training: model.report, calibration: model.calibration, desk: model.desk)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = try encoder.encode(header)
        var out: [UInt8] = []
        out.reserveCapacity(64 + json.count + vocabulary.arena.count
                            + 8 * (2 * vocabulary.count + model.weights.count + model.intercepts.count))
        out += signature
        append(version, to: &out)
        append(UInt32(json.count), to: &out)
        out += json
        pad(&out)
        appendLittleEndian(vocabulary.ends.map { UInt64($0) }, to: &out)
        out += vocabulary.arena
        pad(&out)
        appendLittleEndian(model.vectorizer.idf, to: &out)
        model.withCoefficients { appendLittleEndian($0, to: &out) }
        appendLittleEndian(model.intercepts, to: &out)
        append(checksum(out[...]), to: &out)
        return out
    }

    /// Writes `model` to `path` atomically: a temporary file in the same folder, flushed, then renamed
    /// over the target, so readers see the old file or the new one, never a part.
    public static func write(_ model: SectionClassifier, to path: String) throws {
        let bytes = try encode(model)
        try AtomicFile.write(bytes, to: path)
    }

    // MARK: - Reading

    /// Reads and checks the model file at `path`. The file is mapped, not copied: the weights are
    /// used from the mapping once checked (see `MappedFile`).
    public static func read(from path: String) throws -> SectionClassifier {
        let file = try MappedFile(path: path)
        return try decode(file.bytes, path: path, mapped: file)
    }

    /// Parses and checks a model file's bytes; `path` is used in error messages only.
    public static func decode(_ bytes: UnsafeRawBufferPointer, path: String) throws -> SectionClassifier {
        try decode(bytes, path: path, mapped: nil)
    }

    /// ``decode(_:path:)``; when `mapped` holds `bytes`, the weights stay in it instead of being copied.
    static func decode(_ bytes: UnsafeRawBufferPointer, path: String, mapped: MappedFile?) throws -> SectionClassifier {
        var reader = ByteReader(bytes: bytes, path: path)
        guard bytes.count >= 8, Array(bytes[0..<8]) == signature else { throw ModelFileError.notAModel(path: path) }
        reader.offset = 8
        guard bytes.count >= 16 else { throw ModelFileError.truncated(path: path, expectedBytes: 16, actualBytes: bytes.count) }
        let found = try reader.uint32()
        guard readableVersions.contains(found) else {
            throw ModelFileError.unsupportedVersion(path: path, found: found, supported: version)
        }
        let headerLength = Int(try reader.uint32())
        let headerBytes = try reader.bytes(headerLength)
        let header: Header
        do {
            header = try JSONDecoder().decode(Header.self, from: Data(headerBytes))
        } catch {
            // A cut inside the header reads as malformed JSON; report the truncation when that is the cause.
            try checkChecksum(bytes, path: path)
            throw ModelFileError.malformed(path: path, reason: "header is not valid JSON")
        }
        let v = header.vocabularySize, k = header.sections.count
        // Training sorts the sections; output that lists them by name relies on it.
        guard zip(header.sections, header.sections.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw ModelFileError.malformed(path: path, reason: "sections not sorted by name or repeated")
        }
        guard v >= 1, k >= 2, header.vocabularyBytes >= v, v <= Int(Int32.max),
              v.multipliedReportingOverflow(by: k).overflow == false,
              header.training.features == v else {
            throw ModelFileError.malformed(path: path, reason: "inconsistent sizes in header")
        }
        let expected = padded(16 + headerLength) + 8 * v + padded(header.vocabularyBytes) + 8 * (v + v * k + k) + 8
        guard bytes.count >= expected else {
            throw ModelFileError.truncated(path: path, expectedBytes: expected, actualBytes: bytes.count)
        }
        guard bytes.count == expected else {
            throw ModelFileError.malformed(path: path, reason: "\(bytes.count - expected) unexpected bytes after the model")
        }
        // Two tasks on two threads: the checksum with the weights, and the vocabulary's parts
        // (offsets, bytes, idf). Both only read bounds-checked slices, so they are safe on any
        // bytes; a checksum mismatch is reported first, as when the checksum was checked before.
        // Then the term table and lookup index, on both threads too (``LoadedVocabulary``).
        let vocabularyStart = padded(16 + headerLength)
        let idfStart = padded(vocabularyStart + 8 * v + header.vocabularyBytes)
        let file = UncheckedRawBuffer(bytes: bytes)
        let weights = PartResults<Result<(coefficients: CoefficientMatrix, intercepts: [Double]), any Error>>(count: 1)
        let vocabularyPart = PartResults<Result<(arena: [UInt8], ends: [Int], idf: [Double]), any Error>>(count: 1)
        let decodeTask: @Sendable (Int) -> Void = { task in
            if task == 0 {
                weights.set(0, Result {
                    let weightsStart = idfStart + 8 * v  // a multiple of 8
                    let finite = try checkChecksum(file.bytes, path: path, finiteWords: weightsStart / 8..<(weightsStart / 8 + v * k))
                    return try decodeWeights(file.bytes, path: path, mapped: mapped, at: weightsStart, terms: v, sections: k,
                                             finite: finite)
                })
            } else {
                vocabularyPart.set(0, Result {
                    try decodeVocabulary(file.bytes, path: path, terms: v, termBytes: header.vocabularyBytes,
                                         at: vocabularyStart, idfAt: idfStart)
                })
            }
        }
        // Small models (tests, the shipped newsroom model) decode faster on one thread.
        let threads = bytes.count >= 1 << 20 ? 2 : 1
        if threads == 2 {
            DispatchQueue.concurrentPerform(iterations: 2, execute: decodeTask)
        } else {
            decodeTask(0)
            decodeTask(1)
        }
        let (coefficients, intercepts) = try weights.values[0].get()
        let (arena, ends, idf) = try vocabularyPart.values[0].get()
        guard let (vocabulary, index) = LoadedVocabulary.build(arena: arena, ends: ends, idf: idf, threads: threads) else {
            throw ModelFileError.malformed(path: path, reason: "vocabulary terms repeated or out of byte order")
        }
        let vectorizer = TFIDFVectorizer(configuration: header.tfidf, vocabulary: vocabulary, idf: idf, index: index)
        if let t = header.calibration?.temperature, !(t.isFinite && t > 0) {
            throw ModelFileError.malformed(path: path, reason: "calibration temperature \(t) is not positive")
        }
        if let map = header.calibration?.topMap {
            let ordered = zip(map.x, map.x.dropFirst()).allSatisfy { $0 <= $1 } && zip(map.y, map.y.dropFirst()).allSatisfy { $0 <= $1 }
            guard map.x.count == map.y.count, map.x.count >= 2, ordered,
                  (map.x + map.y).allSatisfy({ $0.isFinite && $0 >= 0 && $0 <= 1 }) else {
                throw ModelFileError.malformed(path: path, reason: "calibration map is not a non-decreasing map of probabilities")
            }
        }
        let model = SectionClassifier(vectorizer: vectorizer, regression: header.regression, sections: header.sections,
                                      coefficients: coefficients, intercepts: intercepts, report: header.training,
                                      calibration: header.calibration, desk: header.desk)
        // A model that learnt place words reads texts through its first desk until told otherwise.
        return model.using(desk: header.desk?.profiles.first)
    }

    /// The `terms × sections` weights at `offset` (a view of the file's mapping when it has one)
    /// and the intercepts after them; `finite` says whether the weights were all found finite (in
    /// the checksum's pass), the intercepts are checked here.
    private static func decodeWeights(_ bytes: UnsafeRawBufferPointer, path: String, mapped: MappedFile?, at offset: Int,
                                      terms v: Int, sections k: Int, finite: Bool) throws -> (CoefficientMatrix, [Double]) {
        var reader = ByteReader(bytes: bytes, path: path, offset: offset)
        let coefficients: CoefficientMatrix
        if let mapped, let view = CoefficientMatrix(file: mapped, byteOffset: offset, count: v * k) {
            _ = try reader.bytes(8 * v * k)
            coefficients = view
        } else {
            coefficients = CoefficientMatrix(try reader.doubles(v * k))
        }
        let intercepts = try reader.doubles(k)
        guard finite, intercepts.allSatisfy(\.isFinite) else {
            throw ModelFileError.malformed(path: path, reason: "non-finite weights")
        }
        return (coefficients, intercepts)
    }

    /// The vocabulary's parts: each term's end offset (strictly increasing, the last one
    /// `termBytes`), the terms' bytes after them, and the idf at `idfOffset` (positive and finite).
    private static func decodeVocabulary(_ bytes: UnsafeRawBufferPointer, path: String, terms v: Int, termBytes: Int,
                                         at offset: Int, idfAt idfOffset: Int) throws -> (arena: [UInt8], ends: [Int], idf: [Double]) {
        var reader = ByteReader(bytes: bytes, path: path, offset: offset)
        let stored = try reader.bytes(8 * v)
        var increasing = true
        let ends = [Int](unsafeUninitializedCapacity: v) { out, count in
            var previous = 0
            for i in 0..<v {
                let e = Int(truncatingIfNeeded: UInt64(littleEndian: bytes.loadUnaligned(
                    fromByteOffset: stored.startIndex + 8 * i, as: UInt64.self)))
                increasing = increasing && e > previous
                out[i] = e
                previous = e
            }
            count = v
        }
        guard increasing, ends[v - 1] <= termBytes else {
            throw ModelFileError.malformed(path: path, reason: "vocabulary offsets out of order")
        }
        guard ends[v - 1] == termBytes else {
            throw ModelFileError.malformed(path: path, reason: "vocabulary length disagrees with header")
        }
        let arena = Array(try reader.bytes(termBytes))
        reader.offset = idfOffset
        let idf = try reader.doubles(v)
        guard idf.allSatisfy({ $0.isFinite && $0 > 0 }) else {
            throw ModelFileError.malformed(path: path, reason: "an idf that is not positive and finite")
        }
        return (arena, ends, idf)
    }

    /// Checks the stored checksum; returns whether the Float64 values in the 8-byte words
    /// `finiteWords` (word indices from the file's start) are all finite, found in the same pass.
    @discardableResult
    private static func checkChecksum(_ bytes: UnsafeRawBufferPointer, path: String, finiteWords: Range<Int> = 0..<0) throws -> Bool {
        guard bytes.count >= 24 else {
            throw ModelFileError.truncated(path: path, expectedBytes: 24, actualBytes: bytes.count)
        }
        let body = UnsafeRawBufferPointer(rebasing: bytes[0..<(bytes.count - 8)])
        var stored: UInt64 = 0
        for i in 0..<8 { stored |= UInt64(bytes[bytes.count - 8 + i]) << (8 * UInt64(i)) }
        let (sum, finite) = checksum(body, checkingFinite: finiteWords)
        guard sum == stored else { throw ModelFileError.checksumMismatch(path: path) }
        return finite
    }

    // MARK: - Checksum

    /// A 64-bit checksum over 8-byte little-endian words (the tail zero-padded), four independent
    /// multiply-rotate lanes combined at the end. Detects truncation, bit flips and splices; it is
    /// not a cryptographic signature.
    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        checksum(bytes, checkingFinite: 0..<0).sum
    }

    /// ``checksum(_:)`` of `bytes`, and whether the Float64 values in the 8-byte words `finite` (word
    /// indices) are all finite: the weights are checked in the checksum's own pass over the file
    /// instead of a second one (the checksum's multiply chains leave the processor room for it).
    static func checksum(_ bytes: UnsafeRawBufferPointer, checkingFinite finite: Range<Int>) -> (sum: UInt64, finite: Bool) {
        let p1: UInt64 = 0x9E37_79B1_85EB_CA87, p2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
        var lanes: (UInt64, UInt64, UInt64, UInt64) = (p1, p2, p1 ^ p2, p1 &* p2)
        @inline(__always) func mix(_ h: UInt64, _ w: UInt64) -> UInt64 {
            let x = (h ^ (w &* p2))
            return ((x << 31) | (x >> 33)) &* p1
        }
        // 1 when every exponent bit is set (an infinity or a NaN).
        @inline(__always) func nonFinite(_ w: UInt64) -> UInt64 {
            (w & 0x7FF0_0000_0000_0000) == 0x7FF0_0000_0000_0000 ? 1 : 0
        }
        @inline(__always) func word(_ i: Int) -> UInt64 { bytes.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self).littleEndian }
        var bad: UInt64 = 0
        let words = bytes.count / 8
        var i = 0
        while i + 4 <= words {
            let (w0, w1, w2, w3) = (word(i), word(i + 1), word(i + 2), word(i + 3))
            lanes.0 = mix(lanes.0, w0)
            lanes.1 = mix(lanes.1, w1)
            lanes.2 = mix(lanes.2, w2)
            lanes.3 = mix(lanes.3, w3)
            if i >= finite.lowerBound && i + 4 <= finite.upperBound {
                bad |= nonFinite(w0) | nonFinite(w1) | nonFinite(w2) | nonFinite(w3)
            } else if i + 4 > finite.lowerBound && i < finite.upperBound {
                for (k, w) in [w0, w1, w2, w3].enumerated() where finite.contains(i + k) { bad |= nonFinite(w) }
            }
            i += 4
        }
        var h = mix(mix(mix(lanes.0, lanes.1), lanes.2), lanes.3)
        while i < words {
            let w = word(i)
            h = mix(h, w)
            if finite.contains(i) { bad |= nonFinite(w) }
            i += 1
        }
        var tail: UInt64 = 0
        for (k, b) in bytes[(8 * words)...].enumerated() { tail |= UInt64(b) << (8 * UInt64(k)) }
        h = mix(mix(h, tail), UInt64(bytes.count))
        h ^= h >> 29
        return (h &* p2 ^ (h >> 32), bad == 0)
    }

    static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.withUnsafeBytes { checksum($0) }
    }

    // MARK: - Helpers

    static func padded(_ n: Int) -> Int { (n + 7) & ~7 }

    private static func pad(_ out: inout [UInt8]) {
        while out.count % 8 != 0 { out.append(0) }
    }

    /// The words' little-endian bytes, copied whole on a little-endian machine.
    private static func appendLittleEndian(_ words: [UInt64], to out: inout [UInt8]) {
        #if _endian(little)
        words.withUnsafeBytes { out += $0 }
        #else
        for w in words { append(w, to: &out) }
        #endif
    }

    /// IEEE 754 doubles as little-endian 64-bit words, copied whole on a little-endian machine.
    private static func appendLittleEndian(_ values: [Double], to out: inout [UInt8]) {
        values.withUnsafeBufferPointer { appendLittleEndian($0, to: &out) }
    }

    private static func appendLittleEndian(_ values: UnsafeBufferPointer<Double>, to out: inout [UInt8]) {
        #if _endian(little)
        out += UnsafeRawBufferPointer(values)
        #else
        for v in values { append(v.bitPattern, to: &out) }
        #endif
    }

    private static func append<T: FixedWidthInteger>(_ v: T, to out: inout [UInt8]) {
        withUnsafeBytes(of: v.littleEndian) { out += $0 }
    }
}

/// The mapped file, shared by the two decoding tasks (read only).
private struct UncheckedRawBuffer: @unchecked Sendable {
    let bytes: UnsafeRawBufferPointer
}

/// Bounds-checked little-endian reads.
private struct ByteReader {
    let bytes: UnsafeRawBufferPointer
    let path: String
    var offset = 0

    mutating func bytes(_ n: Int) throws -> UnsafeRawBufferPointer.SubSequence {
        guard n >= 0, offset + n <= bytes.count else {
            throw ModelFileError.truncated(path: path, expectedBytes: offset + max(n, 0), actualBytes: bytes.count)
        }
        defer { offset += n }
        return bytes[offset..<(offset + n)]
    }

    mutating func uint32() throws -> UInt32 {
        let b = try bytes(4)
        return UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: b.startIndex, as: UInt32.self))
    }

    mutating func uint64() throws -> UInt64 {
        let b = try bytes(8)
        return UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: b.startIndex, as: UInt64.self))
    }

    mutating func doubles(_ n: Int) throws -> [Double] {
        let b = try bytes(8 * n)
        return [Double](unsafeUninitializedCapacity: n) { buffer, count in
            for i in 0..<n {
                let bits = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: b.startIndex + 8 * i, as: UInt64.self))
                buffer[i] = Double(bitPattern: bits)
            }
            count = n
        }
    }
}
