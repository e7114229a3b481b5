import Copydesk
import Dispatch
import Foundation
import Hummingbird
import Logging
import NIOCore

/// `copydesk serve`: JSON over HTTP for a CMS, and the newsroom page for editors.
///
/// One immutable model serves every request (``ModelStore``); `POST /v1/admin/reload` or SIGHUP
/// swaps in a new one whole, and SIGTERM drains the requests in flight before the process exits.
public struct CopydeskService: Sendable {
    public let options: ServiceOptions
    public let store: ModelStore
    let metrics = Metrics()
    let annotator: Annotator
    let report: [UInt8]?
    let assets: Assets
    let logger: Logger

    /// Checks the options and loads the model (and the report, when given).
    /// - Throws: ``ServiceError`` for unsafe or invalid settings; the model file's or desk's error.
    public init(options: ServiceOptions, logger: Logger) throws {
        try options.validate()
        self.options = options
        self.logger = logger
        store = try ModelStore(modelPath: options.modelPath, deskPath: options.deskPath)
        annotator = Annotator(options: options)
        assets = try Assets()
        if let path = options.reportPath {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ServiceError.report(path: path, reason: "cannot be read")
            }
            report = Array(data)
        } else {
            report = nil
        }
    }

    /// Serves until SIGTERM or SIGINT, then answers the requests in flight and returns.
    /// `listening` is called with the bound port once the server accepts connections.
    public func run(listening: @escaping @Sendable (Int) -> Void = { _ in }) async throws {
        for note in store.loaded.notes { logger.warning("\(note)") }
        let reload = DispatchSource.makeSignalSource(signal: SIGHUP, queue: .global())
        signal(SIGHUP, SIG_IGN)
        reload.setEventHandler { [self] in
            do {
                let fresh = try store.reload()
                metrics.recordReload(succeeded: true)
                logger.notice("SIGHUP: model reloaded", metadata: ["checksum": "\(fresh.checksum)"])
            } catch {
                metrics.recordReload(succeeded: false)
                logger.error("SIGHUP: the model file was refused; the model in use stays", metadata: ["reason": "\(error)"])
            }
        }
        reload.resume()
        defer { reload.cancel() }
        let app = Application(
            router: makeRouter(),
            // A connection with nothing to read or write for a minute is closed.
            server: .http1(configuration: .init(idleTimeout: .seconds(60))),
            configuration: .init(address: .hostname(options.host, port: options.port), serverName: "copydesk"),
            onServerRunning: { channel in listening(channel.localAddress?.port ?? 0) },
            logger: logger
        )
        try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
    }

    func makeRouter() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: Gate(service: self))
        router.get("/healthz") { _, _ in
            json(200, #"{"status":"ok"}"#)
        }
        router.get("/metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(string: metrics.render(model: store.loaded))))
        }
        router.get("/openapi.json") { _, _ in assets.response("openapi.json") }
        router.get("/") { _, _ in assets.response("page/index.html") }
        router.get("/assets/app.js") { _, _ in assets.response("page/app.js") }
        router.get("/assets/style.css") { _, _ in assets.response("page/style.css") }
        router.get("/report") { _, _ in
            guard let report else { throw APIError(status: 404, message: "no report: start the service with --report FILE") }
            return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(bytes: report)))
        }
        router.get("/v1/model") { _, _ in
            json(200, JSONLine.line(modelDescription()))
        }
        router.post("/v1/classify") { request, _ in try await work(.classify, request) }
        router.post("/v1/summarize") { request, _ in try await work(.summarize, request) }
        router.post("/v1/annotate") { request, _ in try await work(.annotate, request) }
        if options.token != nil {
            router.post("/v1/admin/reload") { _, _ in
                do {
                    let fresh = try store.reload()
                    metrics.recordReload(succeeded: true)
                    logger.notice("model reloaded", metadata: ["checksum": "\(fresh.checksum)"])
                    return json(200, JSONLine.line(["reloaded": true, "checksum": fresh.checksum]))
                } catch {
                    metrics.recordReload(succeeded: false)
                    logger.error("reload refused; the model in use stays", metadata: ["reason": "\(error)"])
                    // The reason names the file's fault (checksum, version, truncation), not its path.
                    throw APIError(status: 409, message: "the model file was refused and the model in use stays: "
                                   + CopydeskService.withoutPaths("\(error)", options.modelPath, options.deskPath))
                }
            }
        }
        return router
    }

    /// Reads the body (413 past the limit), parses it, and does the work within the time budget.
    func work(_ job: Annotator.Job, _ request: Request) async throws -> Response {
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: options.maxBytes)
        } catch let error as NIOTooManyBytesError {
            _ = error
            throw APIError(status: 413, message: "the body is over the limit of \(options.maxBytes) bytes")
        }
        let (items, batch) = try RequestReader.read(Array(body.readableBytesView))
        let model = store.loaded
        let annotator = self.annotator
        let outcome = await withinBudget(options.timeBudget) { () -> Result<String, APIError> in
            Result { () throws(APIError) -> String in try annotator.run(job, items, batch: batch, model: model) }
        }
        guard let outcome else {
            throw APIError(status: 503, message: "the request took longer than the time budget (\(options.timeBudget)); "
                           + "send fewer or shorter articles", retryAfter: 1)
        }
        return json(200, try outcome.get())
    }

    func modelDescription() -> [String: Any] {
        let loaded = store.loaded
        let m = loaded.classifier
        let name = { (s: String) in loaded.desk?.displayName(of: s) ?? s }
        var o: [String: Any] = [
            "sections": m.sections.map(name),
            "model_sections": m.sections,
            "features": m.vectorizer.featureCount,
            "documents": m.report.documents,
            "documents_per_section": m.report.documentsPerSection,
            "optimizer": ["iterations": m.report.optimizer.iterations, "converged": m.report.optimizer.converged,
                          "gradient_norm": m.report.optimizer.gradientNorm] as [String: Any],
            "checksum": loaded.checksum,
            "format": Int(ModelFile.version),
            "calibrated": m.calibration != nil,
            "loaded_at": ISO8601DateFormatter().string(from: loaded.loadedAt),
            "notes": loaded.notes,
            "report": report != nil,
            "teaser_chars": options.teaserCharacters,
            "summary_sentences": options.summarySentences,
        ]
        if let c = m.calibration {
            o["calibration"] = ["temperature": JSONLine.rounded(c.temperature), "folds": c.folds,
                                "ece_before": JSONLine.rounded(c.eceBefore), "ece_after": JSONLine.rounded(c.eceAfter)] as [String: Any]
        }
        if let review = options.reviewBelow { o["review_below"] = review }
        if let d = loaded.desk {
            o["desk"] = ["name": d.name.map { $0 as Any } ?? NSNull(), "country": d.country, "coverage": d.coverage.count,
                         "sections": d.sections] as [String: Any]
        } else {
            o["desk"] = NSNull()
        }
        return o
    }

    /// `message` with the server's file paths replaced by the file's bare name.
    static func withoutPaths(_ message: String, _ paths: String?...) -> String {
        var out = message
        for case let path? in paths {
            out = out.replacingOccurrences(of: path, with: URL(fileURLWithPath: path).lastPathComponent)
        }
        return out
    }
}

