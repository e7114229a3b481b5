import Foundation
@testable import Copydesk

/// Paths and helpers shared by the tests.
enum TestPaths {
    /// The package root, found from this file's location.
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = packageRoot.appendingPathComponent("Tests/CopydeskTests/Fixtures")
    /// ../shared/corpora beside the checkout (research data, never in the repo).
    static let sharedCorpora = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/corpora")
    static var hasSharedCorpora: Bool {
        FileManager.default.fileExists(atPath: sharedCorpora.appendingPathComponent("bbc/train.jsonl").path)
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("copydesk-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// Writes `data` to `name` in `dir` and returns its path.
func write(_ data: Data, _ name: String, in dir: URL) throws -> String {
    let path = dir.appendingPathComponent(name).path
    try data.write(to: URL(fileURLWithPath: path))
    return path
}

func write(_ text: String, _ name: String, in dir: URL) throws -> String {
    try write(Data(text.utf8), name, in: dir)
}

/// The scikit-learn reference values (Tests/Fixtures/make_fixtures.py).
struct SklearnReference: Decodable {
    struct Document: Decodable { var label: String; var text: String }
    struct TFIDFCase: Decodable {
        var name: String
        var vocabulary: [String]
        var idf: [Double]
        var matrix: [[Double]]
    }
    struct LRCase: Decodable {
        var name: String
        var class_weight: String?
        var documents: Int
        var C: Double
        var vocabulary: [String]
        var classes: [String]
        var coef: [[Double]]
        var intercept: [Double]
        var probabilities_first_doc: [Double]
    }
    var documents: [Document]
    var tfidf: [TFIDFCase]
    var logistic_regression: [LRCase]

    static func load() throws -> SklearnReference {
        let data = try Data(contentsOf: TestPaths.fixtures.appendingPathComponent("sklearn_reference.json"))
        return try JSONDecoder().decode(SklearnReference.self, from: data)
    }
}

func isClose(_ a: Double, _ b: Double, absolute: Double = 1e-9, relative: Double = 1e-9) -> Bool {
    abs(a - b) <= max(absolute, relative * max(abs(a), abs(b)))
}

/// A seeded random CSR matrix for property tests.
func randomCSR(rows: Int, columns: Int, density: Double, seed: UInt64) -> CSRMatrix {
    var g = SplitMix64(seed: seed)
    var offsets = [0], indices: [Int32] = [], values: [Double] = []
    for _ in 0..<rows {
        for c in 0..<columns where Double.random(in: 0..<1, using: &g) < density {
            indices.append(Int32(c))
            values.append(Double.random(in: -1...1, using: &g))
        }
        offsets.append(indices.count)
    }
    return CSRMatrix(rows: rows, columns: columns, rowOffsets: offsets, columnIndices: indices, values: values)
}

/// Peak resident memory in KiB of `copydesk arguments…` (output discarded), by GNU time, with the
/// exit status it ended with.
func peakResidentKiB(_ arguments: [String], scratch: URL) throws -> (kib: Int, status: Int32) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/time")
    let report = scratch.appendingPathComponent("time-\(UUID().uuidString).txt").path
    p.arguments = ["-f", "%M", "-o", report, CLI.binary] + arguments
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    try p.run()
    p.waitUntilExit()
    let kib = Int(try String(contentsOfFile: report, encoding: .utf8).split(whereSeparator: \.isWhitespace).last ?? "") ?? .max
    return (kib, p.terminationStatus)
}
