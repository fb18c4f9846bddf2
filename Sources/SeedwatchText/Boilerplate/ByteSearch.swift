/// Substring search on UTF-8 bytes.
///
/// Foundation's `String.contains(_:)` goes through CFString and was the largest cost in the
/// throughput benchmark; the pattern checks need only exact byte matches on lower-cased text.
enum ByteSearch {
    static func contains(_ haystack: String, _ needle: String) -> Bool {
        let n = Array(needle.utf8)
        guard let first = n.first else { return true }
        return withUTF8Buffer(haystack) { h in
            guard h.count >= n.count else { return false }
            var i = 0
            let last = h.count - n.count
            while i <= last {
                if h[i] == first {
                    var k = 1
                    while k < n.count && h[i + k] == n[k] { k += 1 }
                    if k == n.count { return true }
                }
                i += 1
            }
            return false
        }
    }
}
