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
}
