import Foundation
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

    /// A model file's vocabulary must be in strictly increasing byte order: a repeated or misplaced
    /// term is refused.
    @Test func loadingRefusesRepeatedOrUnsortedTerms() {
        let idf = [1.0, 1.0, 1.0]
        #expect(LoadedVocabulary.build(arena: Array("aabab".utf8), ends: [1, 3, 5], idf: idf, threads: 1) == nil)
        #expect(LoadedVocabulary.build(arena: Array("abcab".utf8), ends: [2, 3, 5], idf: idf, threads: 1) == nil)
        #expect(LoadedVocabulary.build(arena: Array("aaba".utf8), ends: [1, 2, 4], idf: idf, threads: 1) == nil)
        #expect(LoadedVocabulary.build(arena: Array("aabb".utf8), ends: [1, 3, 4], idf: idf, threads: 1) != nil)
        let empty = LoadedVocabulary.build(arena: [], ends: [], idf: [], threads: 2)
        #expect(empty?.table.count == 0 && empty?.table.id(of: "a") == nil)
        #expect(empty.map { TermTableTests.lookUp("a", in: $0.index) } == .some(nil))
    }

    /// A loaded table makes its slots on first use: lookups from many threads at once agree, and
    /// a copy that grows by insertion keeps every term (the loaded one is unchanged).
    @Test func loadedTableLooksUpFromThreadsAndGrows() throws {
        let terms = ["a", "a b", "b", "ü"]
        var t = TermTable()
        for w in terms { t.insert(w) }
        let loaded = try #require(LoadedVocabulary.build(arena: t.arena, ends: t.ends, idf: [1, 2, 3, 4], threads: 1)).table
        let found = PartResults<[Int?]>(count: 8)
        DispatchQueue.concurrentPerform(iterations: 8) { i in found.set(i, (terms + ["c"]).map { loaded.id(of: $0) }) }
        for ids in found.values { #expect(ids == [0, 1, 2, 3, nil]) }
        var grown = loaded
        for i in 0..<100 { #expect(grown.insert("new\(i)") == 4 + i) }
        for (id, w) in terms.enumerated() { #expect(grown.id(of: w) == id) }
        #expect(grown.id(of: "new99") == 103)
        #expect(loaded.id(of: "new0") == nil && loaded.count == 4)
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
            var h = TermHash.seed, at = 0
            for p in parts {
                starts.append(at)
                ends.append(at + p.count)
                h = TermHash.combine(h, p.withUnsafeBufferPointer { TermHash.segmentHash($0.baseAddress!, p.count) })
                at += p.count + 1
            }
            let key = bytes.withUnsafeMutableBufferPointer { b in
                starts.withUnsafeBufferPointer { s in
                    ends.withUnsafeBufferPointer { e in
                        t.id(of: TermKey(base: UnsafePointer(b.baseAddress!), starts: s.baseAddress!, ends: e.baseAddress!,
                                         count: parts.count, hash: TermHash.finish(h)))
                    }
                }
            }
            #expect(key == t.id(of: w), "\(w)")
            #expect(bytes.withUnsafeBufferPointer { TermHash.hash($0) } == TermHash.finish(h))
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
            let (fromIndex, fromTable, idf) = TermTableTests.withKey(w) { key in
                (index.id(of: key), t.id(of: key), index.record(of: key).map(index.idf(atRecord:)))
            }
            #expect(fromIndex == fromTable, "\(w)")
            #expect(idf == fromTable.map { Double($0) + 0.5 }, "\(w)")
            if terms.contains(w) { #expect(fromIndex == t.id(of: w), "\(w)") }
        }
    }

    /// A large vocabulary loaded on two threads gives the table and index that inserting its terms
    /// one by one gives: the same id for every term, the same idf, nothing for absent keys.
    @Test func loadedVocabularyAgreesWithInsertedTerms() {
        var unsorted = TermTable()
        for i in 0..<100_000 { unsorted.insert("term\(i * 7919 % 100_003)" + (i % 3 == 0 ? " x\(i % 11)" : "")) }
        var ids = Array(0..<unsorted.count)
        unsorted.sortByBytes(&ids)
        var t = TermTable()
        for id in ids { t.insert(unsorted.string(id)) }
        let idf = (0..<t.count).map { 1 + Double($0) / 7 }
        guard let loaded = LoadedVocabulary.build(arena: t.arena, ends: t.ends, idf: idf, threads: 2) else {
            Issue.record("sorted terms refused")
            return
        }
        let index = VocabularyIndex(t, idf: idf)
        #expect(loaded.table.count == t.count)
        #expect(loaded.table.hashes == t.hashes)
        for id in stride(from: 0, to: t.count, by: 1) {
            let w = t.string(id)
            #expect(loaded.table.id(of: w) == id)
            #expect(TermTableTests.lookUp(w, in: loaded.index) == id, "\(w)")
            #expect(TermTableTests.lookUp(w, in: index) == id, "\(w)")
        }
        for w in ["term", "term1 x", "x1", "term3 x0 x1", ""] {
            #expect(loaded.table.id(of: w) == nil)
            #expect(TermTableTests.lookUp(w, in: loaded.index) == nil)
        }
        #expect(loaded.index.byteCount == index.byteCount)
    }

    /// The id the index finds for `term`.
    static func lookUp(_ term: String, in index: VocabularyIndex) -> Int? { withKey(term) { index.id(of: $0) } }

    /// `body` with the n-gram key of `term`, split on spaces into segments as a text's n-grams are.
    static func withKey<R>(_ term: String, _ body: (TermKey) -> R) -> R {
        let parts = term.split(separator: " ", omittingEmptySubsequences: false).map { Array($0.utf8) }
        var bytes: [UInt8] = [], starts: [Int] = [], ends: [Int] = []
        var h = TermHash.seed
        for p in parts {
            starts.append(bytes.count)
            bytes += p
            ends.append(bytes.count)
            h = TermHash.combine(h, p.withUnsafeBufferPointer { TermHash.segmentHash($0.baseAddress ?? UnsafePointer(bitPattern: 8)!, p.count) })
        }
        bytes.append(0)
        return bytes.withUnsafeBufferPointer { b in
            starts.withUnsafeBufferPointer { s in
                ends.withUnsafeBufferPointer { e in
                    body(TermKey(base: b.baseAddress!, starts: s.baseAddress!, ends: e.baseAddress!, count: parts.count,
                                 hash: TermHash.finish(h)))
                }
            }
        }
    }

    /// The load's word-at-a-time paths give what the byte loops give: a term's hash over its
    /// space-separated segments, and the byte order of two terms, for keys with spaces anywhere,
    /// bytes that sit next to a space's value ('!', 0x1F) and shared prefixes of every length.
    @Test func wordAtATimeHashAndOrderEqualTheByteLoops() {
        var g = SplitMix64(seed: 11)
        let alphabet: [UInt8] = [0x20, 0x21, 0x1F, 0x00, 0xFF, 0x61, 0x62, 0xA0]
        for _ in 0..<3000 {
            let n = Int(g.next() % 33), m = Int(g.next() % 33)
            let x = (0..<n).map { _ in alphabet[Int(g.next() % 8)] }
            // y shares a prefix with x half of the time.
            var y = (0..<m).map { _ in alphabet[Int(g.next() % 8)] }
            if g.next() % 2 == 0 { for i in 0..<min(n, m, Int(g.next() % 33)) { y[i] = x[i] } }
            let arena = x + y + [UInt8](repeating: 0x20, count: 8)
            arena.withUnsafeBufferPointer { a in
                let xs = UnsafeBufferPointer(start: a.baseAddress!, count: n)
                let ys = UnsafeBufferPointer(start: a.baseAddress! + n, count: m)
                #expect(TermHash.hash(xs, padded: true) == TermHash.hash(xs, padded: false), "\(x)")
                #expect(TermHash.hash(ys, padded: true) == TermHash.hash(ys, padded: false), "\(y)")
                let fast = LoadedVocabulary.precedes(xs.baseAddress!, n, ys.baseAddress!, m, padded: true)
                #expect(fast == LoadedVocabulary.precedes(xs.baseAddress!, n, ys.baseAddress!, m), "\(x) \(y)")
                #expect(fast == x.lexicographicallyPrecedes(y), "\(x) \(y)")
            }
        }
    }

    /// Comparing as words when 8 bytes can be read past the end gives the byte loop's answer, with
    /// a difference at any position of any length, before and after the compared bytes.
    @Test func paddedComparisonEqualsTheByteLoop() {
        var g = SplitMix64(seed: 13)
        for n in 0...40 {
            for at in -1...(n + 1) {
                let a = (0..<(n + 16)).map { _ in UInt8(truncatingIfNeeded: g.next()) }
                var b = a
                if at >= 0 && at < b.count { b[at] ^= UInt8(1 + g.next() % 255) }
                a.withUnsafeBufferPointer { x in
                    b.withUnsafeBufferPointer { y in
                        let slow = TermTable.bytesEqual(x.baseAddress!, y.baseAddress!, n)
                        #expect(TermTable.bytesEqual(x.baseAddress!, y.baseAddress!, n, padded: true) == slow, "n \(n), difference at \(at)")
                        #expect(slow == !(at >= 0 && at < n))
                    }
                }
            }
        }
    }
}
