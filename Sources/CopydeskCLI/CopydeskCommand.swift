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
        subcommands: [Train.self, Classify.self, Evaluate.self, CrossValidate.self, Inspect.self,
                      Sentences.self, Clean.self, Summarize.self, EvaluateSummaries.self]
    )
}
