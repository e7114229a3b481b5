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
        if containsPhrase(piece) { return true }
        if isCredit(piece) { return true }
        if cutOff && !last && !endsLikeSentence(piece) { return true }
        return false
    }

    /// ``phrases``, for one case-insensitive pass over a sentence's bytes.
    static let phraseSet = PhraseSet(phrases)

    /// Whether `text` contains one of ``phrases`` at a word's start, ignoring ASCII case.
    static func containsPhrase(_ text: String) -> Bool {
        var copy = text
        return copy.withUTF8 { phraseSet.occurs(in: $0, wordStartsOnly: true) }
    }

    /// Credit-line openings.
    static let creditPrefixes: [[UInt8]] = ["Photo:", "Photograph:", "Picture:", "Pictures:", "Credit:", "Image:",
                                            "Image copyright", "Media caption", "Image caption"].map { Array($0.utf8) }

    /// `(Getty Images)`, `Photo: AP`, `Picture: Reuters`, `Credit: …`, `Image copyright …`.
    static func isCredit(_ piece: String) -> Bool {
        var copy = piece
        let (prefixed, short) = copy.withUTF8 { bytes -> (Bool, Bool) in
            var start = 0
            while start < bytes.count, bytes[start] == 0x20 { start += 1 }
            guard start < bytes.count, (bytes[start] >= 0x41 && bytes[start] <= 0x5A) || bytes[start] == 0x28 else { return (false, false) }
            let rest = UnsafeBufferPointer(rebasing: bytes[start...])
            // The prefixes open with C, I, M or P.
            let first = rest[0]
            let prefixed = (first == 0x43 || first == 0x49 || first == 0x4D || first == 0x50)
                && creditPrefixes.contains { $0.count <= rest.count && memcmp(rest.baseAddress!, $0, $0.count) == 0 }
            return (prefixed, !prefixed && wordCount(rest, atMost: 7) <= 6)
        }
        if prefixed { return true }
        guard short else { return false }
        return piece.contains("Getty Images") || piece.contains("AP Photo") || piece.contains("Reuters)")
    }

    /// Words separated by spaces, counted over the bytes.
    static func wordCount(_ s: String, atMost: Int = .max) -> Int {
        var copy = s
        return copy.withUTF8 { wordCount($0, atMost: atMost) }
    }

    /// Words of `bytes`, counting no further than `atMost`.
    static func wordCount(_ bytes: UnsafeBufferPointer<UInt8>, atMost: Int = .max) -> Int {
        var count = 0, inWord = false
        for b in bytes {
            if b == 0x20 { inWord = false } else if !inWord {
                count += 1
                inWord = true
                if count >= atMost { return count }
            }
        }
        return count
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
    /// Works on the UTF-8 bytes; strings are made only for the pieces of a sentence that is cut.
    static func cut(_ sentence: String) -> [String] {
        var copy = sentence
        return copy.withUTF8 { bytes in
            guard wordCount(bytes, atMost: minimumWords) >= minimumWords else { return [sentence] }
            return cut(sentence, bytes)
        }
    }

    /// ``cut(_:)`` of a sentence of at least ``minimumWords`` words, over its bytes.
    private static func cut(_ sentence: String, _ bytes: UnsafeBufferPointer<UInt8>) -> [String] {
        // Words as byte ranges between single spaces.
        var words: [Range<Int>] = []
        words.reserveCapacity(bytes.count / 4)
        var start = -1
        for (i, b) in bytes.enumerated() {
            if b == 0x20 {
                if start >= 0 { words.append(start..<i); start = -1 }
            } else if start < 0 {
                start = i
            }
        }
        if start >= 0 { words.append(start..<bytes.count) }
        guard words.count >= minimumWords else { return [sentence] }
        func isUpper(_ b: UInt8) -> Bool { b >= 0x41 && b <= 0x5A }
        func isLower(_ b: UInt8) -> Bool { b >= 0x61 && b <= 0x7A }
        func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
        /// A word that opens with a quote before a capital: ‘ “ (E2 80 98 / 9C) or ".
        func opensQuote(_ w: Range<Int>) -> Bool {
            if bytes[w.lowerBound] == 0x22 { return w.count > 1 && isUpper(bytes[w.lowerBound + 1]) }
            return w.count > 3 && bytes[w.lowerBound] == 0xE2 && bytes[w.lowerBound + 1] == 0x80
                && (bytes[w.lowerBound + 2] == 0x98 || bytes[w.lowerBound + 2] == 0x9C) && isUpper(bytes[w.lowerBound + 3])
        }
        func isOpener(_ w: Range<Int>) -> Bool {
            openerBytes.contains { $0.count == w.count && memcmp(bytes.baseAddress! + w.lowerBound, $0, w.count) == 0 }
        }
        /// A capitalised phrase of one to four words ending in a colon, then a capital.
        func opensLabel(_ i: Int) -> Bool {
            guard isUpper(bytes[words[i].lowerBound]) else { return false }
            for k in i..<min(i + 4, words.count - 1) {
                let last = bytes[words[k].upperBound - 1]
                if last == 0x3A { return isUpper(bytes[words[k + 1].lowerBound]) }
                if last == 0x2E || last == 0x2C || last == 0x3B || last == 0x21 || last == 0x3F { return false }
            }
            return false
        }
        var cuts: [Int] = []
        var from = 0
        for i in 4..<(words.count - 3) where i - from >= 4 {
            let before = words[i - 1]
            let first = bytes[before.lowerBound], last = bytes[before.upperBound - 1]
            // The word before ends without punctuation: a letter (any script), a digit or ")".
            guard isLower(last) || isUpper(last) || isDigit(last) || last == 0x29 || last >= 0x80 else { continue }
            let next = words[i]
            let cutHere: Bool
            if opensQuote(next) {
                // "…on Friday ‘I’d be", "(pictured) “We": a caption ends in a name, a date or a
                // bracket; prose runs a quote on after a lower-case word ("a ‘Trojan horse’").
                cutHere = !isLower(first)
            } else if isLower(first) || isDigit(first) {
                // "…than a colleague The cost of": an opener followed by a lower-case word (not
                // "The Hague"); or a caption label.
                cutHere = isUpper(bytes[next.lowerBound])
                    && ((isLower(bytes[words[i + 1].lowerBound]) && isOpener(next)) || opensLabel(i))
            } else {
                cutHere = false
            }
            if cutHere {
                cuts.append(i)
                from = i
            }
        }
        guard !cuts.isEmpty else { return [sentence] }
        var pieces: [String] = []
        var pieceStart = words[0].lowerBound
        for c in cuts {
            pieces.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[pieceStart..<words[c - 1].upperBound]), as: UTF8.self))
            pieceStart = words[c].lowerBound
        }
        pieces.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[pieceStart..<bytes.count]), as: UTF8.self))
        return pieces
    }

    static let openerBytes: [[UInt8]] = openers.map { Array($0.utf8) }

    /// Sentences shorter than this are never cut.
    static let minimumWords = 25
}
