import Dispatch

/// The training matrix `X` (`n × d`) stored by columns, for the products of the row-space solver
/// (``RowSpaceSoftmaxSolver``):
///
///     gram(Γ)      = X Xᵀ Γ     (n × k), with ‖Xᵀ Γ‖∞ on the side
///     coefficients = Xᵀ A       (d × k)
///
/// `X Xᵀ Γ = Σ_j x_j (x_jᵀ Γ)` over the columns `x_j`, so one sweep over the stored entries does
/// both halves: for each feature, `t = x_jᵀ Γ` (a gradient row, whose largest entry is tracked), then
/// `x_j tᵀ` is added into the output. Both touch only `n × k` arrays, which stay in cache, and the
/// `d × k` product `Xᵀ Γ` is never stored.
///
/// The features are split into ``blockCount`` blocks of about equal entries, each summing into its
/// own buffer; the buffers are added in block order. The split does not depend on the thread
/// count, so neither does the result.
struct GramOperator: Sendable {
    /// `Xᵀ` in CSR form: row `j` lists the documents containing feature `j`.
    let columns: CSRMatrix
    let blocks: [Range<Int>]
    static let blockCount = 4

    var documents: Int { columns.columns }
    var features: Int { columns.rows }

    init(_ x: CSRMatrix) {
        columns = x.transposed()
        let total = columns.nonZeroCount
        var bounds = [0]
        var j = 0
        for b in 1..<GramOperator.blockCount {
            let target = total * b / GramOperator.blockCount
            while j < columns.rows && columns.rowOffsets[j] < target { j += 1 }
            bounds.append(max(j, bounds[b - 1]))
        }
        bounds.append(columns.rows)
        blocks = (0..<GramOperator.blockCount).map { bounds[$0]..<bounds[$0 + 1] }
    }

    /// Scratch space ``gram(_:k:into:scratch:threads:)`` needs, in doubles.
    func scratchCount(k: Int) -> Int { (blocks.count - 1) * documents * k }

    /// `out = X Xᵀ Γ` for the row-major `n × k` matrix `Γ`; returns `‖Xᵀ Γ‖∞`.
    ///
    /// - Complexity: O(k · nnz(X)), two multiply-adds per entry and class.
    func gram(_ gamma: UnsafePointer<Double>, k: Int, into out: UnsafeMutablePointer<Double>,
              scratch: UnsafeMutablePointer<Double>, threads: Int) -> Double {
        let n = documents, size = n * k
        let g = UncheckedPointer(gamma), o = UncheckedMutablePointer(out), sp = UncheckedMutablePointer(scratch)
        let results = PartResults<Double>(count: blocks.count)
        let groups = max(1, min(threads, blocks.count))
        let work: @Sendable (Int) -> Void = { group in
            var b = group
            while b < self.blocks.count {
                let target = b == 0 ? o.pointer : sp.pointer + (b - 1) * size
                results.set(b, self.accumulate(block: self.blocks[b], g.pointer, k: k, into: target))
                b += groups
            }
        }
        if groups == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: groups, execute: work) }
        // out = Σ_b partial_b in block order, over row ranges.
        let partials = blocks.count - 1
        ParallelBlocks(count: n, threads: threads).run { rows in
            let range = (rows.lowerBound * k)..<(rows.upperBound * k)
            for b in 0..<partials {
                let p = sp.pointer + b * size
                for e in range { o.pointer[e] += p[e] }
            }
        }
        return results.values.max() ?? 0
    }

    /// Sets `out` to `Σ_{j ∈ block} x_j (x_jᵀ Γ)`; returns the largest `|x_jᵀ Γ|` entry.
    private func accumulate(block: Range<Int>, _ gamma: UnsafePointer<Double>, k: Int,
                            into out: UnsafeMutablePointer<Double>) -> Double {
        out.update(repeating: 0, count: documents * k)
        var largest = 0.0
        columns.rowOffsets.withUnsafeBufferPointer { offsets in
            columns.columnIndices.withUnsafeBufferPointer { rows in
                columns.values.withUnsafeBufferPointer { values in
                    withUnsafeTemporaryAllocation(of: Double.self, capacity: k) { tb in
                        let t = tb.baseAddress!
                        for j in block {
                            let lo = offsets[j], hi = offsets[j + 1]
                            for c in 0..<k { t[c] = 0 }
                            for e in lo..<hi {
                                let v = values[e], row = gamma + Int(rows[e]) * k
                                for c in 0..<k { t[c] += v * row[c] }
                            }
                            for c in 0..<k where abs(t[c]) > largest { largest = abs(t[c]) }
                            for e in lo..<hi {
                                let v = values[e], row = out + Int(rows[e]) * k
                                for c in 0..<k { row[c] += v * t[c] }
                            }
                        }
                    }
                }
            }
        }
        return largest
    }

    /// `Xᵀ A` (`d × k`, row-major) for the row-major `n × k` matrix `A`: the coefficients of the
    /// model whose row-space form is `A`. Rows are independent, so they are split over threads.
    func coefficients(_ a: UnsafePointer<Double>, k: Int, threads: Int) -> [Double] {
        var w = [Double](repeating: 0, count: features * k)
        w.withUnsafeMutableBufferPointer { wb in
            columns.multiply(a, k: k, into: wb.baseAddress!, threads: threads)
        }
        return w
    }
}
