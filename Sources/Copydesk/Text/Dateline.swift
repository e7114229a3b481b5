/// News datelines: `BEIRUT — `, `WASHINGTON (AP) — `, `LAKE CHARLES, La. — `, `GULL ISLAND -- `.
public enum Dateline {
    /// Splits a leading dateline from `paragraph`. A dateline is a place in capitals (letters,
    /// spaces, periods, apostrophes, hyphens; at least two capital letters), optionally followed by
    /// `, ` and up to three words naming a state or country (`La.`, `Calif.`, `Ohio`), optionally by
    /// an agency in parentheses (`(AP)`), then a dash (`—`, `–`, `--` or `-`) between spaces.
    public static func split(_ paragraph: String) -> (dateline: String?, rest: String) {
        let scalars = Array(paragraph.unicodeScalars)
        var i = 0
        var capitals = 0
        // Place in capitals.
        while i < scalars.count {
            let s = scalars[i]
            if s.properties.isUppercase { capitals += 1; i += 1 }
            else if s == " " || s == "." || s == "'" || s == "’" || s == "-" {
                // A hyphen followed by a space is the dash, not part of the place.
                if s == "-" && (i + 1 >= scalars.count || scalars[i + 1] == " " || scalars[i + 1] == "-") { break }
                i += 1
            } else { break }
        }
        guard capitals >= 2 else { return (nil, paragraph) }
        // The place must not run into lowercase letters ("THE End" is not a dateline).
        if i < scalars.count, scalars[i].properties.isLowercase { return (nil, paragraph) }
        // ", State" of up to three words.
        if i < scalars.count, scalars[i] == "," {
            var j = i + 1
            var words = 0
            while j < scalars.count, words < 3 {
                while j < scalars.count, scalars[j] == " " { j += 1 }
                let start = j
                while j < scalars.count, scalars[j].properties.isAlphabetic || scalars[j] == "." { j += 1 }
                guard j > start, scalars[start].properties.isUppercase else { break }
                words += 1
                if j < scalars.count, scalars[j] != " " { break }
                // Stop before the agency or the dash.
                var k = j
                while k < scalars.count, scalars[k] == " " { k += 1 }
                if k < scalars.count, scalars[k] == "(" || isDash(scalars, k) { break }
            }
            guard words > 0 else { return (nil, paragraph) }
            i = j
        }
        while i < scalars.count, scalars[i] == " " { i += 1 }
        // Agency in parentheses.
        if i < scalars.count, scalars[i] == "(" {
            var j = i + 1
            while j < scalars.count, scalars[j] != ")", j - i < 40 { j += 1 }
            guard j < scalars.count, scalars[j] == ")" else { return (nil, paragraph) }
            i = j + 1
            while i < scalars.count, scalars[i] == " " { i += 1 }
        }
        guard i < scalars.count, isDash(scalars, i) else { return (nil, paragraph) }
        i += scalars[i] == "-" && i + 1 < scalars.count && scalars[i + 1] == "-" ? 2 : 1
        guard i < scalars.count, scalars[i] == " " || scalars[i] == "\u{00A0}" else { return (nil, paragraph) }
        while i < scalars.count, scalars[i] == " " || scalars[i] == "\u{00A0}" { i += 1 }
        guard i < scalars.count else { return (nil, paragraph) }
        var dateline = String.UnicodeScalarView(scalars[0..<i])
        while dateline.last == " " || dateline.last == "\u{00A0}" { dateline.removeLast() }
        return (String(dateline), String(String.UnicodeScalarView(scalars[i...])))
    }

    static func isDash(_ s: [Unicode.Scalar], _ i: Int) -> Bool {
        s[i] == "\u{2014}" || s[i] == "\u{2013}" || (s[i] == "-" && (i + 1 >= s.count || s[i + 1] == " " || s[i + 1] == "-"))
    }
}
