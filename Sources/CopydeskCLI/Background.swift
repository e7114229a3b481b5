import Foundation

/// Work started on its own thread now and collected later: a command loads its model while it
/// reads its input, as the two do not depend on each other.
///
/// `result` is written once by the worker before it signals `done` and read only after `done` is
/// waited for; the semaphore orders the two, hence `@unchecked Sendable`.
final class Background<T>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var result: Result<T, any Error>?

    init(_ work: @escaping @Sendable () throws -> T) {
        let thread = Thread { [self] in
            result = Result { try work() }
            done.signal()
        }
        thread.stackSize = 1 << 22
        thread.start()
    }

    /// Waits for the work and returns its value or throws its error. Call once.
    func value() throws -> T {
        done.wait()
        return try result!.get()
    }
}