/// A JSON answer.
func json(_ status: Int, _ body: String, headers: HTTPFields = [:]) -> Response {
    var fields = headers
    fields[.contentType] = "application/json; charset=utf-8"
    return Response(status: .init(code: status), headers: fields, body: .init(byteBuffer: ByteBuffer(string: body)))
}

/// The page, its script and style, and the OpenAPI document: the package's resources, read once
/// at start from the bundle SwiftPM places beside the executable.
struct Assets: Sendable {
    static let bundleName = "Copydesk_CopydeskService.resources"
    static let files: [String: String] = [
        "openapi.json": "application/json; charset=utf-8",
        "page/index.html": "text/html; charset=utf-8",
        "page/app.js": "text/javascript; charset=utf-8",
        "page/style.css": "text/css; charset=utf-8",
    ]
    let contents: [String: [UInt8]]

    /// - Throws: ``ServiceError/invalid(_:)`` naming the missing bundle.
    init() throws {
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        let candidates = [Bundle.main.executableURL?.deletingLastPathComponent(), executable, Bundle.main.bundleURL]
            .compactMap { $0?.appendingPathComponent(Assets.bundleName).appendingPathComponent("Resources") }
        guard let folder = candidates.first(where: { FileManager.default.fileExists(atPath: $0.appendingPathComponent("openapi.json").path) }) else {
            throw ServiceError.invalid("the page and OpenAPI document (\(Assets.bundleName)) are not beside the executable; "
                                       + "run copydesk-serve from its build folder (.build/release) or copy that folder with it")
        }
        var contents: [String: [UInt8]] = [:]
        for name in Assets.files.keys {
            guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path) else {
                throw ServiceError.invalid("\(Assets.bundleName) has no \(name)")
            }
            contents[name] = Array(data)
        }
        self.contents = contents
    }

    func response(_ name: String) -> Response {
        Response(status: .ok, headers: [.contentType: Assets.files[name] ?? "application/octet-stream", .cacheControl: "no-cache"],
                 body: .init(byteBuffer: ByteBuffer(bytes: contents[name] ?? [])))
    }
}

