/// The Porter stemmer (M. F. Porter, "An algorithm for suffix stripping", Program 14(3), 1980) with
/// the NLTK extensions, because Google's `rouge-score` stems with NLTK's `PorterStemmer()` default
/// mode and Copydesk's ROUGE must agree with it to the last digit. The extensions: a small table of
/// irregular forms, words of two letters or fewer left alone, `-ies`/`-ied` on four-letter words
/// kept as `-ie`, `y → i` only after a consonant that is not the first letter, `-alli → -al` applied
/// before step 2, `-bli → -ble`, `-fulli → -ful`, `-logi → -log`, and `cvc` also true for a
/// two-letter vowel-consonant stem.
///
/// Works on lowercase ASCII letters and digits (what ROUGE tokens are made of).
public enum PorterStemmer {
    static let irregular: [String: String] = [
        "skies": "sky", "sky": "sky", "dying": "die", "lying": "lie", "tying": "tie", "news": "news",
        "innings": "inning", "inning": "inning", "outings": "outing", "outing": "outing",
        "cannings": "canning", "canning": "canning", "howe": "howe", "proceed": "proceed",
        "exceed": "exceed", "succeed": "succeed",
    ]

    public static func stem(_ word: String) -> String {
        if let irregular = irregular[word] { return irregular }
        guard word.utf8.count > 2 else { return word }
        var w = Array(word.utf8)
        step1a(&w)
        step1b(&w)
        step1c(&w)
        step2(&w)
        step3(&w)
        step4(&w)
        step5a(&w)
        step5b(&w)
        return String(decoding: w, as: UTF8.self)
    }

    // MARK: - Letters and measures

    @inline(__always) static func isVowel(_ c: UInt8) -> Bool {
        c == 0x61 || c == 0x65 || c == 0x69 || c == 0x6F || c == 0x75
    }

    /// Whether `w[i]` is a consonant: not a vowel, and a `y` only when it starts the word or follows
    /// a vowel (so the parity of a run of y's decides). Iterative: a token may be very long.
    static func isConsonant(_ w: ArraySlice<UInt8>, _ i: Int) -> Bool {
        let c = w[i]
        if isVowel(c) { return false }
        if c != 0x79 { return true }
        var j = i
        var negate = false
        while j > w.startIndex && w[j] == 0x79 { negate.toggle(); j -= 1 }
        return !isVowel(w[j]) != negate
    }

    /// Porter's `m`: the number of vowel-to-consonant transitions, in one pass.
    static func measure(_ w: ArraySlice<UInt8>) -> Int {
        var m = 0
        var previousConsonant = true
        var previousVowel = false
        for i in w.indices {
            let c = w[i]
            let consonant = isVowel(c) ? false : (c == 0x79 ? (i == w.startIndex ? true : !previousConsonant) : true)
            if consonant && previousVowel { m += 1 }
            previousVowel = !consonant
            previousConsonant = consonant
        }
        return m
    }

    static func containsVowel(_ w: ArraySlice<UInt8>) -> Bool {
        var previousConsonant = true
        for i in w.indices {
            let c = w[i]
            let consonant = isVowel(c) ? false : (c == 0x79 ? (i == w.startIndex ? true : !previousConsonant) : true)
            if !consonant { return true }
            previousConsonant = consonant
        }
        return false
    }

    static func endsDoubleConsonant(_ w: ArraySlice<UInt8>) -> Bool {
        let n = w.count
        return n >= 2 && w[w.endIndex - 1] == w[w.endIndex - 2] && isConsonant(w, w.endIndex - 1)
    }

    /// Consonant-vowel-consonant at the end, the last not w, x or y; or (NLTK) a two-letter
    /// vowel-consonant word.
    static func endsCVC(_ w: ArraySlice<UInt8>) -> Bool {
        let n = w.count, e = w.endIndex
        if n >= 3 && isConsonant(w, e - 3) && !isConsonant(w, e - 2) && isConsonant(w, e - 1)
            && w[e - 1] != 0x77 && w[e - 1] != 0x78 && w[e - 1] != 0x79 { return true }
        return n == 2 && !isConsonant(w, e - 2) && isConsonant(w, e - 1)
    }

    static func ends(_ w: [UInt8], _ suffix: String) -> Bool {
        let s = Array(suffix.utf8)
        return w.count >= s.count && w[(w.count - s.count)...].elementsEqual(s)
    }

    /// The rules of one step: the first rule whose suffix matches decides; if its condition on the
    /// remaining stem fails, the word is left as it is.
    static func apply(_ w: inout [UInt8], _ rules: [(String, String, (ArraySlice<UInt8>) -> Bool)]) {
        for (suffix, replacement, condition) in rules where ends(w, suffix) {
            let stem = w[..<(w.count - suffix.utf8.count)]
            if condition(stem) { w = Array(stem) + Array(replacement.utf8) }
            return
        }
    }

