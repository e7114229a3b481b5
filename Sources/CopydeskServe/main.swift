import ArgumentParser
import Copydesk
import CopydeskService
import Foundation
import Logging

/// `copydesk-serve`: the HTTP service. `copydesk serve` runs this program with the same options.
@main
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copydesk serve",
        abstract: "Serve classification and summaries over HTTP (JSON API, metrics, the newsroom page).",
        discussion: """
            Routes: POST /v1/classify, /v1/summarize, /v1/annotate ({"text"|"html", "title"?, "id"?, …} or an array);
            GET /v1/model, /healthz, /metrics, /openapi.json; the newsroom page at /.
            SIGHUP (or POST /v1/admin/reload, with a token) reloads the model file; SIGTERM answers the requests
            in flight and exits 0.
            """)

    @Option(help: "Model file (default: $COPYDESK_MODEL or models/sections.cdm).")
    var model: String?

    @Option(help: "Desk profile (JSON) articles are read as.")
    var desk: String?

    @Option(help: "Address to listen on. Anything but loopback needs --token-file.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0: any free port, printed at start).")
    var port = 8080

    @Option(help: "File whose first line is the bearer token every /v1/ route then requires; enables /v1/admin/reload.")
    var tokenFile: String?

    @Option(help: "Largest request body in bytes (larger: 413).")
    var maxBytes = 8 * 1024 * 1024

    @Option(help: "Seconds a request may take before it is answered 503.")
    var timeBudget = 10.0

    @Option(help: "Requests at work at once; more are answered 503 with Retry-After.")
    var maxInFlight = 256

    @Option(help: "Evaluation report (from copydesk report) shown on the page.")
    var report: String?

    @Option(help: "Mark articles whose top probability is below P with \"review\": true.")
    var reviewBelow: Double?

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel = "info"

    func validate() throws {
        if !(0...65535).contains(port) { throw ValidationError("--port \(port): expected 0 to 65535") }
        if maxBytes < 1 { throw ValidationError("--max-bytes must be positive") }
        if !(timeBudget > 0) { throw ValidationError("--time-budget must be positive") }
        if maxInFlight < 1 { throw ValidationError("--max-in-flight must be at least 1") }
        if let reviewBelow, !(0...1).contains(reviewBelow) {
            throw ValidationError("--review-below \(reviewBelow): expected a probability between 0 and 1")
        }
        if Logger.Level(rawValue: logLevel) == nil { throw ValidationError("--log-level \(logLevel): not a level") }
    }

    func run() async throws {
        Serve.raiseOpenFileLimit()
        LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
        var logger = Logger(label: "copydesk.serve")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        var options = ServiceOptions(modelPath: ModelLocator.resolve(model))
        options.deskPath = desk
        options.host = host
        options.port = port
        options.maxBytes = maxBytes
        options.timeBudget = .milliseconds(Int64(timeBudget * 1000))
        options.maxInFlight = maxInFlight
        options.reportPath = report
        options.reviewBelow = reviewBelow
        let service: CopydeskService
        do {
            if let tokenFile { options.token = try ServiceOptions.readToken(tokenFile) }
            service = try CopydeskService(options: options, logger: logger)
        } catch let error as ServiceError {
            Serve.fail("\(error)", code: 64)
        } catch let error as ModelFileError {
            Serve.fail("\(error)", code: 66)
        } catch {
            Serve.fail("\(error)", code: 65)
        }
        let host = options.host
        try await service.run { port in
            print("copydesk serve: listening on http://\(host.contains(":") ? "[\(host)]" : host):\(port)")
            fflush(nil)
        }
    }

    /// Each connection is a file descriptor: the soft limit (often 1,024) is raised to the hard one
    /// so that a thousand idle or slow clients do not lock everyone else out.
    static func raiseOpenFileLimit() {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
        limit.rlim_cur = limit.rlim_max
        _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }

    static func fail(_ message: String, code: Int32) -> Never {
        FileHandle.standardError.write(Data("copydesk serve: error: \(message)\n".utf8))
        Foundation.exit(code)
    }
}
