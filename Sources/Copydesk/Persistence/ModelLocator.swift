import Foundation

/// Finds the model: `--model`, else `$COPYDESK_MODEL`, else `models/sections.cdm` in the current
/// folder or beside the executable's checkout.
public enum ModelLocator {
    public static let defaultRelativePath = "models/sections.cdm"

    public static func resolve(_ explicit: String?) -> String {
        if let explicit { return explicit }
        if let env = ProcessInfo.processInfo.environment["COPYDESK_MODEL"], !env.isEmpty { return env }
        let fm = FileManager.default
        if fm.fileExists(atPath: defaultRelativePath) { return defaultRelativePath }
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<5 {
            let candidate = folder.appendingPathComponent(defaultRelativePath).path
            if fm.fileExists(atPath: candidate) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        return defaultRelativePath
    }
}
