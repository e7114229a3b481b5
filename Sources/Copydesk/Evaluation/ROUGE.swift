/// Precision, recall and F1 of one ROUGE measure.
public struct ROUGEScore: Sendable, Equatable, Codable {
    public var precision: Double
    public var recall: Double
    public var f1: Double

    init(overlap: Int, candidate: Int, reference: Int) {
        precision = Double(overlap) / Double(max(candidate, 1))
        recall = Double(overlap) / Double(max(reference, 1))
        f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
    }
}

/// ROUGE-1, ROUGE-2 and ROUGE-L of one candidate against one reference.
public struct ROUGEScores: Sendable, Equatable, Codable {
    public var rouge1: ROUGEScore
    public var rouge2: ROUGEScore
    public var rougeL: ROUGEScore
}

/// ROUGE as computed by Google's `rouge-score` package (Lin, "ROUGE: A Package for Automatic
/// Evaluation of Summaries", 2004), reproduced exactly so figures can be compared:
///
/// - tokens: the text lowercased, every run of characters other than `a-z0-9` a separator; with
///   stemming, tokens longer than 3 characters go through ``PorterStemmer`` (NLTK's variant);
/// - ROUGE-N: clipped n-gram overlap `Σ min(count_ref, count_cand)`, precision over the candidate's
///   n-grams, recall over the reference's, F1 their harmonic mean (0 when both are 0);
/// - ROUGE-L: the longest common subsequence of the two token sequences (rouge-score's `rougeL`,
///   not the summary-level `rougeLsum`); 0 when either side is empty.
///
/// - Complexity: O(n + m) for ROUGE-N, O(n · m) time and O(m) memory for ROUGE-L.
public struct ROUGE: Sendable {
    public var stemming: Bool

    public init(stemming: Bool = true) { self.stemming = stemming }

    /// rouge-score's tokens of `text`.
    public func tokens(_ text: String) -> [String] {
        var out: [String] = []
        var current: [UInt8] = []
        func flush() {
            guard !current.isEmpty else { return }
            let token = String(decoding: current, as: UTF8.self)
            out.append(stemming && current.count > 3 ? PorterStemmer.stem(token) : token)
            current.removeAll(keepingCapacity: true)
        }
        @inline(__always) func take(_ b: UInt8) {
            if (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) { current.append(b) } else { flush() }
        }
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if v < 0x80 {
                take(v >= 0x41 && v <= 0x5A ? UInt8(v) | 0x20 : UInt8(v))
            } else if scalar.properties.changesWhenLowercased {
                // Python's str.lower() can map a non-ASCII letter to ASCII (K, the Kelvin sign → k).
                for b in scalar.properties.lowercaseMapping.utf8 { take(b < 0x80 ? b : 0) }
            } else {
                flush()
            }
        }
        flush()
        return out
    }

    public func score(reference: String, candidate: String) -> ROUGEScores {
        score(referenceTokens: tokens(reference), candidateTokens: tokens(candidate))
    }

    public func score(referenceTokens r: [String], candidateTokens c: [String]) -> ROUGEScores {
        ROUGEScores(rouge1: ngramScore(r, c, n: 1), rouge2: ngramScore(r, c, n: 2), rougeL: lcsScore(r, c))
    }

    func ngramScore(_ r: [String], _ c: [String], n: Int) -> ROUGEScore {
        func counts(_ t: [String]) -> [ArraySlice<String>: Int] {
            var d: [ArraySlice<String>: Int] = [:]
            if t.count >= n { for i in 0...(t.count - n) { d[t[i..<(i + n)], default: 0] += 1 } }
            return d
        }
        let rc = counts(r), cc = counts(c)
        var overlap = 0
        for (gram, k) in rc { overlap += min(k, cc[gram] ?? 0) }
        return ROUGEScore(overlap: overlap, candidate: max(c.count - n + 1, 0), reference: max(r.count - n + 1, 0))
    }

    func lcsScore(_ r: [String], _ c: [String]) -> ROUGEScore {
        guard !r.isEmpty, !c.isEmpty else { return ROUGEScore(overlap: 0, candidate: 1, reference: 1) }
        var previous = [Int](repeating: 0, count: c.count + 1)
        var current = previous
        for i in 1...r.count {
            for j in 1...c.count {
                current[j] = r[i - 1] == c[j - 1] ? previous[j - 1] + 1 : max(previous[j], current[j - 1])
            }
            swap(&previous, &current)
        }
        return ROUGEScore(overlap: previous[c.count], candidate: c.count, reference: r.count)
    }
}
