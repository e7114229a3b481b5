/// A sparse matrix in compressed sparse row form: row `i` holds the entries
/// `columnIndices[rowOffsets[i]..<rowOffsets[i+1]]` with `values` at the same positions, columns
/// strictly increasing within a row.
///
/// The products the optimizer needs are in `CSRMatrix+Products.swift`; the tests compare them with
/// plain dense loops (`CSRMatrixTests`).
public struct CSRMatrix: Sendable, Equatable {
    public let rows: Int
    public let columns: Int
    public internal(set) var rowOffsets: [Int]
    public internal(set) var columnIndices: [Int32]
    public internal(set) var values: [Double]

    /// Builds a matrix from its three arrays after checking them (a programmer error otherwise).
    public init(rows: Int, columns: Int, rowOffsets: [Int], columnIndices: [Int32], values: [Double]) {
        precondition(rowOffsets.count == rows + 1 && rowOffsets.first == 0, "CSRMatrix: bad row offsets")
        precondition(rowOffsets.last == columnIndices.count && values.count == columnIndices.count,
                     "CSRMatrix: array lengths disagree")
        self.rows = rows
        self.columns = columns
        self.rowOffsets = rowOffsets
        self.columnIndices = columnIndices
        self.values = values
    }

    /// Number of stored entries.
    public var nonZeroCount: Int { values.count }

    /// Row `i` as (column, value) pairs.
    public func row(_ i: Int) -> [(column: Int, value: Double)] {
        (rowOffsets[i]..<rowOffsets[i + 1]).map { (Int(columnIndices[$0]), values[$0]) }
    }

    /// Row `i` as a sparse vector.
    func sparseRow(_ i: Int) -> SparseVector {
        let range = rowOffsets[i]..<rowOffsets[i + 1]
        return SparseVector(indices: Array(columnIndices[range]), values: Array(values[range]))
    }

    /// The matrix with the given rows, in the given order.
    public func selectingRows(_ selection: [Int]) -> CSRMatrix {
        var offsets = [0]
        offsets.reserveCapacity(selection.count + 1)
        var indices: [Int32] = []
        var vals: [Double] = []
        for r in selection {
            let range = rowOffsets[r]..<rowOffsets[r + 1]
            indices.append(contentsOf: columnIndices[range])
            vals.append(contentsOf: values[range])
            offsets.append(indices.count)
        }
        return CSRMatrix(rows: selection.count, columns: columns, rowOffsets: offsets,
                         columnIndices: indices, values: vals)
    }

    /// The transpose, also in CSR form (so it is the CSC form of `self`).
    ///
    /// - Complexity: O(rows + columns + nonZeroCount).
    public func transposed() -> CSRMatrix {
        var counts = [Int](repeating: 0, count: columns + 1)
        for c in columnIndices { counts[Int(c) + 1] += 1 }
        for j in 0..<columns { counts[j + 1] += counts[j] }
        var next = counts
        var indices = [Int32](repeating: 0, count: nonZeroCount)
        var vals = [Double](repeating: 0, count: nonZeroCount)
        for i in 0..<rows {
            for k in rowOffsets[i]..<rowOffsets[i + 1] {
                let c = Int(columnIndices[k])
                indices[next[c]] = Int32(i)
                vals[next[c]] = values[k]
                next[c] += 1
            }
        }
        return CSRMatrix(rows: columns, columns: rows, rowOffsets: counts, columnIndices: indices, values: vals)
    }

    /// The dense row-major form (for tests and tiny matrices).
    public func dense() -> [Double] {
        var out = [Double](repeating: 0, count: rows * columns)
        for i in 0..<rows {
            for k in rowOffsets[i]..<rowOffsets[i + 1] { out[i * columns + Int(columnIndices[k])] = values[k] }
        }
        return out
    }
}
