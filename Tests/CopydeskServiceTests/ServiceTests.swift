import Foundation
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The service as a CMS uses it: a real `copydesk-serve` process on loopback, real HTTP.
@Suite(.serialized) struct ServiceTests {
    static let article = try! String(contentsOfFile: ServerProcess.packageRoot
        .appendingPathComponent("corpora/newsroom/local/02-water-main-break.txt").path, encoding: .utf8)

    /// A JSON object as sorted-key text, so that two parses compare by value.
    static func canonical(_ object: [String: Any]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    static func server(_ extra: [String] = []) throws -> ServerProcess {
        try ServerProcess(["--model", ServerProcess.shippedModel] + extra)
    }

    @Test func healthModelMetricsAndOpenAPI() async throws {
        let s = try Self.server()
        let health = try await s.request("GET", "/healthz")
        #expect(health.status == 200)
        #expect(health.object["status"] as? String == "ok")

        let model = try await s.request("GET", "/v1/model")
        #expect(model.status == 200)
        let sections = try #require(model.object["sections"] as? [String])
        #expect(sections.contains("local") && sections.contains("international") && sections.count == 7)
        #expect((model.object["features"] as? Int ?? 0) > 1000)
        #expect((model.object["checksum"] as? String)?.count == 16)
        #expect(model.object["calibrated"] as? Bool == true)
        #expect(!model.text.contains(ServerProcess.packageRoot.path), "the server's paths stay on the server")

        _ = try await s.post("/v1/classify", #"{"text": "The mayor opened the park."}"#)
        let metrics = try await s.request("GET", "/metrics")
        #expect(metrics.status == 200)
        #expect(metrics.headers["content-type"]?.hasPrefix("text/plain") == true)
        #expect(metrics.text.contains(#"copydesk_http_requests_total{route="/v1/classify",status="200"} 1"#))
        #expect(metrics.text.contains(#"copydesk_http_request_duration_seconds_bucket{route="/v1/classify",le="+Inf"} 1"#))
        #expect(metrics.text.contains("# TYPE copydesk_http_requests_in_flight gauge"))

        let openapi = try await s.request("GET", "/openapi.json")
        #expect(openapi.status == 200)
        let doc = openapi.object
        #expect((doc["openapi"] as? String)?.hasPrefix("3.1") == true)
        let paths = try #require(doc["paths"] as? [String: Any])
        // Every documented route is served, and every served route is documented.
        let served = ["/healthz", "/metrics", "/openapi.json", "/v1/model", "/v1/classify", "/v1/summarize", "/v1/annotate",
                      "/v1/admin/reload", "/", "/report"]
        #expect(Set(paths.keys) == Set(served))
        #expect(s.stop() == 0)
    }

    /// The service answers with the same fields and values as the command-line tool.
    @Test func classifyAndSummarizeAgreeWithTheCommandLine() async throws {
        let s = try Self.server()
        let reply = try await s.post("/v1/classify", object: ["text": Self.article, "explain": 5, "id": "w1"])
        #expect(reply.status == 200)
        let cli = try ServerProcess.runCLI(["classify", "--model", ServerProcess.shippedModel, "--json", "--explain", "5", "-"],
                                           stdin: Self.article)
        #expect(cli.status == 0)
        var expected = try #require(try JSONSerialization.jsonObject(with: Data(cli.stdout.utf8)) as? [String: Any])
        expected["id"] = "w1"
        #expect(try Self.canonical(reply.object) == Self.canonical(expected), "\(reply.text)\nvs\n\(cli.stdout)")

        let summary = try await s.post("/v1/summarize", object: ["text": Self.article, "id": "w1"])
        #expect(summary.status == 200)
        let cliSummary = try ServerProcess.runCLI(["summarize", "--json", "-"], stdin: Self.article)
        var expectedSummary = try #require(try JSONSerialization.jsonObject(with: Data(cliSummary.stdout.utf8)) as? [String: Any])
        expectedSummary["id"] = "w1"
        expectedSummary.removeValue(forKey: "file")
        #expect(try Self.canonical(summary.object) == Self.canonical(expectedSummary), "\(summary.text)\nvs\n\(cliSummary.stdout)")

        let both = try await s.post("/v1/annotate", object: ["text": Self.article])
        #expect(both.status == 200)
        #expect(both.object["label"] as? String == reply.object["label"] as? String)
        #expect(both.object["lede"] as? String == summary.object["lede"] as? String)
        #expect(s.stop() == 0)
    }

    @Test func batchesAreAnsweredInOrderAndPagesAreRead() async throws {
        let s = try Self.server()
        let page = "<html><head><title>Ferry cut - The Herald</title></head><body><nav><a href='/'>Home</a></nav>"
            + "<article><h1>Ferry schedule cut</h1><p>" + Self.article.replacingOccurrences(of: "\n\n", with: "</p><p>")
            + "</p></article><footer>Subscribe</footer></body></html>"
        let items: [[String: Any]] = [["id": "a", "text": "Stocks fell as the central bank raised rates again."],
                                      ["id": "b", "html": page], ["id": 3, "text": "The striker scored twice in the final."]]
        let reply = try await s.post("/v1/annotate", object: items)
        #expect(reply.status == 200)
        let answers = try #require(reply.json as? [[String: Any]])
        #expect(answers.map { $0["id"] as? String } == ["a", "b", "3"])
        #expect(answers.allSatisfy { $0["label"] != nil && $0["lede"] != nil })
        #expect((answers[1]["summary"] as? String)?.contains("Subscribe") == false)
        #expect(answers[1]["title"] as? String != nil)

        // One unreadable page in a batch is that item's error; the others are answered.
        let mixed = try await s.post("/v1/classify", object: [["id": "x", "html": "<html><body></body></html>"], ["id": "y", "text": "Rates rose."]])
        #expect(mixed.status == 200)
        let two = try #require(mixed.json as? [[String: Any]])
        #expect(two[0]["error"] is String && two[0]["label"] == nil)
        #expect(two[1]["label"] is String)
        #expect(s.stop() == 0)
    }

    /// Bad requests get the documented status and a JSON error, and nothing of the server's inside.
    @Test func malformedRequestsGetTheirStatus() async throws {
        let s = try Self.server(["--max-bytes", "20000"])
        let deep = String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000)
        let cases: [(String, Data, Int)] = [
            ("empty body", Data(), 400),
            ("white space only", Data("  \n".utf8), 400),
            ("truncated object", Data(#"{"text": "a","#.utf8), 400),
            ("trailing comma", Data(#"{"text": "a",}"#.utf8), 400),
            ("not JSON", Data("text=hello".utf8), 400),
            ("absurdly nested", Data(deep.utf8), 400),
            ("invalid UTF-8 in a string", Data(#"{"text": ""#.utf8) + Data([0xFF, 0xFE]) + Data(#""}"#.utf8), 400),
            ("trailing data", Data(#"{"text": "a"} {"text": "b"}"#.utf8), 400),
            ("a number", Data("5".utf8), 422),
            ("a string", Data(#""text""#.utf8), 422),
            ("no text or html", Data(#"{"title": "Only a title"}"#.utf8), 422),
            ("text of the wrong type", Data(#"{"text": 5}"#.utf8), 422),
            ("both text and html", Data(#"{"text": "a", "html": "<p>a</p>"}"#.utf8), 422),
            ("an array of non-objects", Data("[1, 2]".utf8), 422),
            ("an empty array", Data("[]".utf8), 422),
            ("NUL bytes in the text", Data(#"{"text": "abc\u0000def"}"#.utf8), 422),
            ("binary text", Data(("{\"text\": \"" + String(repeating: "\\u0001\\u0002\\u0003x", count: 50) + "\"}").utf8), 422),
            ("empty text", Data(#"{"text": "   "}"#.utf8), 422),
            ("top of the wrong type", Data(#"{"text": "a b c", "top": "two"}"#.utf8), 422),
            ("explain out of range", Data(#"{"text": "a b c", "explain": 1000}"#.utf8), 422),
            ("over the body limit", Data(("{\"text\": \"" + String(repeating: "word ", count: 5000) + "\"}").utf8), 413),
        ]
        for (name, body, status) in cases {
            let reply = try await s.request("POST", "/v1/classify", body: body)
            #expect(reply.status == status, "\(name): \(reply.status) \(reply.text)")
            let error = reply.object["error"] as? String
            #expect(error?.isEmpty == false, "\(name): no JSON error in \(reply.text)")
            #expect(reply.headers["content-type"]?.hasPrefix("application/json") == true, "\(name)")
            for leak in [ServerProcess.packageRoot.path, ".swift", "Fatal", "0x"] {
                #expect(!reply.text.contains(leak), "\(name): \(reply.text)")
            }
        }
        let truncated = try await s.request("POST", "/v1/classify", body: Data(#"{"text": "a","#.utf8))
        #expect(truncated.object["offset"] as? Int == 13, "the parse error's position: \(truncated.text)")
        let unknown = try await s.request("GET", "/v2/nothing")
        #expect(unknown.status == 404 && unknown.object["error"] is String)
        #expect(try await s.request("GET", "/report").status == 404)
        #expect(try await s.request("POST", "/v1/admin/reload").status == 404, "admin routes are off without a token")
        let text = try await s.request("POST", "/v1/summarize", body: Data(#"{"text": "a b c", "teaser_chars": 0}"#.utf8))
        #expect(text.status == 422)
        #expect(s.stop() == 0)
    }

    @Test func timeBudgetAndInFlightLimit() async throws {
        // A batch far over a 1 ms budget is answered 503.
        let slow = try Self.server(["--time-budget", "0.001"])
        let batch = (0..<200).map { ["text": Self.article + " \($0)"] }
        let late = try await slow.post("/v1/summarize", object: batch)
        #expect(late.status == 503, "\(late.text)")
        #expect(late.object["error"] is String)
        #expect(slow.stop() == 0)

        // With one request allowed in flight, a second one arriving during a long batch is told to retry.
        let narrow = try Self.server(["--max-in-flight", "1", "--time-budget", "300"])
        let long = (0..<800).map { ["text": Self.article + " \($0)"] }
        async let first = narrow.post("/v1/annotate", object: long)
        // Once the batch is in flight, the next request is refused.
        for _ in 0..<1000 {
            if try await narrow.request("GET", "/metrics").text.contains("copydesk_http_requests_in_flight 1") { break }
            try await Task.sleep(for: .milliseconds(5))
        }
        var refused: ServerProcess.Reply?
        let r = try await narrow.post("/v1/classify", #"{"text": "Rates rose again."}"#)
        if r.status == 503 { refused = r }
        let answered = try await first
        #expect(answered.status == 200)
        let shed = try #require(refused, "no request was refused while the batch ran")
        #expect(shed.headers["retry-after"] == "1")
        #expect(shed.object["error"] is String)
        #expect(narrow.stop() == 0)
    }

    @Test func tokenGuardsTheAPIAndLogsKeepNoSecrets() async throws {
        let dir = try ServerProcess.temporaryDirectory()
        let token = "tok-" + UUID().uuidString
        let tokenFile = dir.appendingPathComponent("token").path
        try Data((token + "\n").utf8).write(to: URL(fileURLWithPath: tokenFile))
        let s = try Self.server(["--token-file", tokenFile])
        let secretWord = "Zyxquorbhaven"
        let body = "{\"text\": \"The \(secretWord) council met on Tuesday to discuss the harbour.\"}"
        #expect(try await s.post("/v1/classify", body).status == 401)
        let wrong = try await s.post("/v1/classify", body, headers: ["Authorization": "Bearer " + token.dropLast() + "x"])
        #expect(wrong.status == 401)
        #expect(wrong.headers["www-authenticate"] == "Bearer")
        #expect(try await s.post("/v1/classify", body, headers: ["Authorization": "Bearer " + token]).status == 200)
        #expect(try await s.request("GET", "/healthz").status == 200, "health checks need no token")
        #expect(try await s.request("GET", "/v1/model").status == 401)
        #expect(s.stop() == 0)
        let log = s.log
        #expect(log.contains("/v1/classify"), "request log lines are written")
        #expect(!log.contains(secretWord), "the article's text reached the log")
        #expect(!log.contains(token), "the token reached the log")

        // A short token is refused, and so is a public address without one.
        try Data("short\n".utf8).write(to: URL(fileURLWithPath: tokenFile))
        #expect(throws: ServerProcess.ServerError.self) { try Self.server(["--token-file", tokenFile]) }
        #expect(throws: ServerProcess.ServerError.self) { try Self.server(["--host", "0.0.0.0"]) }
    }

    /// A reload swaps the model whole; a damaged file is refused and the old model keeps serving.
    @Test func reloadBySignalAndByRoute() async throws {
        let dir = try ServerProcess.temporaryDirectory()
        let model = dir.appendingPathComponent("m.cdm")
        try FileManager.default.copyItem(atPath: ServerProcess.shippedModel, toPath: model.path)
        let token = "reload-token-" + UUID().uuidString
        let tokenFile = dir.appendingPathComponent("token")
        try Data(token.utf8).write(to: tokenFile)
        let auth = ["Authorization": "Bearer " + token]
        let s = try ServerProcess(["--model", model.path, "--token-file", tokenFile.path])
        let before = try await s.request("GET", "/v1/model", headers: auth).object["checksum"] as? String

        // Damage one byte in the middle: refused with 409, the old model still answers.
        var bytes = try Data(contentsOf: model)
        bytes[bytes.count / 2] ^= 0x40
        try bytes.write(to: model)
        let refused = try await s.request("POST", "/v1/admin/reload", headers: auth)
        #expect(refused.status == 409, "\(refused.text)")
        #expect(!refused.text.contains(dir.path), "\(refused.text)")
        #expect(try await s.post("/v1/classify", #"{"text": "The team won the final."}"#, headers: auth).status == 200)
        #expect(try await s.request("GET", "/v1/model", headers: auth).object["checksum"] as? String == before)

        // SIGHUP with a good file of another model: the checksum changes.
        let other = try ServerProcess.runCLI(["train", "--corpus", ServerProcess.packageRoot.appendingPathComponent("corpora/newsroom").path,
                                              "--output", model.path + ".new", "--quiet", "--calibration-folds", "0"], stdin: "")
        #expect(other.status == 0)
        try? FileManager.default.removeItem(at: model)
        try FileManager.default.moveItem(atPath: model.path + ".new", toPath: model.path)
        kill(s.process.processIdentifier, SIGHUP)
        var after: String?
        for _ in 0..<100 {
            after = try await s.request("GET", "/v1/model", headers: auth).object["checksum"] as? String
            if after != before { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(after != before)
        let route = try await s.request("POST", "/v1/admin/reload", headers: auth)
        #expect(route.status == 200 && route.object["checksum"] as? String == after)
        #expect(s.stop() == 0)
    }

    /// SIGTERM: the request in flight is answered, then the process exits 0.
    @Test func sigtermDrainsRequestsInFlight() async throws {
        let s = try Self.server(["--time-budget", "300"])
        let long = (0..<600).map { ["text": Self.article + " \($0)"] }
        async let reply = s.post("/v1/annotate", object: long)
        // Wait until the batch is in flight.
        for _ in 0..<200 {
            let metrics = try await s.request("GET", "/metrics").text
            if metrics.contains("copydesk_http_requests_in_flight 1") { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        kill(s.process.processIdentifier, SIGTERM)
        let answered = try await reply
        #expect(answered.status == 200)
        #expect((answered.json as? [Any])?.count == 600)
        #expect(s.stop(within: 30) == 0)
    }

    /// `copydesk serve` runs the service program with its options.
    @Test func theCommandLineToolStartsTheService() async throws {
        let s = try ServerProcess(["serve", "--model", ServerProcess.shippedModel], executable: ServerProcess.cli)
        #expect(try await s.request("GET", "/healthz").status == 200)
        #expect(s.stop() == 0)
    }
}
