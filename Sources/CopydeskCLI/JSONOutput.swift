import Foundation

/// JSON Lines on standard output: one object per line, keys sorted, numbers as JSON numbers.
enum JSONOutput {
    static func printLine(_ object: Any) {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            return
        }
        print(String(decoding: data, as: UTF8.self))
    }

    /// Six significant decimals are plenty for probabilities and weights and keep lines short.
    static func rounded(_ x: Double) -> Double { (x * 1e6).rounded() / 1e6 }
}
