extension CSRMatrix {
    /// `Y[r, :] = Σ_j X[r, j]·W[j, :]` for rows `r` in `range`; `W` is `columns × k` and `Y` is
    /// `rows × k`, both row-major. Each output row is written by exactly one call, so disjoint row
    /// ranges may run concurrently.
    ///
    /// - Complexity: O(k · entries in the rows of `range`).
    @inline(__always)
    public func multiply(
        rows range: Range<Int>, _ w: UnsafePointer<Double>, k: Int, into y: UnsafeMutablePointer<Double>
    ) {
        rowOffsets.withUnsafeBufferPointer { offsets in
            columnIndices.withUnsafeBufferPointer { cols in
                values.withUnsafeBufferPointer { vals in
                    for r in range {
                        let out = y + r * k
                        for c in 0..<k { out[c] = 0 }
                        for e in offsets[r]..<offsets[r + 1] {
                            let x = vals[e]
                            let wr = w + Int(cols[e]) * k
                            for c in 0..<k { out[c] += x * wr[c] }
                        }
                    }
                }
            }
        }
    }

    /// `Y = X·W` over all rows, split into contiguous row blocks run on up to `threads` threads.
    /// The result does not depend on `threads`: every output row is summed in the same order.
    public func multiply(_ w: UnsafePointer<Double>, k: Int, into y: UnsafeMutablePointer<Double>, threads: Int) {
        let blocks = ParallelBlocks(count: rows, threads: threads)
        let wp = UncheckedPointer(w), yp = UncheckedMutablePointer(y)
        blocks.run { range in self.multiply(rows: range, wp.pointer, k: k, into: yp.pointer) }
    }
}
