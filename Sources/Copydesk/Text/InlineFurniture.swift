import Foundation

/// Page furniture that arrives glued inside the article's own paragraphs, as scraped wire and
/// tabloid copy carries it: a photo caption run into the next sentence without a period ("…on
/// Friday ‘I’d be over the moon"), "Scroll down for video", "Share this with Email Facebook …",
/// "Read more:", credit lines.
///
/// ``separate(_:)`` takes the splitter's sentences and returns the article's sentences without
/// it: a sentence is cut where a caption ends and prose resumes, then pieces that are furniture are
/// dropped:
/// - a cut is made after a word with no closing punctuation when what follows opens a sentence: an
///   opening quote before a capital (`Friday ‘I’d`), a capitalised sentence opener (`colleague The
///   cost`), or a caption label (`magazine Short and sweet: Julia`), and both sides keep at least
///   four words;
/// - a piece is furniture when it holds a furniture phrase, is a credit line (`(Getty Images)`,
///   `Photo: …`), or was cut off by such a cut and does not end like a sentence (a caption).
///
/// The article's last sentence may lack a period and is kept. Nothing is dropped from an article
/// that would lose all its sentences. A sentence of more than ``suspectWords`` words that survives
/// is still suspect: ``isSuspect(_:)`` tells the summarizer not to prefer it for its length.
public enum InlineFurniture {
    /// Words above which a "sentence" is more likely a run of captions and prose than one sentence.
    public static let suspectWords = 60

    /// Phrases that only page furniture contains (compared case-insensitively).
    static let phrases = [
        "scroll down for video", "scroll down to see", "share this with", "share or comment on this article",
        "read more:", "click here to", "sign up for our", "follow us on", "like us on facebook",
        "for confidential support call", "watch the video", "comments (", "download the app",
    ]

    /// Capitalised words that open a sentence in prose and are rare inside one.
    static let openers: Set<String> = [
        "The", "He", "She", "It", "They", "We", "His", "Her", "Their", "Its", "This", "That", "These", "Those",
        "But", "However", "Meanwhile", "After", "Before", "When", "While", "Although", "Now", "Police", "Officials",
    ]

    /// Whether a surviving sentence is too long to trust as one sentence.
    public static func isSuspect(_ words: Int) -> Bool { words > suspectWords }

    /// The sentences with glued captions cut off and furniture dropped, in order.
    public static func separate(_ sentences: [String]) -> [String] {
        var out: [String] = []
        out.reserveCapacity(sentences.count)
        for (n, sentence) in sentences.enumerated() {
            let pieces = cut(sentence)
            for (k, piece) in pieces.enumerated() {
                let isLast = n == sentences.count - 1 && k == pieces.count - 1
                let wasCut = pieces.count > 1 && k < pieces.count - 1
                if isFurniture(piece, cutOff: wasCut, last: isLast) { continue }
                out.append(piece)
            }
        }
        return out.isEmpty ? sentences : out
    }

    /// Whether `piece` is furniture. `cutOff`: a cut ended it (so it ended without punctuation).
    static func isFurniture(_ piece: String, cutOff: Bool, last: Bool) -> Bool {
        let lower = piece.lowercased()
        if phrases.contains(where: { lower.contains($0) }) { return true }
        if isCredit(piece) { return true }
        if cutOff && !last && !endsLikeSentence(piece) { return true }
        return false
    }

    /// `(Getty Images)`, `Photo: AP`, `Picture: Reuters`, `Credit: …`, `Image copyright …`.
    static func isCredit(_ piece: String) -> Bool {
        let trimmed = piece.trimmingCharacters(in: .whitespaces)
        for prefix in ["Photo:", "Photograph:", "Picture:", "Pictures:", "Credit:", "Image:", "Image copyright", "Media caption", "Image caption"]
            where trimmed.hasPrefix(prefix) { return true }
        let words = trimmed.split(separator: " ")
        return words.count <= 6 && (trimmed.contains("Getty Images") || trimmed.contains("AP Photo") || trimmed.contains("Reuters)"))
    }

    static func endsLikeSentence(_ s: String) -> Bool {
        var scalars = s.unicodeScalars.reversed().makeIterator()
        while let c = scalars.next() {
            if " \"'”’)]»".unicodeScalars.contains(c) { continue }
            return ".?!…".unicodeScalars.contains(c)
        }
        return false
    }

    /// `sentence` cut where a caption runs into prose. Only sentences of at least ``minimumWords``
    /// words are looked at: a glued caption makes a sentence long, and a short one is left alone.
    static func cut(_ sentence: String) -> [String] {
        let words = sentence.split(separator: " ", omittingEmptySubsequences: true)
        guard words.count >= minimumWords else { return [sentence] }
        var pieces: [String] = []
        var start = 0
        for i in 4..<(words.count - 3) where i - start >= 4 {
            let before = words[i - 1], next = words[i]
            guard let last = before.unicodeScalars.last, let first = before.unicodeScalars.first,
                  last.properties.isAlphabetic || last.properties.numericType != nil || last == ")" else { continue }
            let lowerBefore = first.properties.isLowercase
            let cutHere: Bool
            if opensQuote(next) {
                // "…on Friday ‘I’d be", "(pictured) “We": a caption ends in a name, a date or a
                // bracket; prose runs a quote on after a lower-case word ("a ‘Trojan horse’").
                cutHere = !lowerBefore
            } else if lowerBefore || first.properties.numericType != nil {
                // "…than a colleague The cost of": an opener followed by a lower-case word (not
                // "The Hague").
                let then = words[i + 1].unicodeScalars.first
                cutHere = (openers.contains(String(next)) && then?.properties.isLowercase == true) || opensLabel(words, at: i)
            } else {
                cutHere = false
            }
            if cutHere {
                pieces.append(words[start..<i].joined(separator: " "))
                start = i
            }
        }
        guard !pieces.isEmpty else { return [sentence] }
        pieces.append(words[start...].joined(separator: " "))
        return pieces
    }

    /// Sentences shorter than this are never cut.
    static let minimumWords = 25

    /// `‘I’d`, `“We`, `"It`: an opening quote before a capital.
    static func opensQuote(_ word: Substring) -> Bool {
        var scalars = word.unicodeScalars.makeIterator()
        guard let q = scalars.next(), q == "\u{2018}" || q == "\u{201C}" || q == "\"",
              let c = scalars.next() else { return false }
        return c.properties.isUppercase
    }

    /// A caption label: a capitalised phrase of one to four words ending in a colon
    /// ("Short and sweet: Julia…", "Strictly business: …").
    static func opensLabel(_ words: [Substring], at i: Int) -> Bool {
        guard let first = words[i].unicodeScalars.first, first.properties.isUppercase else { return false }
        for k in i..<min(i + 4, words.count - 1) {
            if words[k].hasSuffix(":") { return k + 1 < words.count && (words[k + 1].unicodeScalars.first?.properties.isUppercase ?? false) }
            if let l = words[k].unicodeScalars.last, ".,;!?".unicodeScalars.contains(l) { return false }
        }
        return false
    }
}
