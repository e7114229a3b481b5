import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Standard error output: messages, and a progress bar only when stderr is a terminal.
enum Terminal {
    static let stderrIsTerminal = isatty(2) == 1

    static func error(_ message: String) { write("copydesk: error: \(message)\n") }
    static func warning(_ message: String) { write("copydesk: warning: \(message)\n") }
    static func note(_ message: String) { write(message + "\n") }

    static func write(_ s: String) {
        var s = s
        s.withUTF8 { b in
            var offset = 0
            while offset < b.count {
                let n = Glibc.write(2, b.baseAddress! + offset, b.count - offset)
                if n <= 0 { return }
                offset += n
            }
        }
    }
}

/// A one-line progress bar on stderr with counts and ETA, redrawn at most 10 times a second.
/// Silent unless stderr is a terminal and `--quiet` is not given, so it never mixes with output.
final class ProgressBar {
    private let label: String
    private let total: Int?
    private let enabled: Bool
    private let start = Date()
    private var lastDraw = Date.distantPast
    private var drawn = false

    init(_ label: String, total: Int?, quiet: Bool) {
        self.label = label
        self.total = total
        enabled = !quiet && Terminal.stderrIsTerminal
    }

    func update(_ done: Int, detail: String = "") {
        guard enabled else { return }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) >= 0.1 || done == total else { return }
        lastDraw = now
        let elapsed = now.timeIntervalSince(start)
        var line = "\r\(label) "
        if let total, total > 0 {
            let fraction = min(1, Double(done) / Double(total))
            let width = 24, filled = Int(fraction * Double(width))
            line += "[" + String(repeating: "=", count: filled) + String(repeating: " ", count: width - filled) + "] "
            line += "\(done)/\(total)"
            if done > 0 && done < total {
                line += "  ETA \(ProgressBar.format(elapsed / fraction - elapsed))"
            }
        } else {
            line += "\(done)"
        }
        line += "  \(ProgressBar.format(elapsed))"
        if !detail.isEmpty { line += "  " + detail }
        Terminal.write(line + "\u{1B}[K")
        drawn = true
    }

    func finish() {
        if drawn { Terminal.write("\r\u{1B}[K") }
    }

    static func format(_ seconds: Double) -> String {
        seconds < 60 ? String(format: "%.1fs", seconds) : String(format: "%dm%02ds", Int(seconds) / 60, Int(seconds) % 60)
    }
}
