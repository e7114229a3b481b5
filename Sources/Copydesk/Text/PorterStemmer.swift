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
    static let irregular: [(word: [UInt8], stem: [UInt8])] = [
        ("skies", "sky"), ("sky", "sky"), ("dying", "die"), ("lying", "lie"), ("tying", "tie"), ("news", "news"),
        ("innings", "inning"), ("inning", "inning"), ("outings", "outing"), ("outing", "outing"),
        ("cannings", "canning"), ("canning", "canning"), ("howe", "howe"), ("proceed", "proceed"),
        ("exceed", "exceed"), ("succeed", "succeed"),
    ].map { (Array($0.0.utf8), Array($0.1.utf8)) }

    public static func stem(_ word: String) -> String {
        var w = Array(word.utf8)
        stem(&w)
        return String(decoding: w, as: UTF8.self)
    }

    /// Stems the bytes of a word in place.
    static func stem(_ w: inout [UInt8]) {
        for entry in irregular where entry.word == w {
            w = entry.stem
            return
        }
        guard w.count > 2 else { return }
        step1a(&w)
        step1b(&w)
        step1c(&w)
        step2(&w)
        step3(&w)
        step4(&w)
        step5a(&w)
        step5b(&w)
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

    static func ends(_ w: [UInt8], _ suffix: [UInt8]) -> Bool {
        guard w.count >= suffix.count else { return false }
        let offset = w.count - suffix.count
        for k in 0..<suffix.count where w[offset + k] != suffix[k] { return false }
        return true
    }

    static func ends(_ w: [UInt8], _ suffix: StaticString) -> Bool {
        let n = suffix.utf8CodeUnitCount
        guard w.count >= n else { return false }
        let p = suffix.utf8Start
        for k in 0..<n where w[w.count - n + k] != p[k] { return false }
        return true
    }

    /// When a rule may fire, tested on the stem left after removing the suffix.
    enum Condition: Sendable {
        case always, positive, greaterThanOne
        /// `-ion` needs `m > 1` and a stem ending in `s` or `t`.
        case sOrT
        /// NLTK's `-logi` measures the word without `ogi`, i.e. the stem plus `l`.
        case stemPlusOne

        func holds(_ stem: ArraySlice<UInt8>, word: [UInt8]) -> Bool {
            switch self {
            case .always: true
            case .positive: measure(stem) > 0
            case .greaterThanOne: measure(stem) > 1
            case .sOrT: measure(stem) > 1 && (stem.last == 0x73 || stem.last == 0x74)
            case .stemPlusOne: measure(word[..<(stem.count + 1)]) > 0
            }
        }
    }

    struct Rule: Sendable {
        let suffix: [UInt8]
        let replacement: [UInt8]
        let condition: Condition
        init(_ suffix: String, _ replacement: String, _ condition: Condition) {
            self.suffix = Array(suffix.utf8)
            self.replacement = Array(replacement.utf8)
            self.condition = condition
        }
    }

    /// A step's rules grouped by the last letter of their suffix, each group in the step's order: a
    /// word is tried only against the rules that can match its last letter, and the first of those
    /// that matches is the first of the whole list that does.
    struct Rules: Sendable {
        let byLastByte: [[Rule]]

        init(_ rules: [Rule]) {
            var table = [[Rule]](repeating: [], count: 256)
            for rule in rules { table[Int(rule.suffix.last!)].append(rule) }
            byLastByte = table
        }
    }

    /// The rules of one step: the first rule whose suffix matches decides; if its condition on the
    /// remaining stem fails, the word is left as it is.
    static func apply(_ w: inout [UInt8], _ rules: Rules) {
        guard let last = w.last else { return }
        for rule in rules.byLastByte[Int(last)] where ends(w, rule.suffix) {
            let stem = w[..<(w.count - rule.suffix.count)]
            if rule.condition.holds(stem, word: w) {
                w.removeLast(rule.suffix.count)
                w.append(contentsOf: rule.replacement)
            }
            return
        }
    }

    // MARK: - Steps

    static let step1aRules = Rules([Rule("sses", "ss", .always), Rule("ies", "i", .always), Rule("ss", "ss", .always), Rule("s", "", .always)])

    static func step1a(_ w: inout [UInt8]) {
        if ends(w, "ies") && w.count == 4 { w.removeLast(); return }  // ties → tie
        apply(&w, step1aRules)
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
        if ends(w, "ed") && containsVowel(w[..<(w.count - 2)]) { w.removeLast(2) }
        else if ends(w, "ing") && containsVowel(w[..<(w.count - 3)]) { w.removeLast(3) }
        else { return }
        if ends(w, "at") || ends(w, "bl") || ends(w, "iz") {
            w.append(0x65)
        } else if endsDoubleConsonant(w[...]) {
            let last = w[w.count - 1]
            if last != 0x6C && last != 0x73 && last != 0x7A { w.removeLast() }
        } else if measure(w[...]) == 1 && endsCVC(w[...]) {
            w.append(0x65)
        }
    }

    static func step1c(_ w: inout [UInt8]) {
        guard ends(w, "y") else { return }
        let stem = w[..<(w.count - 1)]
        if stem.count > 1 && isConsonant(stem, stem.endIndex - 1) { w[w.count - 1] = 0x69 }
    }

    static let step2Rules = Rules([
        Rule("ational", "ate", .positive), Rule("tional", "tion", .positive), Rule("enci", "ence", .positive),
        Rule("anci", "ance", .positive), Rule("izer", "ize", .positive), Rule("bli", "ble", .positive),
        Rule("alli", "al", .positive), Rule("entli", "ent", .positive), Rule("eli", "e", .positive),
        Rule("ousli", "ous", .positive), Rule("ization", "ize", .positive), Rule("ation", "ate", .positive),
        Rule("ator", "ate", .positive), Rule("alism", "al", .positive), Rule("iveness", "ive", .positive),
        Rule("fulness", "ful", .positive), Rule("ousness", "ous", .positive), Rule("aliti", "al", .positive),
        Rule("iviti", "ive", .positive), Rule("biliti", "ble", .positive), Rule("fulli", "ful", .positive),
        Rule("logi", "log", .stemPlusOne),
    ])

    static func step2(_ w: inout [UInt8]) {
        if ends(w, "alli") && measure(w[..<(w.count - 4)]) > 0 {
            w.removeLast(2)  // -alli → -al
            step2(&w)
            return
        }
        apply(&w, step2Rules)
    }

    static let step3Rules = Rules([
        Rule("icate", "ic", .positive), Rule("ative", "", .positive), Rule("alize", "al", .positive),
        Rule("iciti", "ic", .positive), Rule("ical", "ic", .positive), Rule("ful", "", .positive), Rule("ness", "", .positive),
    ])

    static func step3(_ w: inout [UInt8]) { apply(&w, step3Rules) }

    static let step4Rules = Rules([
        Rule("al", "", .greaterThanOne), Rule("ance", "", .greaterThanOne), Rule("ence", "", .greaterThanOne),
        Rule("er", "", .greaterThanOne), Rule("ic", "", .greaterThanOne), Rule("able", "", .greaterThanOne),
        Rule("ible", "", .greaterThanOne), Rule("ant", "", .greaterThanOne), Rule("ement", "", .greaterThanOne),
        Rule("ment", "", .greaterThanOne), Rule("ent", "", .greaterThanOne), Rule("ion", "", .sOrT),
        Rule("ou", "", .greaterThanOne), Rule("ism", "", .greaterThanOne), Rule("ate", "", .greaterThanOne),
        Rule("iti", "", .greaterThanOne), Rule("ous", "", .greaterThanOne), Rule("ive", "", .greaterThanOne),
        Rule("ize", "", .greaterThanOne),
    ])

    static func step4(_ w: inout [UInt8]) { apply(&w, step4Rules) }

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
