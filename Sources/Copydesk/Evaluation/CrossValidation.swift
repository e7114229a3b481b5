/// SplitMix64: a small, fast, seeded generator (Steele, Lea & Flood, OOPSLA 2014), so that folds and
/// shuffles are the same on every machine for the same seed.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Stratified K-fold assignment: each section's articles are shuffled with the seed and dealt to
/// folds in turn, so every fold holds each section in proportion (± 1 article).
public enum StratifiedFolds {
    /// The fold (0..<k) of each article, in input order.
    public static func assign(labels: [String], folds k: Int, seed: UInt64) -> [Int] {
        precondition(k >= 2, "need at least 2 folds")
        var generator = SplitMix64(seed: seed)
        var bySection: [String: [Int]] = [:]
        for (i, l) in labels.enumerated() { bySection[l, default: []].append(i) }
        var fold = [Int](repeating: 0, count: labels.count)
        var offset = 0
        for section in bySection.keys.sorted() {
            var members = bySection[section] ?? []
            members.shuffle(using: &generator)
            for (j, i) in members.enumerated() { fold[i] = (j + offset) % k }
            // Continue dealing where the previous section stopped, so small sections do not all
            // land in fold 0.
            offset = (offset + members.count) % k
        }
        return fold
    }
}

/// A stratified hold-out split: from each section, `round(fraction · n)` articles (at least one when
/// the section has two or more) chosen with the seed are held out.
public enum StratifiedHoldout {
    /// `true` for the articles held out, in input order.
    public static func select(labels: [String], fraction: Double, seed: UInt64) -> [Bool] {
        precondition(fraction > 0 && fraction < 1, "fraction must be in (0, 1)")
        var generator = SplitMix64(seed: seed)
        var bySection: [String: [Int]] = [:]
        for (i, l) in labels.enumerated() { bySection[l, default: []].append(i) }
        var held = [Bool](repeating: false, count: labels.count)
        for section in bySection.keys.sorted() {
            var members = bySection[section] ?? []
            guard members.count >= 2 else { continue }
            members.shuffle(using: &generator)
            let k = min(members.count - 1, max(1, Int((fraction * Double(members.count)).rounded())))
            for i in members.prefix(k) { held[i] = true }
        }
        return held
    }
}

/// Mean and sample standard deviation.
public struct MeanAndDeviation: Sendable, Codable, Equatable {
    public var mean: Double
    public var standardDeviation: Double

    public init(_ values: [Double]) {
        let n = Double(values.count)
        mean = values.reduce(0, +) / max(n, 1)
        let m = mean
        standardDeviation = values.count > 1
            ? (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / (n - 1)).squareRoot() : 0
    }
}