/// Every request passes here: the token on `/v1/`, the in-flight limit on the work routes, errors
/// made JSON (and never a trace or a path), metrics and a log line without the article or token.
struct Gate: RouterMiddleware {
    typealias Context = BasicRequestContext
    let service: CopydeskService

    /// Each route and the methods it answers (a known route asked with another method is a 405).
    static let methods: [String: String] = [
        "/healthz": "GET", "/metrics": "GET", "/openapi.json": "GET", "/": "GET",
        "/assets/app.js": "GET", "/assets/style.css": "GET", "/report": "GET", "/v1/model": "GET",
        "/v1/classify": "POST", "/v1/summarize": "POST", "/v1/annotate": "POST", "/v1/admin/reload": "POST",
    ]
    static let routes = Set(methods.keys)

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let path = request.uri.path
        let route = Gate.routes.contains(path) ? path : "other"
        var counted = false
        let response: Response
        do {
            if path.hasPrefix("/v1/"), let token = service.options.token,
               !Gate.authorized(request.headers[.authorization], token: token) {
                throw APIError(status: 401, message: "missing or wrong bearer token: send 'Authorization: Bearer <token>'")
            }
            if request.method == .post && path.hasPrefix("/v1/") {
                guard service.metrics.enter(limit: service.options.maxInFlight) else {
                    throw APIError(status: 503, message: "too many requests in flight (\(service.options.maxInFlight)); retry shortly",
                                   retryAfter: 1)
                }
                counted = true
            }
            response = try await next(request, context)
        } catch let error as APIError {
            response = Gate.answer(error)
        } catch let error as any HTTPResponseError {
            var status = error.status.code
            var allow: String?
            if status == 404, let methods = Gate.methods[path], path != "/v1/admin/reload" || service.options.token != nil {
                status = 405
                allow = methods
            }
            let message = switch status {
            case 404: "no such route: \(request.method) \(path)"
            case 405: "\(request.method) is not allowed on \(path)"
            case 413: "the body is over the limit of \(service.options.maxBytes) bytes"
            default: error.status.reasonPhrase
            }
            response = Gate.answer(APIError(status: status, message: message), allow: allow)
        } catch {
            service.logger.error("request failed", metadata: ["route": "\(route)", "error": "\(type(of: error))"])
            response = Gate.answer(APIError(status: 500, message: "internal error"))
        }
        if counted { service.metrics.leave() }
        let elapsed = start.duration(to: .now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        service.metrics.record(route: route, status: response.status.code, seconds: seconds)
        service.logger.info("\(request.method) \(route) \(response.status.code)",
                            metadata: ["ms": "\(String(format: "%.2f", seconds * 1000))"])
        return response
    }

    static func answer(_ error: APIError, allow: String? = nil) -> Response {
        var headers: HTTPFields = [:]
        if let allow { headers[.allow] = allow }
        if let retry = error.retryAfter { headers[.retryAfter] = String(retry) }
        if error.status == 401 { headers[.wwwAuthenticate] = "Bearer" }
        return json(error.status, JSONLine.line(error.json), headers: headers)
    }

    /// `Authorization: Bearer <token>`, compared in time that does not depend on where it differs.
    static func authorized(_ header: String?, token: String) -> Bool {
        guard let header, header.hasPrefix("Bearer ") else { return false }
        let given = Array(header.utf8.dropFirst(7)), wanted = Array(token.utf8)
        var difference: UInt8 = given.count == wanted.count ? 0 : 1
        for i in 0..<wanted.count { difference |= wanted[i] ^ (i < given.count ? given[i] : 0) }
        return difference == 0
    }
}
