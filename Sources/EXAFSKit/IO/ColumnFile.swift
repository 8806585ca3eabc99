// ColumnFile: plain column files (space or comma separated, comment header) as beamlines and Athena write them.
import Foundation

/// Columns of numbers read from a text file, with the file's header.
public struct ColumnTable: Sendable, Equatable {
  /// Column names, one per column, unique (duplicates get `_2`, `_3` ...).
  public var names: [String]
  /// Column values: `columns[i]` holds the column named `names[i]`; all have the same length.
  public var columns: [[Double]]
  /// Header comment lines, without the comment character, in file order.
  public var header: [String]
  /// `key: value` (or `key = value`) fields found in the header; XDI fields as `Family.key`.
  public var metadata: [String: String]
  /// 1-based file line of each data row, for error messages.
  public var lineNumbers: [Int]
  /// Notes about choices made while reading (fallback column names ...).
  public var notes: [String]
  /// Path of the file, as given.
  public var file: String

  /// Creates a table; `lineNumbers` defaults to 1, 2, 3 ...
  public init(
    names: [String], columns: [[Double]], header: [String] = [], metadata: [String: String] = [:],
    lineNumbers: [Int]? = nil, notes: [String] = [], file: String
  ) {
    self.names = names
    self.columns = columns
    self.header = header
    self.metadata = metadata
    self.lineNumbers = lineNumbers ?? (0..<(columns.first?.count ?? 0)).map { $0 + 1 }
    self.notes = notes
    self.file = file
  }

  /// Number of data rows.
  public var rowCount: Int { columns.first?.count ?? 0 }

  /// Index of the column called `name` (case-insensitive), or written as `$N` / `colN` (1-based).
  public func columnIndex(_ name: String) -> Int? {
    let key = name.trimmingCharacters(in: .whitespaces).lowercased()
    if let i = names.firstIndex(where: { $0.lowercased() == key }) { return i }
    if let n = Int(key), n >= 1, n <= names.count { return n - 1 }  // a bare 1-based index
    let digits = key.hasPrefix("$") ? key.dropFirst() : key.hasPrefix("col") ? key.dropFirst(3) : ""
    if let n = Int(digits), n >= 1, n <= names.count { return n - 1 }
    return nil
  }

  /// The metadata value for `key`, compared case-insensitively (XDI names are case-insensitive).
  public func metadataValue(_ key: String) -> String? {
    if let value = metadata[key] { return value }
    let lower = key.lowercased()
    return metadata.first { $0.key.lowercased() == lower }?.value
  }
}

/// Reader for plain column files: `#`, `;` or `!` comment headers, then rows of numbers.
public enum ColumnFile {
  /// Reads the column file at `path` (gzip-compressed files are decompressed first).
  public static func read(path: String) throws -> ColumnTable {
    try parse(TextLines.decode(TextLines.loadBytes(path: path), file: path))
  }

