import Foundation
import Testing
@testable import SeedwatchCore

@Suite("Timestamp")
struct TimestampTests {
    @Test("formats RFC 3339 in UTC with milliseconds")
    func format() {
        #expect(Timestamp.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(Timestamp.format(Date(timeIntervalSince1970: 1_700_000_000.25)) == "2023-11-14T22:13:20.250Z")
    }

    @Test("every millisecond is written as itself and parses back to the same instant")
    func milliseconds() throws {
        for base in [1_700_000_000, 1_800_000_123] {
            for millisecond in 0..<1000 {
                let date = Date(timeIntervalSince1970: Double(base) + Double(millisecond) / 1000)
                let text = Timestamp.format(date)
                #expect(text.hasSuffix(String(format: ".%03dZ", millisecond)), "\(base).\(millisecond) → \(text)")
                let parsed = try #require(Timestamp.parse(text))
                #expect(abs(parsed.timeIntervalSince(date)) < 0.0005, "\(text)")
            }
        }
    }

    @Test("parses with and without fractional seconds; refuses other text")
    func parse() {
        #expect(Timestamp.parse("2023-11-14T22:13:20Z") == Date(timeIntervalSince1970: 1_700_000_000))
        #expect(Timestamp.parse("2023-11-14T22:13:20.500Z") == Date(timeIntervalSince1970: 1_700_000_000.5))
        #expect(Timestamp.parse("2023-11-14T23:13:20+01:00") == Date(timeIntervalSince1970: 1_700_000_000))
        #expect(Timestamp.parse("yesterday") == nil)
    }

    @Test("calendar times as people write them are UTC; malformed and impossible dates are refused")
    func calendarTime() {
        let instant = Date(timeIntervalSince1970: 1_700_000_000)  // 2023-11-14 22:13:20 UTC
        #expect(Timestamp.parseCalendarTime("2023-11-14 22:13:20") == instant)
        #expect(Timestamp.parseCalendarTime("2023-11-14T22:13:20") == instant)
        #expect(Timestamp.parseCalendarTime("2023-11-14 22:13") == instant.addingTimeInterval(-20))
        #expect(Timestamp.parseCalendarTime("2023-11-14") == Date(timeIntervalSince1970: 1_699_920_000))
        #expect(Timestamp.parseCalendarTime("2024-02-29") == Date(timeIntervalSince1970: 1_709_164_800))
        for bad in ["2023-02-30", "2023-13-01", "2023-11-14 24:00", "2023-11-14T22:13", "2023/11/14", "2023-11-14 22:13:2x", "", "x"] {
            #expect(Timestamp.parseCalendarTime(bad) == nil, "\(bad)")
        }
    }
}
