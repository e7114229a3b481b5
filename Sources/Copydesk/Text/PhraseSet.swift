/// Phrases of page furniture (lower-case ASCII, each opening with a letter) found in UTF-8 text,
/// ignoring ASCII case, in one pass: a position is compared only when its letter opens one of the
/// phrases (a bit mask of their initials, then the phrases with that initial).
struct PhraseSet: Sendable {
    /// The phrases' bytes by their first byte.
    private let byFirstByte: [[[UInt8]]]
    /// Bit `c - a` set for each letter `c` that opens a phrase.
    private let initials: UInt32

    init(_ phrases: [String]) {
        var table = [[[UInt8]]](repeating: [], count: 256)
        var initials: UInt32 = 0
        for phrase in phrases {
            let bytes = Array(phrase.utf8)
            precondition(bytes.first.map { $0 &- 0x61 < 26 } == true, "a phrase opens with a lower-case ASCII letter")
            table[Int(bytes[0])].append(bytes)
            initials |= 1 << UInt32(bytes[0] - 0x61)
        }
        byFirstByte = table
        self.initials = initials
    }

    /// ASCII capitals lowercased, every other byte as it is (for ASCII, what `lowercased()` does).
    @inline(__always) static func lower(_ b: UInt8) -> UInt8 { b &- 0x41 < 26 ? b | 0x20 : b }

    /// Whether a phrase occurs in `text`: anywhere, or with `wordStartsOnly` only where a word
    /// starts (the text's start, or just after a space).
    func occurs(in text: UnsafeBufferPointer<UInt8>, wordStartsOnly: Bool) -> Bool {
        byFirstByte.withUnsafeBufferPointer { table in
            let n = text.count
            var i = 0
            while i < n {
                let b = text[i]
                let letter = (b | 0x20) &- 0x61
                if letter < 26 && initials & (1 << UInt32(letter)) != 0 {
                    for phrase in table[Int(b | 0x20)] where phrase.count <= n - i {
                        var k = 1
                        while k < phrase.count && PhraseSet.lower(text[i + k]) == phrase[k] { k += 1 }
                        if k == phrase.count { return true }
                    }
                }
                if !wordStartsOnly || b == 0x20 { i += 1; continue }
                while i < n && text[i] != 0x20 { i += 1 }  // on to the next word
                i += 1
            }
            return false
        }
    }
}