  /// Parses a column file already split into lines.
  ///
  /// Column names come from, in order: the last header line before the data when it has one word
  /// per column; `Column.N: name` header fields; a text line before the data; else `col1 ... colN`.
  static func parse(_ text: TextLines) throws -> ColumnTable {
    var header: [String] = []
    var metadata: [String: String] = [:]
    var lastHeaderWords: [String]?
    var textLabelWords: [String]?
    var rows = DataRows(file: text.file)
    for line in text.lines {
      guard let lead = firstNonBlankByte(line.text) else { continue }
      if !rows.isEmpty, lead != 0x23, lead != 0x3B, lead != 0x21 {
        // The fast path: one more data row of plain numbers; anything unusual (and every error)
        // goes through the word-by-word path, which names the line and column.
        if !rows.addPlainNumbers(line) { try rows.add(tokens(of: line.text), line: line) }
        continue
      }
      let trimmed = trimmedBlanks(line.text)
      if isComment(trimmed) {
        guard rows.isEmpty else { continue }  // comments between data rows are skipped
        let comment = commentText(trimmed)
        header.append(comment)
        if let (key, value) = field(in: comment) {
          metadata[key] = value
          lastHeaderWords = nil
        } else {
          lastHeaderWords = labelWords(comment)
        }
        continue
      }
      let words = tokens(of: line.text)
      if rows.isEmpty, let first = words.first, startsAsText(first) {
        header.append(trimmed)
        lastHeaderWords = words.map { unquoted($0) }
        if textLabelWords == nil { textLabelWords = lastHeaderWords }
        continue
      }
      // Before the data, a line that is not all numbers is header text even without a comment
      // character (XDAC and MRCAT headers: `----` rulers, `4 layers of tape`), as Larch's
      // read_ascii takes every line above the block of numeric lines as header.
      if rows.isEmpty, !words.allSatisfy({ number($0) != nil }) {
        header.append(trimmed)
        if let labels = labelWords(trimmed), labels.contains(where: { number(Substring($0)) == nil && $0.first?.isLetter == true }),
          words.first.map({ number($0) == nil }) ?? false
        {
          lastHeaderWords = labels
        } else {
          lastHeaderWords = nil
        }
        continue
      }
      if rows.isEmpty, let example = decimalCommaExample(line.text) {
        throw EXAFSError.malformed(
          text.location(line: line.number),
          "the numbers use decimal commas (\(example)); exafs reads decimal points: save the file with '.' as the "
            + "decimal separator (or replace ',' by '.')")
      }
      try rows.add(words, line: line)
    }
    guard text.lines.contains(where: { firstNonBlankByte($0.text) != nil }) else {
      throw EXAFSError.malformed(text.location(), "the file is empty; expected columns of numbers")
    }
    guard !rows.isEmpty else {
      throw EXAFSError.unusableData(
        text.location(),
        "the file has \(header.count) header lines but no data rows; expected lines of numbers after the header")
    }
    var notes: [String] = []
    let names = columnNames(
      count: rows.columnCount, candidates: [lastHeaderWords, fieldNames(metadata), textLabelWords], notes: &notes)
    return ColumnTable(
      names: names, columns: rows.columns, header: header, metadata: metadata,
      lineNumbers: rows.lineNumbers, notes: notes, file: text.file)
  }

  // MARK: - Shared with XDIFile

  /// The first byte of `line` that is not a space or tab, or nil for a blank line.
  static func firstNonBlankByte(_ line: String) -> UInt8? {
    line.utf8.first { $0 != 0x20 && $0 != 0x09 }
  }

  /// True for a comment line (already trimmed): it starts with `#`, `;` or `!`.
  static func isComment(_ trimmed: String) -> Bool {
    guard let first = trimmed.first else { return false }
    return first == "#" || first == ";" || first == "!"
  }

  /// The text of a comment line without its leading comment characters and spaces.
  static func commentText(_ trimmed: String) -> String {
    let utf8 = trimmed.utf8
    let start = utf8.firstIndex { $0 != 0x23 && $0 != 0x3B && $0 != 0x21 } ?? utf8.endIndex
    return trimmedBlanks(trimmed[start...])
  }

  /// A `key: value` or `key = value` header field; the key has no spaces and starts with a letter.
  static func field(in comment: String) -> (String, String)? {
    guard let byte = comment.utf8.firstIndex(where: { $0 == 0x3A || $0 == 0x3D }) else { return nil }
    let separator = byte  // ':' and '=' are ASCII: a byte index is a character index
    let key = trimmedBlanks(comment[..<separator])
    guard let first = key.first, first.isLetter,
      key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." || $0 == "-" })
    else { return nil }
    let value = trimmedBlanks(comment[comment.index(after: separator)...])
    return (key, value)
  }

