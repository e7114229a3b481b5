import Copydesk
import Dispatch
import Foundation
import Synchronization

/// The work behind the `/v1/` routes: classify, summarize or both, for one article or a batch,
/// with the same fields as `classify --json` and `summarize --json`.
struct Annotator: Sendable {
    enum Job: String, Sendable { case classify, summarize, annotate }

    let options: ServiceOptions
    let summarizer = Summarizer()

    /// The answer's JSON (an object, or an array for a batch). A single article that cannot be read
    /// is a 422; in a batch it is that item's `{"id", "error"}`.
    func run(_ task: Job, _ items: [AnnotationRequest], batch: Bool, model: ModelStore.Loaded) throws(APIError) -> String {
        let threads = items.count >= 16 ? 2 : 1
        // Pages are read first (their title fills a missing one).
        let inputs: [Result<(title: String?, text: String, fromHTML: Bool), APIError>] = items.enumerated().map { n, item in
            let place = batch ? "item \(n): " : ""
            if let text = item.text { return .success((item.title, text, false)) }
            do {
                let page = try ArticleExtractor().extract(bytes: item.html ?? [], source: "the page")
                guard !page.text.isEmpty else {
                    return .failure(APIError(status: 422, message: place + "no article text was found in the page"))
                }
                return .success((item.title ?? page.title, page.text, true))
            } catch {
                return .failure(APIError(status: 422, message: place + "\(error)"))
            }
        }
        var classified: [Int: Prediction] = [:]
        if task != .summarize {
            // Batched by the number of explained terms asked (most batches ask one).
            var byExplain: [Int: [Int]] = [:]
            for (n, input) in inputs.enumerated() where (try? input.get()) != nil { byExplain[items[n].explain, default: []].append(n) }
            for (explain, indices) in byExplain {
                let texts = indices.map { n -> String in
                    let input = try! inputs[n].get()
                    if let title = input.title, !title.isEmpty { return title + "\n" + input.text }
                    return input.text
                }
                for (n, p) in zip(indices, model.classifier.classify(texts, explain: explain, threads: threads)) { classified[n] = p }
            }
        }
        var summaries: [Int: Result<ArticleSummary, any Error>] = [:]
        if task != .classify {
            for (n, input) in inputs.enumerated() {
                guard case let .success(a) = input else { continue }
                let item = items[n]
                summaries[n] = Result {
                    try summarizer.summarize(a.text, title: a.title, length: .sentences(item.sentences ?? options.summarySentences),
                                             teaserCharacters: item.teaserCharacters ?? options.teaserCharacters,
                                             clean: !a.fromHTML, source: batch ? "item \(n)" : "the article")
                }
            }
        }
        var answers: [Any] = []
        for (n, item) in items.enumerated() {
            var object: [String: Any] = [:]
            var failure: APIError?
            if case let .failure(error) = inputs[n] { failure = error }
            if failure == nil, let p = classified[n] {
                object = AnnotationJSON.classification(p, id: nil, desk: model.desk, top: item.top, explain: item.explain > 0,
                                                       reviewBelow: item.reviewBelow ?? options.reviewBelow)
            }
            if failure == nil, let s = summaries[n] {
                switch s {
                case let .success(summary):
                    object.merge(AnnotationJSON.summary(summary, id: nil, scores: item.scores)) { a, _ in a }
                case let .failure(error):
                    failure = APIError(status: 422, message: "\(error)")
                }
            }
            if let failure {
                guard batch else { throw failure }
                object = ["error": failure.message]
            }
            if let id = item.id { object["id"] = id }
            answers.append(object)
        }
        return JSONLine.line(batch ? answers as Any : answers[0])
    }
}

/// Runs `work` on a worker thread and waits at most `budget` for it: past the budget the caller
/// gets nil (and answers 503) while the work finishes unseen. Request work is CPU-bound and must not
/// hold the server's event loops.
func withinBudget<T: Sendable>(_ budget: Duration, _ work: @escaping @Sendable () -> T) async -> T? {
    let once = Once()
    let (seconds, attoseconds) = budget.components
    let delay = Double(seconds) + Double(attoseconds) * 1e-18
    return await withCheckedContinuation { (answer: CheckedContinuation<T?, Never>) in
        let timeout = TimerItem(DispatchWorkItem {
            if once.claim() { answer.resume(returning: nil) }
        })
        DispatchQueue.global().asyncAfter(deadline: .now() + delay, execute: timeout.item)
        DispatchQueue.global().async {
            let result = work()
            // The timer is cancelled once the work is done, so finished requests leave none behind.
            timeout.item.cancel()
            if once.claim() { answer.resume(returning: result) }
        }
    }
}

/// A timer's work item, handed to the worker that cancels it (cancelling is thread-safe).
struct TimerItem: @unchecked Sendable {
    let item: DispatchWorkItem
    init(_ item: DispatchWorkItem) { self.item = item }
}

/// A flag the first of several racers claims.
final class Once: Sendable {
    private let taken = Mutex(false)

    /// True for the first caller only.
    func claim() -> Bool {
        taken.withLock { t in
            defer { t = true }
            return !t
        }
    }
}
