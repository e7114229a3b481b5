import Testing
@testable import Copydesk

@Suite struct CSRMatrixTests {
    @Test(arguments: [1, 2])
    func multiplyMatchesDenseLoop(threads: Int) {
        let x = randomCSR(rows: 200, columns: 37, density: 0.1, seed: 42)
        let k = 5
        var g = SplitMix64(seed: 1)
        let w = (0..<(37 * k)).map { _ in Double.random(in: -1...1, using: &g) }
        var y = [Double](repeating: .nan, count: 200 * k)
        x.multiply(w, k: k, into: &y, threads: threads)
        let expected = ReferenceLinearAlgebra.matmul(x.dense(), w, m: 200, n: k, k: 37)
        for i in y.indices { #expect(isClose(y[i], expected[i], absolute: 1e-12)) }
    }

    @Test func transposeProductIsXtG() {
        let x = randomCSR(rows: 90, columns: 17, density: 0.2, seed: 7)
        let k = 3
        var g = SplitMix64(seed: 2)
        let grad = (0..<(90 * k)).map { _ in Double.random(in: -1...1, using: &g) }
        var out = [Double](repeating: 0, count: 17 * k)
        x.transposed().multiply(grad, k: k, into: &out, threads: 2)
        // Xᵀ·G by the dense definition.
        let d = x.dense()
        for j in 0..<17 { for c in 0..<k {
            var s = 0.0
            for i in 0..<90 { s += d[i * 17 + j] * grad[i * k + c] }
            #expect(isClose(out[j * k + c], s, absolute: 1e-12))
        } }
    }

    @Test func transposeTwiceIsIdentity() {
        let x = randomCSR(rows: 31, columns: 29, density: 0.15, seed: 8)
        #expect(x.transposed().transposed() == x)
        #expect(x.transposed().nonZeroCount == x.nonZeroCount)
    }

    @Test func selectingRowsKeepsOrder() {
        let x = randomCSR(rows: 10, columns: 6, density: 0.5, seed: 4)
        let s = x.selectingRows([3, 0, 3])
        #expect(s.rows == 3)
        #expect(s.row(0).map(\.column) == x.row(3).map(\.column))
        #expect(s.row(1).map(\.value) == x.row(0).map(\.value))
    }
}

/// Regression: PartResults wrote through `Array.withUnsafeMutableBufferPointer` from two threads,
/// which races on the array itself and crashed a 200,000-article `classify` stream.
@Suite struct PartResultsTests {
    @Test func concurrentWritesToDistinctIndicesAllLand() {
        for _ in 0..<20 {
            let n = 50_000
            let parts = PartResults<String>(count: n)
            ParallelBlocks(count: n, threads: 4).run { range in
                for i in range { parts.set(i, String(i)) }
            }
            let values = parts.values
            #expect(values.count == n && values.first == "0" && values.last == String(n - 1))
        }
    }
}
