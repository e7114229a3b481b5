import Foundation
import Testing
@testable import Copydesk

@Suite struct ROUGETests {
    struct Pair: Decodable {
        var reference: String
        var candidate: String
        var stemmed: [String: [Double]]
        var unstemmed: [String: [Double]]
    }
    struct Fixture: Decodable { var pairs: [Pair] }

    @Test func porterMatchesNLTKOnEveryFixtureWord() throws {
        let data = try Data(contentsOf: TestPaths.fixtures.appendingPathComponent("porter_reference.json"))
        let stems = try JSONDecoder().decode([String: String].self, from: data)
        #expect(stems.count > 4000)
        var mismatches: [String] = []
        for (word, stem) in stems where PorterStemmer.stem(word) != stem {
            mismatches.append("\(word): \(PorterStemmer.stem(word)) ≠ \(stem)")
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(20))")
    }

    @Test func scoresMatchRougeScoreToOneInAMillion() throws {
        let data = try Data(contentsOf: TestPaths.fixtures.appendingPathComponent("rouge_reference.json"))
        let fixture = try JSONDecoder().decode(Fixture.self, from: data)
        #expect(fixture.pairs.count >= 20)
        for (stemming, key) in [(true, \Pair.stemmed), (false, \Pair.unstemmed)] {
            let rouge = ROUGE(stemming: stemming)
            for (i, pair) in fixture.pairs.enumerated() {
                let s = rouge.score(reference: pair.reference, candidate: pair.candidate)
                let expected = pair[keyPath: key]
                for (name, got) in [("rouge1", s.rouge1), ("rouge2", s.rouge2), ("rougeL", s.rougeL)] {
                    let e = try #require(expected[name])
                    #expect(abs(got.precision - e[0]) <= 1e-6 && abs(got.recall - e[1]) <= 1e-6 && abs(got.f1 - e[2]) <= 1e-6,
                            "pair \(i) \(name) stemming \(stemming): \(got) vs \(e)")
                }
            }
        }
    }

    @Test func handComputedExample() {
        // reference tokens: the cat sat on the mat (6); candidate: the cat lay on the mat (6)
        let s = ROUGE(stemming: false).score(reference: "The cat sat on the mat.", candidate: "the cat lay on the mat")
        #expect(isClose(s.rouge1.f1, 5.0 / 6.0))
        #expect(isClose(s.rouge2.precision, 3.0 / 5.0))  // the cat, on the, the mat
        #expect(isClose(s.rougeL.recall, 5.0 / 6.0))
    }

    @Test func longPathologicalTokensAreLinear() {
        let y = String(repeating: "y", count: 200_000)
        #expect(PorterStemmer.stem(y).count >= 199_999)
    }
}
