/// Training data that cannot produce a classifier.
public enum TrainingError: Error, Equatable, CustomStringConvertible {
    case tooFewSections(found: [String])
    case emptyVocabulary(documents: Int)

    public var description: String {
        switch self {
        case let .tooFewSections(found):
            "the training corpus has \(found.count) section(s)\(found.isEmpty ? "" : " (\(found.joined(separator: ", ")))"); a classifier needs articles from at least 2"
        case let .emptyVocabulary(documents):
            "no term of the \(documents) training articles survives the vocabulary settings; lower --min-df or raise --max-df"
        }
    }
}
