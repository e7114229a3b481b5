import Testing
@testable import Copydesk

@Suite struct TermTableTests {
    @Test func insertAndLookUpThroughGrowth() {
        var t = TermTable(capacity: 2)
        for i in 0..<5000 { #expect(t.insert("term\(i)") == i) }
        for i in 0..<5000 { #expect(t.id(of: "term\(i)") == i) }
        #expect(t.insert("term17") == 17)
        #expect(t.id(of: "term5000") == nil)
        #expect(t.id(of: "") == nil)
        #expect(t.string(4321) == "term4321")
    }

    @Test func rebuildingReportsDuplicateTerms() {
        #expect(!TermTable(arena: Array("abcd".utf8), ends: [2, 4]).hasDuplicates)
        #expect(TermTable(arena: Array("abab".utf8), ends: [2, 4]).hasDuplicates)
    }

    @Test func rebuiltFromPartsFindsEveryTerm() {
        var t = TermTable()
        for w in ["b", "a", "ü", "a b"] { t.insert(w) }
        let copy = TermTable(arena: t.arena, ends: t.ends)
        for w in ["b", "a", "ü", "a b"] { #expect(copy.id(of: w) == t.id(of: w)) }
    }

    /// An n-gram looked up from its tokens' segment hashes finds the term inserted as joined bytes.
    @Test func nGramKeysMatchJoinedBytes() {
        var t = TermTable()
        let terms = ["new york", "new", "york city hall", "a", "abcdefghijklmnopq rstuvwxyz0123456", "ü b"]
        for w in terms { t.insert(w) }
        for w in terms {
            var bytes = Array(w.utf8)
            let parts = w.split(separator: " ").map { Array($0.utf8) }
            var starts: [Int] = [], ends: [Int] = []
            var h = TermTable.seed, at = 0
            for p in parts {
                starts.append(at)
                ends.append(at + p.count)
                h = TermTable.combine(h, p.withUnsafeBufferPointer { TermTable.segmentHash($0.baseAddress!, p.count) })
                at += p.count + 1
            }
            let key = bytes.withUnsafeMutableBufferPointer { b in
                starts.withUnsafeBufferPointer { s in
                    ends.withUnsafeBufferPointer { e in
                        t.id(of: TermKey(base: UnsafePointer(b.baseAddress!), starts: s.baseAddress!, ends: e.baseAddress!,
                                         count: parts.count, hash: TermTable.finish(h)))
                    }
                }
            }
            #expect(key == t.id(of: w), "\(w)")
            #expect(bytes.withUnsafeBufferPointer { TermTable.hash($0) } == TermTable.finish(h))
        }
        // A prefix of a stored n-gram is not that n-gram.
        #expect(t.id(of: "new yor") == nil && t.id(of: "york city") == nil)
    }

    @Test func radixSortEqualsSort() {
        var g = SplitMix64(seed: 12)
        for (count, bound) in [(10, 100), (65, 1 << 8), (1000, 1 << 12), (3000, 1 << 30), (500, 2)] {
            let values = (0..<count).map { _ in Int32.random(in: 0..<Int32(bound), using: &g) }
            var sorted = values
            TermCounter.sort(&sorted)
            #expect(sorted == values.sorted(), "\(count) values below \(bound)")
        }
    }

    /// The lookup layout finds exactly what the table finds: every term, and nothing for keys that
    /// share a prefix, a segment or a fingerprint-sized hash prefix with a term.
    @Test func vocabularyIndexAgreesWithTheTable() {
        var t = TermTable()
        var g = SplitMix64(seed: 9)
        let words = (0..<3000).map { i in "w\(i)" + String(repeating: "x", count: Int(g.next() % 20)) }
        var terms = words + ["new york", "new", "york city hall", "a", "abcdefghijklmnopq rstuvwxyz0123456", "ü b", "ü"]
        for i in stride(from: 0, to: 2000, by: 3) { terms.append(words[i] + " " + words[i + 1]) }
        for w in terms { t.insert(w) }
        let index = VocabularyIndex(t, idf: (0..<t.count).map { Double($0) + 0.5 })
        let probes = terms + ["new yor", "york city", "new york city", "ü  b", "b", "", "w1", "w1 w2", words[0] + " " + words[2]]
        for w in probes {
            let parts = w.split(separator: " ", omittingEmptySubsequences: false).map { Array($0.utf8) }
            var bytes: [UInt8] = [], starts: [Int] = [], ends: [Int] = []
            var h = TermTable.seed
            for p in parts {
                starts.append(bytes.count)
                bytes += p
                ends.append(bytes.count)
                h = TermTable.combine(h, p.withUnsafeBufferPointer { TermTable.segmentHash($0.baseAddress ?? UnsafePointer(bitPattern: 8)!, p.count) })
            }
            bytes.append(0)
            let (fromIndex, fromTable, idf) = bytes.withUnsafeBufferPointer { b in
                starts.withUnsafeBufferPointer { s in
                    ends.withUnsafeBufferPointer { e in
                        let key = TermKey(base: b.baseAddress!, starts: s.baseAddress!, ends: e.baseAddress!, count: parts.count,
                                          hash: TermTable.finish(h))
                        return (index.id(of: key), t.id(of: key), index.record(of: key).map(index.idf(atRecord:)))
                    }
                }
            }
            #expect(fromIndex == fromTable, "\(w)")
            #expect(idf == fromTable.map { Double($0) + 0.5 }, "\(w)")
            if terms.contains(w) { #expect(fromIndex == t.id(of: w), "\(w)") }
        }
    }

    /// A table rebuilt from stored parts (filled in slot order) finds every term by its id and
    /// flags a repeated term.
    @Test func rebuiltTablesFindEveryTermAndFlagRepeats() {
        var t = TermTable()
        for i in 0..<5000 { t.insert("term\(i * 7919 % 100_003)") }
        let rebuilt = TermTable(arena: t.arena, ends: t.ends)
        #expect(!rebuilt.hasDuplicates)
        for id in 0..<t.count { #expect(rebuilt.id(of: t.string(id)) == id) }
        #expect(rebuilt.id(of: "term") == nil)
        // The same bytes twice: "abc" "xyz" "abc".
        let repeated = TermTable(arena: Array("abcxyzabc".utf8), ends: [3, 6, 9])
        #expect(repeated.hasDuplicates)
    }
}
