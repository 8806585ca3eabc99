// ScanTime: the wall-clock time of a scan as XDI headers (Scan.start_time, ISO 8601) and beamline
// column-file headers (XDAC, LabVIEW, MRCAT, CLS, SPEC `#D`) write it, parsed without Foundation's
// locale-dependent date formatters.
import Foundation

/// A calendar date and time of day read from a file, with its UTC offset when the text gives one.
///
/// Beamline headers almost never name a time zone; such a time is kept as written (`utcOffset`
/// nil) and compared with other times as if all were in the same zone, which is right for one
/// run at one beamline.
public struct ScanTime: Sendable, Equatable, Hashable {
  public var year: Int
  /// Month, 1 ... 12.
  public var month: Int
  /// Day of the month, 1 ... 31.
  public var day: Int
  /// Hour, 0 ... 23.
  public var hour: Int
  public var minute: Int
  /// Seconds, with the fraction when the text gives one, 0 ..< 61 (a leap second is accepted).
  public var second: Double
  /// Offset of the written time from UTC, seconds (`+02:00` is 7200, `Z` is 0); nil: not stated.
  public var utcOffset: Int?

  /// A time from its parts; nil when a part is out of range (month 13, 31 April, hour 24 ...).
  public init?(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Double, utcOffset: Int? = nil) {
    guard (1...9999).contains(year), (1...12).contains(month), day >= 1,
      day <= Self.daysInMonth(year: year, month: month), (0...23).contains(hour), (0...59).contains(minute),
      second.isFinite, second >= 0, second < 61
    else { return nil }
    if let utcOffset, abs(utcOffset) > 18 * 3600 { return nil }
    self.year = year
    self.month = month
    self.day = day
    self.hour = hour
    self.minute = minute
    self.second = second
    self.utcOffset = utcOffset
  }

  /// Seconds since 1970-01-01 00:00:00 UTC; a time without a UTC offset is counted as if it were
  /// UTC (differences between such times are then exact).
  public var secondsSinceEpoch: Double {
    let days = Self.daysFromCivil(year: year, month: month, day: day)
    return Double(days * 86_400 + hour * 3600 + minute * 60 - (utcOffset ?? 0)) + second
  }

  /// The time in ISO 8601, `2023-05-28T16:44:06`, with the fraction of a second when there is one
  /// and the offset (`Z`, `+02:00`) when it is known.
  public var iso8601: String {
    var s = String(format: "%04d-%02d-%02dT%02d:%02d:%02d", year, month, day, hour, minute, Int(second))
    let fraction = second - second.rounded(.down)
    if fraction > 0 {
      let digits = String(format: "%.6f", fraction).dropFirst(1)  // ".250000"
      s += String(digits.reversed().drop { $0 == "0" }.reversed())
    }
    if let utcOffset {
      if utcOffset == 0 {
        s += "Z"
      } else {
        let a = abs(utcOffset)
        s += (utcOffset < 0 ? "-" : "+") + String(format: "%02d:%02d", a / 3600, (a % 3600) / 60)
      }
    }
    return s
  }

  // MARK: - Calendar arithmetic (proleptic Gregorian)

  static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

  static func daysInMonth(year: Int, month: Int) -> Int {
    switch month {
    case 2: return isLeap(year) ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }

  /// Days from 1970-01-01 to the date (negative before), H. Hinnant's `days_from_civil`.
  static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let mp = (month + 9) % 12
    let doy = (153 * mp + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
  }
}

extension ScanTime {
  /// The time in an ISO 8601 text as XDI's `Scan.start_time` holds it: `YYYY-MM-DDTHH:MM[:SS[.f]]`
  /// (a blank instead of `T` is accepted, as many XDI files write it), optionally followed by `Z`
  /// or an offset `±HH[:MM]`. Blanks around the text are ignored; nil for anything else.
  public init?(iso8601 text: String) {
    var c = TimeCursor(Array(text.utf8))
    c.skipBlanks()
    guard let t = c.iso8601() else { return nil }
    c.skipBlanks()
    guard c.atEnd else { return nil }
    self = t
  }

  /// The first time stamp found in one header line, in any of these forms:
  /// - ISO 8601 as `init(iso8601:)` reads it (`Date: 2023-05-28 16:44:06`);
  /// - a US date with slashes and a 12- or 24-hour time, as XDAC (`created on 7/21/04 at 5:50:14 PM`)
  ///   and APS LabVIEW (`7/7/2022  2:33:33 PM`) write it: month first, a two-digit year is
  ///   1969 ... 2068 (POSIX `%y`);
  /// - C's `ctime` form as MRCAT, CLS and SPEC `#D` lines write it (`Tue Mar  8 23:02:46 2005`;
  ///   English month names, the weekday optional).
  ///
  /// nil when the line holds none. Lines without a `:` are rejected at once (cheap on long headers).
  public init?(headerLine: String) {
    let bytes = Array(headerLine.utf8)
    guard bytes.contains(0x3A) else { return nil }
    for start in bytes.indices {
      let b = bytes[start]
      let isDigit = b >= 0x30 && b <= 0x39
      let isLetter = (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A
      guard isDigit || isLetter else { continue }
      if start > 0 {  // start of a word only
        let p = bytes[start - 1] | 0x20
        if (p >= 0x61 && p <= 0x7A) || (bytes[start - 1] >= 0x30 && bytes[start - 1] <= 0x39) { continue }
      }
      var c = TimeCursor(bytes, at: start)
      if isDigit {
        if let t = c.iso8601() { self = t; return }
        c = TimeCursor(bytes, at: start)
        if let t = c.slashDate() { self = t; return }
      } else if let t = c.ctime() {
        self = t
        return
      }
    }
    return nil
  }
}

/// A position in the bytes of a line, for the small hand-written parsers of `ScanTime`.
struct TimeCursor {
  let bytes: [UInt8]
  var i: Int

