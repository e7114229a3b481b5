import Dispatch

/// The training matrix `X` (`n × d`) stored by columns, for the products of the row-space solver
/// (``RowSpaceSoftmaxSolver``):
///
///     gram(Γ)      = X Xᵀ Γ     (n × k), with ‖Xᵀ Γ‖∞ on the side
///     coefficients = Xᵀ A       (d × k)
///
/// `X Xᵀ Γ = Σ_j x_j (x_jᵀ Γ)` over the columns `x_j`, so one sweep over the stored entries does
/// both halves: for each feature, `t = x_jᵀ Γ` (a gradient row, whose largest entry is tracked), then
/// `x_j tᵀ` is added into the output. Both touch only `n × k` arrays (taken eight classes at a time,
/// ``chunkWidth``, so that they stay in cache), and the `d × k` product `Xᵀ Γ` is never stored.
///
/// The features are split into ``blockCount`` blocks of about equal entries, each summing into its
/// own buffer; the buffers are added in block order. The split does not depend on the thread count,
/// so neither does the result.
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
    func scratchCount(k: Int) -> Int { (blocks.count + 1) * documents * k }

    /// Classes are processed in chunks of this many, so that the chunk's columns of `Γ` and of the
    /// output (`n × 8` doubles each, 720 KB each on 20 Newsgroups) stay in cache while the entries
    /// stream by; chunks of 8 trained faster than chunks of 4 (BENCHMARKS.md). Chunks of 8 and 4
    /// run in the C kernels (``Kernels``).
    static let chunkWidth = 8

    /// Chunk `c` covers classes `c·w ..< min(c·w + w, k)` (`w` = ``chunkWidth``) and is stored as an
    /// `n × width` block at offset `n · c·w` of a packed `n × k` buffer.
    private static func chunks(_ k: Int) -> [(first: Int, width: Int)] {
        stride(from: 0, to: k, by: chunkWidth).map { ($0, min(chunkWidth, k - $0)) }
    }

    /// `out = X Xᵀ Γ` for the row-major `n × k` matrix `Γ`; returns `‖Xᵀ Γ‖∞`.
    ///
    /// - Complexity: O(k · nnz(X)), two multiply-adds per entry and class.
    func gram(_ gamma: UnsafePointer<Double>, k: Int, into out: UnsafeMutablePointer<Double>,
              scratch: UnsafeMutablePointer<Double>, threads: Int) -> Double {
        let n = documents, size = n * k
        let chunks = GramOperator.chunks(k)
        // Γ packed by class chunks, then one packed partial result per feature block.
        let packed = UncheckedMutablePointer(scratch), partials = UncheckedMutablePointer(scratch + size)
        let g = UncheckedPointer(gamma), o = UncheckedMutablePointer(out)
        let rowBlocks = ParallelBlocks(count: n, threads: threads)
        rowBlocks.run { rows in
            for (first, width) in chunks {
                let chunk = packed.pointer + n * first
                for i in rows { for c in 0..<width { chunk[i * width + c] = g.pointer[i * k + first + c] } }
            }
        }
        let results = PartResults<Double>(count: blocks.count)
        let groups = max(1, min(threads, blocks.count))
        let work: @Sendable (Int) -> Void = { group in
            var b = group
            while b < self.blocks.count {
                results.set(b, self.accumulate(block: self.blocks[b], UnsafePointer(packed.pointer), chunks: chunks,
                                               into: partials.pointer + b * size))
                b += groups
            }
        }
        if groups == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: groups, execute: work) }
        // out = Σ_b partial_b in block order, unpacked, over row ranges.
        let blockCount = blocks.count
        rowBlocks.run { rows in
            for (first, width) in chunks {
                for i in rows {
                    for c in 0..<width {
                        let e = n * first + i * width + c
                        var sum = partials.pointer[e]
                        for b in 1..<blockCount { sum += partials.pointer[b * size + e] }
                        o.pointer[i * k + first + c] = sum
                    }
                }
            }
        }
        return results.values.max() ?? 0
    }

    /// Sets the packed `out` to `Σ_{j ∈ block} x_j (x_jᵀ Γ)` for the packed `Γ`; returns the largest
    /// `|x_jᵀ Γ|` entry.
    private func accumulate(block: Range<Int>, _ gamma: UnsafePointer<Double>, chunks: [(first: Int, width: Int)],
                            into out: UnsafeMutablePointer<Double>) -> Double {
        let n = documents
        var largest = 0.0
        columns.rowOffsets.withUnsafeBufferPointer { offsets in
            columns.columnIndices.withUnsafeBufferPointer { rows in
                columns.values.withUnsafeBufferPointer { values in
                    for (first, width) in chunks {
                        let g = gamma + n * first, o = out + n * first
                        o.update(repeating: 0, count: n * width)
                        if width == 8 || width == 4 {
                            // The C kernels: the same loops, with AVX2 + FMA where the processor has them.
                            largest = max(largest, Kernels.gramChunk(width: width, offsets: offsets.baseAddress!, rows: rows.baseAddress!,
                                                                     values: values.baseAddress!, features: block, gamma: g, into: o))
                            continue
                        }
                        withUnsafeTemporaryAllocation(of: Double.self, capacity: width) { tb in
                            let t = tb.baseAddress!
                            for j in block {
                                let lo = offsets[j], hi = offsets[j + 1]
                                for c in 0..<width { t[c] = 0 }
                                for e in lo..<hi {
                                    let v = values[e], r = g + Int(rows[e]) * width
                                    for c in 0..<width { t[c] += v * r[c] }
                                }
                                for c in 0..<width { largest = max(largest, abs(t[c])) }
                                for e in lo..<hi {
                                    let v = values[e], r = o + Int(rows[e]) * width
                                    for c in 0..<width { r[c] += v * t[c] }
                                }
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