    static func positive(_ stem: ArraySlice<UInt8>) -> Bool { measure(stem) > 0 }
    static func greaterThanOne(_ stem: ArraySlice<UInt8>) -> Bool { measure(stem) > 1 }
    static func always(_ stem: ArraySlice<UInt8>) -> Bool { true }

    // MARK: - Steps

    static func step1a(_ w: inout [UInt8]) {
        if ends(w, "ies") && w.count == 4 { w.removeLast(); return }  // ties → tie
        apply(&w, [("sses", "ss", always), ("ies", "i", always), ("ss", "ss", always), ("s", "", always)])
    }

    static func step1b(_ w: inout [UInt8]) {
        if ends(w, "ied") {
            if w.count == 4 { w.removeLast() } else { w.removeLast(2) }  // died → die, cried → cri
            return
        }
        if ends(w, "eed") {
            if measure(w[..<(w.count - 3)]) > 0 { w.removeLast() }
            return
        }
        var stem: [UInt8]
        if ends(w, "ed") && containsVowel(w[..<(w.count - 2)]) { stem = Array(w[..<(w.count - 2)]) }
        else if ends(w, "ing") && containsVowel(w[..<(w.count - 3)]) { stem = Array(w[..<(w.count - 3)]) }
        else { return }
        if ends(stem, "at") || ends(stem, "bl") || ends(stem, "iz") {
            stem.append(0x65)
        } else if endsDoubleConsonant(stem[...]) {
            let last = stem[stem.count - 1]
            if last != 0x6C && last != 0x73 && last != 0x7A { stem.removeLast() }
        } else if measure(stem[...]) == 1 && endsCVC(stem[...]) {
            stem.append(0x65)
        }
        w = stem
    }

    static func step1c(_ w: inout [UInt8]) {
        guard ends(w, "y") else { return }
        let stem = w[..<(w.count - 1)]
        if stem.count > 1 && isConsonant(stem, stem.endIndex - 1) { w[w.count - 1] = 0x69 }
    }

    static func step2(_ w: inout [UInt8]) {
        if ends(w, "alli") && measure(w[..<(w.count - 4)]) > 0 {
            w = Array(w[..<(w.count - 4)]) + Array("al".utf8)
            step2(&w)
            return
        }
        let word = w
        apply(&w, [
            ("ational", "ate", positive), ("tional", "tion", positive), ("enci", "ence", positive),
            ("anci", "ance", positive), ("izer", "ize", positive), ("bli", "ble", positive),
            ("alli", "al", positive), ("entli", "ent", positive), ("eli", "e", positive),
            ("ousli", "ous", positive), ("ization", "ize", positive), ("ation", "ate", positive),
            ("ator", "ate", positive), ("alism", "al", positive), ("iveness", "ive", positive),
            ("fulness", "ful", positive), ("ousness", "ous", positive), ("aliti", "al", positive),
            ("iviti", "ive", positive), ("biliti", "ble", positive), ("fulli", "ful", positive),
            // NLTK measures the word without "ogi" here, not the stem without "logi".
            ("logi", "log", { _ in measure(word[..<(word.count - 3)]) > 0 }),
        ])
    }

    static func step3(_ w: inout [UInt8]) {
        apply(&w, [
            ("icate", "ic", positive), ("ative", "", positive), ("alize", "al", positive),
            ("iciti", "ic", positive), ("ical", "ic", positive), ("ful", "", positive), ("ness", "", positive),
        ])
    }

    static func step4(_ w: inout [UInt8]) {
        apply(&w, [
            ("al", "", greaterThanOne), ("ance", "", greaterThanOne), ("ence", "", greaterThanOne),
            ("er", "", greaterThanOne), ("ic", "", greaterThanOne), ("able", "", greaterThanOne),
            ("ible", "", greaterThanOne), ("ant", "", greaterThanOne), ("ement", "", greaterThanOne),
            ("ment", "", greaterThanOne), ("ent", "", greaterThanOne),
            ("ion", "", { measure($0) > 1 && ($0.last == 0x73 || $0.last == 0x74) }),
            ("ou", "", greaterThanOne), ("ism", "", greaterThanOne), ("ate", "", greaterThanOne),
            ("iti", "", greaterThanOne), ("ous", "", greaterThanOne), ("ive", "", greaterThanOne),
            ("ize", "", greaterThanOne),
        ])
    }

    static func step5a(_ w: inout [UInt8]) {
        guard ends(w, "e") else { return }
        let stem = w[..<(w.count - 1)]
        let m = measure(stem)
        if m > 1 || (m == 1 && !endsCVC(stem)) { w.removeLast() }
    }

    static func step5b(_ w: inout [UInt8]) {
        if ends(w, "ll") && measure(w[..<(w.count - 1)]) > 1 { w.removeLast() }
    }
}
