import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A `copydesk-serve` process on a free loopback port, started and stopped by the test itself.
final class ServerProcess: @unchecked Sendable {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let binary = packageRoot.appendingPathComponent(".build/debug/copydesk-serve").path
    static let cli = packageRoot.appendingPathComponent(".build/debug/copydesk").path
    static let shippedModel = packageRoot.appendingPathComponent("models/sections.cdm").path

    let process = Process()
    let port: Int
    private let stderrFile: URL
    private let stdoutPipe = Pipe()

    /// Starts the service with `arguments` (after `--port 0`) and waits (at most 20 s) for its address.
    init(_ arguments: [String], executable: String = ServerProcess.binary) throws {
        stderrFile = FileManager.default.temporaryDirectory.appendingPathComponent("copydesk-serve-\(UUID().uuidString).log")
        FileManager.default.createFile(atPath: stderrFile.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments + ["--port", "0"]
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "COPYDESK_MODEL")
        process.environment = env
        process.standardOutput = stdoutPipe
        process.standardError = try FileHandle(forWritingTo: stderrFile)
        try process.run()
        var seen = ""
        let deadline = Date().addingTimeInterval(20)
        var found: Int?
        while found == nil && Date() < deadline && process.isRunning {
            let data = stdoutPipe.fileHandleForReading.availableData
            if data.isEmpty { Thread.sleep(forTimeInterval: 0.02); continue }
            seen += String(decoding: data, as: UTF8.self)
            if let range = seen.range(of: #"listening on http://[^:]+:(\d+)"#, options: .regularExpression) {
                found = Int(seen[range].split(separator: ":").last!)
            }
        }
        guard let found else {
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
            throw ServerError.didNotStart(stdout: seen, stderr: (try? String(contentsOf: stderrFile, encoding: .utf8)) ?? "")
        }
        port = found
    }

    enum ServerError: Error { case didNotStart(stdout: String, stderr: String) }

    var log: String { (try? String(contentsOf: stderrFile, encoding: .utf8)) ?? "" }

    struct Reply {
        var status: Int
        var headers: [String: String]
        var body: Data
        var text: String { String(decoding: body, as: UTF8.self) }
        var json: Any? { try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed]) }
        var object: [String: Any] { json as? [String: Any] ?? [:] }
    }

    /// One request; a dedicated session so that tests do not share connections.
    func request(_ method: String, _ path: String, body: Data? = nil, headers: [String: String] = [:],
                 timeout: TimeInterval = 30) async throws -> Reply {
        var r = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        r.httpMethod = method
        r.httpBody = body
        r.timeoutInterval = timeout
        for (k, v) in headers { r.setValue(v, forHTTPHeaderField: k) }
        if body != nil && headers["Content-Type"] == nil { r.setValue("application/json", forHTTPHeaderField: "Content-Type") }
        let (data, response) = try await URLSession.shared.data(for: r)
        let http = response as! HTTPURLResponse
        var fields: [String: String] = [:]
        for (k, v) in http.allHeaderFields { fields[String(describing: k).lowercased()] = String(describing: v) }
        return Reply(status: http.statusCode, headers: fields, body: data)
    }

    func post(_ path: String, _ json: String, headers: [String: String] = [:]) async throws -> Reply {
        try await request("POST", path, body: Data(json.utf8), headers: headers)
    }

    func post(_ path: String, object: Any, headers: [String: String] = [:]) async throws -> Reply {
        try await request("POST", path, body: try JSONSerialization.data(withJSONObject: object), headers: headers)
    }

    /// Sends `signal` and waits (at most `seconds`) for the process to end; its exit status.
    @discardableResult
    func stop(_ signal: Int32 = SIGTERM, within seconds: TimeInterval = 15) -> Int32? {
        if process.isRunning { kill(process.processIdentifier, signal) }
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if process.isRunning {
            process.interrupt()
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return nil
        }
        return process.terminationStatus
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: stderrFile)
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("copydesk-serve-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Runs the command-line tool and returns its standard output.
    static func runCLI(_ arguments: [String], stdin: String) throws -> (status: Int32, stdout: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: cli)
        p.arguments = arguments
        let out = Pipe(), input = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        p.standardInput = input
        try p.run()
        input.fileHandleForWriting.write(Data(stdin.utf8))
        try input.fileHandleForWriting.close()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
