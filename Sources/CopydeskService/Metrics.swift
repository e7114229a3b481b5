import Foundation
import Synchronization

/// The service's counters in the Prometheus text format (version 0.0.4): requests by route and
/// status, a latency histogram by route, requests in flight, and the model's load time.
final class Metrics: Sendable {
    /// Upper bounds of the latency buckets, in seconds.
    static let buckets: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    private struct Histogram {
        var counts = [Int](repeating: 0, count: Metrics.buckets.count)
        var sum = 0.0
        var count = 0
    }

    private struct State {
        var requests: [String: [Int: Int]] = [:]
        var latency: [String: Histogram] = [:]
        var inFlight = 0
        var reloads: [String: Int] = [:]
    }

    private let state = Mutex(State())

    /// Counts a request in; false (and not counted) when `limit` are already in flight.
    func enter(limit: Int) -> Bool {
        state.withLock { s in
            guard s.inFlight < limit else { return false }
            s.inFlight += 1
            return true
        }
    }

    func leave() {
        state.withLock { $0.inFlight -= 1 }
    }

    func record(route: String, status: Int, seconds: Double) {
        state.withLock { s in
            s.requests[route, default: [:]][status, default: 0] += 1
            var h = s.latency[route] ?? Histogram()
            if let b = Metrics.buckets.firstIndex(where: { seconds <= $0 }) { h.counts[b] += 1 }
            h.sum += seconds
            h.count += 1
            s.latency[route] = h
        }
    }

    func recordReload(succeeded: Bool) {
        state.withLock { $0.reloads[succeeded ? "ok" : "refused", default: 0] += 1 }
    }

    var inFlight: Int { state.withLock { $0.inFlight } }

    /// The exposition text.
    func render(model: ModelStore.Loaded) -> String {
        let s = state.withLock { $0 }
        var out = ""
        out += "# HELP copydesk_http_requests_total Requests answered, by route and status.\n"
        out += "# TYPE copydesk_http_requests_total counter\n"
        for route in s.requests.keys.sorted() {
            for (status, n) in s.requests[route]!.sorted(by: { $0.key < $1.key }) {
                out += "copydesk_http_requests_total{route=\"\(route)\",status=\"\(status)\"} \(n)\n"
            }
        }
        out += "# HELP copydesk_http_request_duration_seconds Time from a request's arrival to its answer, by route.\n"
        out += "# TYPE copydesk_http_request_duration_seconds histogram\n"
        for route in s.latency.keys.sorted() {
            let h = s.latency[route]!
            var cumulative = 0
            for (b, bound) in Metrics.buckets.enumerated() {
                cumulative += h.counts[b]
                out += "copydesk_http_request_duration_seconds_bucket{route=\"\(route)\",le=\"\(bound)\"} \(cumulative)\n"
            }
            out += "copydesk_http_request_duration_seconds_bucket{route=\"\(route)\",le=\"+Inf\"} \(h.count)\n"
            out += "copydesk_http_request_duration_seconds_sum{route=\"\(route)\"} \(h.sum)\n"
            out += "copydesk_http_request_duration_seconds_count{route=\"\(route)\"} \(h.count)\n"
        }
        out += "# HELP copydesk_http_requests_in_flight Requests being answered now.\n"
        out += "# TYPE copydesk_http_requests_in_flight gauge\n"
        out += "copydesk_http_requests_in_flight \(s.inFlight)\n"
        out += "# HELP copydesk_model_reloads_total Model reloads, by result.\n"
        out += "# TYPE copydesk_model_reloads_total counter\n"
        for result in ["ok", "refused"] {
            out += "copydesk_model_reloads_total{result=\"\(result)\"} \(s.reloads[result] ?? 0)\n"
        }
        out += "# HELP copydesk_model_loaded_timestamp_seconds When the model in use was loaded.\n"
        out += "# TYPE copydesk_model_loaded_timestamp_seconds gauge\n"
        out += "copydesk_model_loaded_timestamp_seconds{checksum=\"\(model.checksum)\"} \(model.loadedAt.timeIntervalSince1970)\n"
        return out
    }
}
