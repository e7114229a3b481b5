import ArgumentParser
import Copydesk
#if canImport(Glibc)
import Glibc
#endif

@main
struct CopydeskCommand: ParsableCommand {
    /// A reader that stops reading (`copydesk classify … | head`) is not an error: exit quietly with 0.
    static func main() {
        signal(SIGPIPE) { _ in _exit(0) }
        // Arrays of 4 MiB and more get their own mappings, returned to the system when freed, so
        // that peak memory does not depend on the order of frees; a lower threshold would map and
        // zero the solver's per-iteration vectors each time (BENCHMARKS.md).
        ProcessSettings.fixMmapThreshold(bytes: 4 << 20)
        main(nil)
    }

    static let configuration = CommandConfiguration(
        commandName: "copydesk",
        abstract: "Route news articles to sections, explain why, and write ledes, teasers and summaries.",
        discussion: """
            Exit codes: 0 ok, 64 usage error, 65 bad input (article or corpus), \
            66 bad model file, 74 I/O failure, 70 internal error.
            """,
        version: "0.1.0",
        subcommands: [Train.self, Classify.self, Evaluate.self, CrossValidate.self, Inspect.self, Desk.self, Report.self, Extract.self,
                      Sentences.self, Clean.self, Summarize.self, EvaluateSummaries.self, Serve.self]
    )
}