  init(_ bytes: [UInt8], at i: Int = 0) {
    self.bytes = bytes
    self.i = i
  }

  var atEnd: Bool { i >= bytes.count }
  var peek: UInt8? { i < bytes.count ? bytes[i] : nil }

  mutating func skipBlanks() { while let b = peek, b == 0x20 || b == 0x09 { i += 1 } }

  mutating func eat(_ b: UInt8) -> Bool {
    guard peek == b else { return false }
    i += 1
    return true
  }

  /// An unsigned integer of `min ... max` digits (no more digits may follow).
  mutating func number(digits: ClosedRange<Int>) -> Int? {
    var n = 0
    var count = 0
    while let b = peek, b >= 0x30, b <= 0x39 {
      guard count < digits.upperBound else { return nil }
      n = n * 10 + Int(b - 0x30)
      count += 1
      i += 1
    }
    return count >= digits.lowerBound ? n : nil
  }

  /// Exactly `n` digits (more may follow); the cursor stays put when there are fewer.
  mutating func digits(_ n: Int) -> Int? {
    guard i + n <= bytes.count, bytes[i..<(i + n)].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
    defer { i += n }
    return bytes[i..<(i + n)].reduce(0) { $0 * 10 + Int($1 - 0x30) }
  }

  /// `HH:MM[:SS[.fff]]`.
  mutating func timeOfDay() -> (Int, Int, Double)? {
    guard let h = number(digits: 1...2), eat(0x3A), let m = number(digits: 2...2) else { return nil }
    var s = 0.0
    if eat(0x3A) {
      guard let whole = number(digits: 2...2) else { return nil }
      s = Double(whole)
      if peek == 0x2E || peek == 0x2C {
        i += 1
        var scale = 0.1
        var any = false
        while let b = peek, b >= 0x30, b <= 0x39 {
          s += Double(b - 0x30) * scale
          scale /= 10
          any = true
          i += 1
        }
        guard any else { return nil }
      }
    }
    return (h, m, s)
  }

  mutating func iso8601() -> ScanTime? {
    guard let y = number(digits: 4...4), eat(0x2D), let mo = number(digits: 2...2), eat(0x2D),
      let d = number(digits: 2...2)
    else { return nil }
    guard eat(0x54) || eat(0x74) || eat(0x20) else { return nil }  // T, t or one blank
    guard let (h, mi, s) = timeOfDay() else { return nil }
    var offset: Int?
    if eat(0x5A) || eat(0x7A) {
      offset = 0
    } else if let sign = peek, sign == 0x2B || sign == 0x2D {
      let save = i
      i += 1
      if let oh = digits(2) {
        var om = 0
        if eat(0x3A) {
          guard let m = digits(2) else { return nil }
          om = m
        } else if let m = digits(2) {
          om = m
        }
        offset = (sign == 0x2D ? -1 : 1) * (oh * 3600 + om * 60)
      } else {
        i = save
      }
    }
    return ScanTime(year: y, month: mo, day: d, hour: h, minute: mi, second: s, utcOffset: offset)
  }

  /// `M/D/YY[YY]`, blanks and an optional `at`, `H:MM[:SS]`, an optional `AM`/`PM`.
  mutating func slashDate() -> ScanTime? {
    guard let mo = number(digits: 1...2), eat(0x2F), let d = number(digits: 1...2), eat(0x2F) else { return nil }
    let start = i
    guard var y = number(digits: 2...4), i - start != 3 else { return nil }
    if i - start == 2 { y += y < 69 ? 2000 : 1900 }
    skipBlanks()
    if peek.map({ $0 | 0x20 }) == 0x61, i + 1 < bytes.count, bytes[i + 1] | 0x20 == 0x74 {  // "at"
      i += 2
      skipBlanks()
    }
    guard let (hour, mi, s) = timeOfDay() else { return nil }
    var h = hour
    let save = i
    skipBlanks()
    if let b = peek.map({ $0 | 0x20 }), b == 0x61 || b == 0x70, i + 1 < bytes.count, bytes[i + 1] | 0x20 == 0x6D {
      guard (1...12).contains(h) else { return nil }
      if b == 0x61 { h = h == 12 ? 0 : h } else { h = h == 12 ? 12 : h + 12 }
      i += 2
    } else {
      i = save
    }
    return ScanTime(year: y, month: mo, day: d, hour: h, minute: mi, second: s)
  }

  static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
  static let weekdays: Set<String> = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

  /// A word of letters, lowercased.
  mutating func word() -> String {
    var s = ""
    while let b = peek, (b | 0x20) >= 0x61, (b | 0x20) <= 0x7A {
      s.append(Character(Unicode.Scalar(b | 0x20)))
      i += 1
    }
    return s
  }

  /// `[Www] Mmm D HH:MM:SS YYYY`.
  mutating func ctime() -> ScanTime? {
    var w = word()
    if Self.weekdays.contains(String(w.prefix(3))), w.count == 3 || w.count >= 6 {  // Tue or Tuesday
      _ = eat(0x2C)
      skipBlanks()
      w = word()
    }
    guard w.count >= 3, let month = Self.months.firstIndex(of: String(w.prefix(3))) else { return nil }
    skipBlanks()
    guard let d = number(digits: 1...2) else { return nil }
    skipBlanks()
    guard let (h, mi, s) = timeOfDay() else { return nil }
    skipBlanks()
    guard let y = number(digits: 4...4) else { return nil }
    return ScanTime(year: y, month: month + 1, day: d, hour: h, minute: mi, second: s)
  }
}
