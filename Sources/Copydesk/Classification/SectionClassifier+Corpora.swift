extension SectionClassifier {
    /// Trains on labelled corpora, each read as its desk (a record's own desk wins over its
    /// corpus's): every desk's places become place words through one matcher per desk profile.
    public static func train(corpora: [(articles: [Article], desk: DeskProfile?)], tfidf: TFIDFConfiguration = .init(),
                             regression: LogisticRegressionConfiguration = .init(),
                             progress: ((TrainingEvent) -> Void)? = nil) throws -> SectionClassifier {
        var matchers: [DeskProfile: PlaceMatcher] = [:]
        func matcher(_ profile: DeskProfile?) -> PlaceMatcher? {
            guard let profile else { return nil }
            if let m = matchers[profile] { return m }
            let m = PlaceMatcher(profile: profile)
            matchers[profile] = m
            return m
        }
        var examples: [LabeledText] = []
        for (articles, desk) in corpora {
            examples += articles.map { LabeledText(text: $0.classifierInput, label: $0.label ?? "", desk: matcher($0.desk ?? desk)) }
        }
        return try train(examples, tfidf: tfidf, regression: regression, progress: progress)
    }
}