  /// A word like `9681,000` when `line` looks written with decimal commas: blank-separated words,
  /// a comma between digits, and no decimal point anywhere (a CSV line `9681.0,1.5` has points).
  static func decimalCommaExample(_ line: String) -> String? {
    let bytes = Array(line.utf8)
    guard !bytes.contains(0x2E), bytes.contains(where: { $0 == 0x20 || $0 == 0x09 }) else { return nil }
    func digit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    for word in line.split(whereSeparator: { $0 == " " || $0 == "\t" }) {
      let w = Array(word.utf8)
      if w.count >= 3, let c = w.firstIndex(of: 0x2C), c > 0, c + 1 < w.count, digit(w[c - 1]), digit(w[c + 1]),
        w.filter({ $0 == 0x2C }).count == 1
      {
        return String(word)
      }
    }
    return nil
  }

  /// True for the bytes that separate words on a data line: space, tab, comma, vertical tab, form feed.
  @inline(__always)
  static func isSeparator(_ b: UInt8) -> Bool {
    b == 0x20 || b == 0x09 || b == 0x2C || b == 0x0B || b == 0x0C
  }

  /// Splits a line into words on runs of spaces, tabs and commas.
  static func tokens(of line: String) -> [Substring] {
    line.utf8.split(whereSeparator: isSeparator).map { Substring($0) }
  }

  /// Column names from `Column.N: name [units]` fields, when they number 1, 2, ... without gaps.
  static func fieldNames(_ metadata: [String: String]) -> [String]? {
    var byIndex: [Int: String] = [:]
    for (key, value) in metadata where key.lowercased().hasPrefix("column.") {
      if let n = Int(key.dropFirst(7)), let name = value.split(separator: " ").first {
        byIndex[n] = String(name)
      }
    }
    guard !byIndex.isEmpty, Set(byIndex.keys) == Set(1...byIndex.count) else { return nil }
    return (1...byIndex.count).compactMap { byIndex[$0] }
  }

  /// Picks the first candidate with one name per column, else `col1 ... colN`; makes names unique.
  static func columnNames(count: Int, candidates: [[String]?], notes: inout [String]) -> [String] {
    let chosen = candidates.lazy.compactMap { $0 }.first { $0.count == count }
    if chosen == nil, count > 0 {
      notes.append("no column names in the header; the columns are called col1 ... col\(count)")
    }
    var seen: [String: Int] = [:]
    return (chosen ?? (1...max(1, count)).map { "col\($0)" }).prefix(count).map { name in
      let lower = name.lowercased()
      seen[lower, default: 0] += 1
      let n = seen[lower, default: 1]
      return n == 1 ? name : "\(name)_\(n)"
    }
  }

  /// Words of a comment line that could name the columns (not separators like `----`).
  static func labelWords(_ comment: String) -> [String]? {
    let words = tokens(of: comment).map { unquoted($0) }.filter { !$0.isEmpty }
    guard !words.isEmpty, words.contains(where: { $0.contains(where: { $0.isLetter }) }) else { return nil }
    return words
  }

  private static func startsAsText(_ word: Substring) -> Bool {
    guard let first = word.first else { return false }
    return (first.isLetter || first == "\"" || first == "'") && number(word) == nil
  }

  private static func unquoted(_ word: Substring) -> String {
    let utf8 = word.utf8
    guard let first = utf8.firstIndex(where: { $0 != 0x22 && $0 != 0x27 }),
      let last = utf8.lastIndex(where: { $0 != 0x22 && $0 != 0x27 })
    else { return "" }
    return String(word[first...last])
  }

  /// `text` without leading and trailing blanks, in time linear in its length: ASCII blanks are
  /// trimmed byte by byte (Foundation's trimming is much slower on long lines); other Unicode
  /// white space at either end is then left to Foundation.
  static func trimmedBlanks(_ text: String) -> String { trimmedBlanks(text[...]) }

