import SeedwatchCore

/// The documents of the conformance suite, written for it (no corpus text).
enum ConformanceInputs {
    /// Short news-like text in several scripts: what a processor must take without failing or
    /// corrupting characters.
    static let scripts: [(name: String, text: String)] = [
        ("latin", """
        The city council approved the new budget on Tuesday. Maria López, the mayor of Springfield, said the plan \
        would fund three schools and a library. Le conseil municipal a voté le budget à l'unanimité ; \
        Straße und Ärzte begrüßten die Entscheidung.
        """),
        ("cyrillic", """
        Городской совет утвердил новый бюджет во вторник. Мэр Новосибирска Анна Петрова заявила, что план \
        профинансирует три школы. Жители обсуждали решение на площади до позднего вечера.
        """),
        ("arabic", """
        وافق مجلس المدينة على الميزانية الجديدة يوم الثلاثاء. وقالت رئيسة البلدية ليلى حسن إن الخطة ستمول ثلاث \
        مدارس ومكتبة. ناقش السكان القرار في الساحة حتى المساء.
        """),
        ("cjk", """
        市议会周二批准了新的预算。市长王丽表示，该计划将资助三所学校和一座图书馆。東京都議会は火曜日に新しい予算を承認した。\
        서울시 의회는 화요일에 새 예산을 승인했다.
        """),
        ("devanagari", """
        नगर परिषद ने मंगलवार को नया बजट मंजूर किया। महापौर सुनीता शर्मा ने कहा कि योजना से तीन स्कूलों और एक पुस्तकालय \
        को धन मिलेगा। निवासियों ने शाम तक चौक पर फैसले पर चर्चा की।
        """),
        ("emoji", """
        Budget approved 🎉👍 The council voted 7–2 🗳️ after a long night. Families 👨‍👩‍👧‍👦 cheered, flags 🇫🇷🇯🇵 waved, \
        a teacher 👩🏽‍🏫 waved back 👋🏽. Keycaps 1️⃣2️⃣ and a lone surrogate-range neighbour 𝄞 close the list.
        """),
    ]

    /// All scripts in one document, one paragraph each.
    static var mixed: String { scripts.map(\.text).joined(separator: "\n\n") }

    /// A plain-text document of at least 1 MiB of UTF-8: numbered paragraphs (so no two are
    /// the same) in every script, cut at a paragraph boundary.
    static let oneMegabyte: String = {
        var paragraphs: [String] = []
        var bytes = 0
        var index = 0
        while bytes < 1 << 20 {
            let script = scripts[index % scripts.count].text
            let paragraph = "Report \(index) from district \(index % 97). \(script)"
            paragraphs.append(paragraph)
            bytes += paragraph.utf8.count + 2
            index += 1
        }
        return paragraphs.joined(separator: "\n\n")
    }()

    static func document(_ text: String, name: String, sequence: UInt64 = 0) -> Document {
        Document.fromText(text, name: name, sequence: sequence)
    }
}
