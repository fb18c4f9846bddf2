import FoundationEssentials
import SeedwatchCore

/// Text made safe for HTML and SVG, and the frame every dashboard page shares.
enum HTML {
    /// Escapes the five characters that can end text or an attribute value: everything a
    /// document, a path or a label holds is shown as text, never read as markup.
    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }

    /// Percent-encodes a path segment or query value for a link.
    static func urlComponent(_ text: String) -> String {
        var encoded = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".unicodeScalars)
                encoded += "%"
                encoded.unicodeScalars.append(hex[Int(byte >> 4)])
                encoded.unicodeScalars.append(hex[Int(byte & 0x0F)])
            }
        }
        return encoded
    }

    /// The link to a document's page.
    static func documentLink(_ id: String) -> String { "/view/" + urlComponent(id) }

    /// No inline script or style, nothing from elsewhere: the page may load only its own
    /// stylesheet, script and icon, and talk only to this API.
    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

    /// Headers for everything the dashboard serves.
    static let securityHeaders: [String: String] = [
        "Content-Security-Policy": contentSecurityPolicy,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "Cache-Control": "no-store",
    ]

    enum Section: String, CaseIterable {
        case overview = "Overview", timeline = "Timeline", alerts = "Alerts", quarantine = "Quarantine"

        var path: String {
            switch self {
            case .overview: "/"
            case .timeline: "/timeline"
            case .alerts: "/alerts"
            case .quarantine: "/quarantine"
            }
        }
    }

    /// A whole page: `body` is HTML already escaped where it holds data. `live` names what the
    /// script refreshes on this page (nothing without the script).
    static func page(title: String, section: Section?, live: String? = nil, body: String) -> ControlResponse {
        let navigation = Section.allCases.map { item in
            item == section ? "<a href=\"\(item.path)\" aria-current=\"page\">\(item.rawValue)</a>" : "<a href=\"\(item.path)\">\(item.rawValue)</a>"
        }.joined(separator: "\n")
        let liveAttribute = live.map { " data-live=\"\(escape($0))\"" } ?? ""
        let text = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escape(title)) · seedwatch</title>
            <link rel="stylesheet" href="\(DashboardAssets.stylesheetPath)">
            <link rel="icon" href="\(DashboardAssets.iconPath)" type="image/svg+xml">
            <script src="\(DashboardAssets.scriptPath)" defer></script>
            </head>
            <body\(liveAttribute)>
            <header><span class="brand">seedwatch</span><nav>
            \(navigation)
            </nav></header>
            <main>
            \(body)
            </main>
            </body>
            </html>

            """
        return ControlResponse(status: 200, contentType: "text/html; charset=utf-8", body: Array(text.utf8), headers: securityHeaders)
    }

    /// A page for a request the dashboard cannot answer (no such document, a bad id).
    static func problem(_ status: Int, title: String, message: String) -> ControlResponse {
        var response = page(title: title, section: nil, body: "<h1>\(escape(title))</h1>\n<p>\(escape(message))</p>")
        response.status = status
        return response
    }

    /// `2026-12-07 16:13:37` (UTC): the page shows the time a person reads, the API the RFC 3339 form.
    static func time(_ date: Date) -> String {
        let stamp = Timestamp.format(date)
        return String(stamp.prefix(19)).replacing("T", with: " ")
    }
}