  /// `trimmedBlanks` of a part of a line.
  static func trimmedBlanks(_ text: Substring) -> String {
    let utf8 = text.utf8
    func blank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0B || b == 0x0C }
    guard let first = utf8.firstIndex(where: { !blank($0) }), let last = utf8.lastIndex(where: { !blank($0) }) else {
      return ""
    }
    let cut = String(text[first...last])
    if let a = cut.unicodeScalars.first, let z = cut.unicodeScalars.last,
      (!a.isASCII && a.properties.isWhitespace) || (!z.isASCII && z.properties.isWhitespace)
    {
      return cut.trimmingCharacters(in: .whitespaces)
    }
    return cut
  }

  /// The value of a numeric word; Fortran `1.0D+03` exponents are accepted. NaN and inf are returned as such.
  static func number(_ word: Substring) -> Double? {
    if let value = Double(word) { return value }
    if word.contains(where: { $0 == "D" || $0 == "d" }) {
      return Double(word.replacingOccurrences(of: "D", with: "E").replacingOccurrences(of: "d", with: "e"))
    }
    return nil
  }
}

/// Accumulates rows of numbers, checking that every row has the same number of finite values.
struct DataRows {
  var file: String
  var columns: [[Double]] = []
  var lineNumbers: [Int] = []
  var firstLine = 0

  init(file: String) { self.file = file }

  var isEmpty: Bool { lineNumbers.isEmpty }
  var columnCount: Int { columns.count }

  /// Adds a data line made only of finite numbers separated by spaces, tabs or commas, with as
  /// many values as the rows before, parsing the bytes directly (no Strings). Returns false,
  /// adding nothing, for anything else: the caller then uses `add(_:line:)`, which explains.
  mutating func addPlainNumbers(_ line: TextLine) -> Bool {
    let n = columns.count
    guard n > 0, n <= 64, lineNumbers.count < InputLimits.maxArrayPoints,
      (lineNumbers.count + 1) * n <= InputLimits.maxTotalValues
    else { return false }
    var text = line.text
    return withUnsafeTemporaryAllocation(of: Double.self, capacity: n) { values -> Bool in
      let parsed = text.withUTF8 { bytes -> Bool in
        // A token the fast parser declines goes to strtod through a NUL-terminated scratch buffer.
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { token -> Bool in
          guard let base = token.baseAddress else { return false }
          var i = 0
          var count = 0
          let size = bytes.count
          while true {
            while i < size, ColumnFile.isSeparator(bytes[i]) { i += 1 }
            if i == size { break }
            let start = i
            while i < size, !ColumnFile.isSeparator(bytes[i]) {
              let b = bytes[i]
              // Digits, sign, point and exponent only: Fortran 'D', words, hex go the slow way.
              guard i - start < 63, (b >= 0x30 && b <= 0x39) || b == 0x2E || b == 0x2D || b == 0x2B || b == 0x65 || b == 0x45
              else { return false }
              i += 1
            }
            guard count < n else { return false }
            let length = i - start
            var value: Double
            if let fast = DataRows.exactDecimal(bytes, start, i) {
              value = fast
            } else {
              for k in 0..<length { base[k] = CChar(bitPattern: bytes[start + k]) }
              base[length] = 0
              var end: UnsafeMutablePointer<CChar>? = nil
              value = strtod(base, &end)
              guard end == base + length else { return false }
            }
            guard value.isFinite else { return false }
            values[count] = value
            count += 1
          }
          return count == n
        }
      }
      guard parsed else { return false }
      for j in 0..<n { columns[j].append(values[j]) }
      lineNumbers.append(line.number)
      return true
    }
  }

  /// 10^0 ... 10^22, exact in Double.
  private static let exactPowersOfTen: [Double] = {
    var p = 1.0
    return (0...22).map { _ in
      defer { p *= 10 }
      return p
    }
  }()

