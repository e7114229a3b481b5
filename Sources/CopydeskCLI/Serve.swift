import ArgumentParser
import Foundation

/// `copydesk serve`: runs the service program, `copydesk-serve`, built beside this one. It is a
/// program of its own because its web framework takes minutes to build, which the command-line
/// tool should not wait for.
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve classification and summaries over HTTP: JSON API, metrics and the newsroom page (runs copydesk-serve).",
        discussion: "All options are those of copydesk-serve; `copydesk serve --help-serve` lists them.")

    @Flag(help: "Show the service's own options.")
    var helpServe = false

    @Argument(parsing: .allUnrecognized, help: "Options for copydesk-serve (--model, --desk, --host, --port, --token-file, …).")
    var options: [String] = []

    static let program = "copydesk-serve"

    /// `copydesk-serve` beside this executable (through symlinks), if it is there.
    static func locate() -> String? {
        let me = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let folders = [Bundle.main.executableURL?.deletingLastPathComponent(), me.deletingLastPathComponent()].compactMap { $0 }
        for folder in folders {
            let candidate = folder.appendingPathComponent(program).path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    func run() throws {
        guard let path = Serve.locate() else {
            Terminal.error("copydesk serve runs \(Serve.program), which is not built beside this copydesk. Build it with "
                           + "`make serve-build` (or `swift build -c release --product \(Serve.program)`); its web framework "
                           + "takes a few minutes to build the first time")
            throw ExitCode(69)
        }
        let arguments = [path] + (helpServe ? ["--help"] : options)
        // The service replaces this process, so signals (SIGHUP, SIGTERM) reach it directly.
        var argv = arguments.map { strdup($0) } + [nil]
        execv(path, &argv)
        Terminal.error("could not start \(path): \(String(cString: strerror(errno)))")
        throw ExitCode(71)
    }
}
