/// A parameter outside its allowed range, found before any work is done.
public struct ConfigurationError: Error, Equatable, CustomStringConvertible {
    public let parameter: String
    public let value: String
    public let expected: String

    public init(parameter: String, value: String, expected: String) {
        self.parameter = parameter
        self.value = value
        self.expected = expected
    }

    public var description: String { "invalid \(parameter) \(value): expected \(expected)" }
}