  /// The value of the plain decimal `bytes[start..<end]` (`-12.345`, `1.5e-3`) when it can be had
  /// with one correctly rounded operation, so that it equals strtod's (Clinger's fast path): the
  /// digits as an integer m <= 2^53 and a power of ten 10^e with |e| <= 22, both exact, then
  /// m * 10^e or m / 10^-e. Nil for anything else (more digits, large exponents, malformed text),
  /// which the caller hands to strtod.
  @inline(__always)
  static func exactDecimal(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
    var i = start
    var negative = false
    if bytes[i] == 0x2D || bytes[i] == 0x2B {
      negative = bytes[i] == 0x2D
      i += 1
    }
    var mantissa: UInt64 = 0
    var digits = 0  // significant digits taken into the mantissa (leading zeros skipped)
    var seen = false  // any digit at all
    var exponent = 0
    while i < end, bytes[i] >= 0x30, bytes[i] <= 0x39 {
      let d = UInt64(bytes[i] &- 0x30)
      if mantissa != 0 || d != 0 { digits += 1 }
      mantissa = mantissa &* 10 &+ d
      seen = true
      i += 1
    }
    if i < end, bytes[i] == 0x2E {
      i += 1
      while i < end, bytes[i] >= 0x30, bytes[i] <= 0x39 {
        let d = UInt64(bytes[i] &- 0x30)
        if mantissa != 0 || d != 0 { digits += 1 }
        mantissa = mantissa &* 10 &+ d
        exponent -= 1
        seen = true
        i += 1
      }
    }
    guard seen, digits <= 19 else { return nil }
    if i < end, bytes[i] == 0x65 || bytes[i] == 0x45 {
      i += 1
      var negativeExponent = false
      if i < end, bytes[i] == 0x2D || bytes[i] == 0x2B {
        negativeExponent = bytes[i] == 0x2D
        i += 1
      }
      var e = 0
      var exponentDigits = 0
      while i < end, bytes[i] >= 0x30, bytes[i] <= 0x39, exponentDigits < 5 {
        e = e * 10 + Int(bytes[i] &- 0x30)
        exponentDigits += 1
        i += 1
      }
      guard exponentDigits > 0 else { return nil }
      exponent += negativeExponent ? -e : e
    }
    guard i == end, mantissa <= 1 << 53, exponent >= -22, exponent <= 22 else { return nil }
    let m = Double(mantissa)
    let value = exponentialScale(m, exponent)
    return negative ? -value : value
  }

  @inline(__always)
  private static func exponentialScale(_ m: Double, _ exponent: Int) -> Double {
    exactPowersOfTen.withUnsafeBufferPointer { p in exponent >= 0 ? m * p[exponent] : m / p[-exponent] }
  }

  /// Adds the words of one data line, or throws `.malformed` naming the line and character.
  mutating func add(_ words: [Substring], line: TextLine) throws {
    guard !words.isEmpty else {
      throw EXAFSError.malformed(
        SourceLocation(file: file, line: line.number, column: 1), "expected numbers but found only separators")
    }
    if isEmpty {
      columns = Array(repeating: [], count: words.count)
      firstLine = line.number
    }
    let text = line.text
    if lineNumbers.count >= InputLimits.maxArrayPoints
      || (lineNumbers.count + 1) * columns.count > InputLimits.maxTotalValues
    {
      throw EXAFSError.tooLarge(
        SourceLocation(file: file, line: line.number),
        "more than \(InputLimits.maxArrayPoints) data rows or \(InputLimits.maxTotalValues) numbers; "
          + "rebin the data or split the file")
    }
    if words.count != columns.count {
      let column =
        words.count > columns.count
        ? text.characterColumn(of: words[columns.count].startIndex) : text.count + 1
      throw EXAFSError.malformed(
        SourceLocation(file: file, line: line.number, column: column),
        "expected \(columns.count) values on each data line (as on line \(firstLine)) "
          + "but line \(line.number) has \(words.count)")
    }
    for (j, word) in words.enumerated() {
      guard let value = ColumnFile.number(word), value.isFinite else {
        let what = ColumnFile.number(word) == nil ? "'\(word)'" : "'\(word)', which is not a finite number"
        throw EXAFSError.malformed(
          SourceLocation(file: file, line: line.number, column: text.characterColumn(of: word.startIndex)),
          "expected a number in data column \(j + 1) of \(columns.count) but found \(what)")
      }
      columns[j].append(value)
    }
    lineNumbers.append(line.number)
  }
}
