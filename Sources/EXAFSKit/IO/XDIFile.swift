// XDIFile: reader for XDI 1.0 files (XAS Data Interchange): header fields, user comments, column data.
import Foundation

/// Reader for XDI 1.0 files.
///
/// Layout: `# XDI/1.0 ...` on line 1; `# Family.key: value` fields (kept in `metadata` under
/// `Family.key` as written; `Column.N: name [units]` name the columns); a `# ///` line ending the
/// fields; free user comments; a `#----` line; optionally a `# energy i0 ...` label line; data.
public enum XDIFile {
  /// Reads the XDI file at `path` (gzip-compressed files are decompressed first).
  public static func read(path: String) throws -> ColumnTable {
    try parse(TextLines.decode(TextLines.loadBytes(path: path), file: path))
  }

  /// True when `line` is an XDI version line, `# XDI/1.0 ...`.
  static func isVersionLine(_ line: String) -> Bool {
    let trimmed = line.trimmingCharacters(in: .whitespaces)
    return trimmed.hasPrefix("#") && ColumnFile.commentText(trimmed).uppercased().hasPrefix("XDI/")
  }

  private enum Section { case fields, comments, labels }

  /// Parses an XDI file already split into lines.
  static func parse(_ text: TextLines) throws -> ColumnTable {
    guard let first = text.lines.first, isVersionLine(first.text) else {
      throw EXAFSError.malformed(text.location(line: 1), "not an XDI file: line 1 must start with '# XDI/1.0'")
    }
    var header = [ColumnFile.commentText(first.text.trimmingCharacters(in: .whitespaces))]
    var metadata: [String: String] = [:]
    var columnFields: [Int: (name: String, line: Int)] = [:]
    var labelWords: [String]?
    var section = Section.fields
    var rows = DataRows(file: text.file)
    for line in text.lines.dropFirst() {
      guard let lead = ColumnFile.firstNonBlankByte(line.text) else { continue }
      if !rows.isEmpty, lead != 0x23, lead != 0x3B, lead != 0x21 {
        try rows.add(ColumnFile.tokens(of: line.text), line: line)  // the fast path: one more data row
        continue
      }
      let trimmed = line.text.trimmingCharacters(in: .whitespaces)
      guard ColumnFile.isComment(trimmed) else {
        try rows.add(ColumnFile.tokens(of: line.text), line: line)
        continue
      }
      guard rows.isEmpty else { continue }
      let comment = ColumnFile.commentText(trimmed)
      header.append(comment)
      if comment.hasPrefix("---") || (comment.isEmpty && trimmed.hasPrefix("#---")) {
        section = .labels
        continue
      }
      switch section {
      case .fields:
        if comment.hasPrefix("///") {
          section = .comments
        } else if let (key, value) = ColumnFile.field(in: comment) {
          metadata[key] = value
          if key.lowercased().hasPrefix("column."), let n = Int(key.dropFirst(7)),
            let name = value.split(separator: " ").first
          {
            columnFields[n] = (String(name), line.number)
          }
        }
      case .comments:
        break
      case .labels:
        labelWords = ColumnFile.labelWords(comment)
      }
    }
    guard !rows.isEmpty else {
      throw EXAFSError.unusableData(
        text.location(), "the XDI header has no data rows after it; expected lines of numbers after '#----'")
    }
    var notes: [String] = []
    let names = try columnNames(
      fields: columnFields, labels: labelWords, count: rows.columnCount, text: text, notes: &notes)
    return ColumnTable(
      names: names, columns: rows.columns, header: header, metadata: metadata,
      lineNumbers: rows.lineNumbers, notes: notes, file: text.file)
  }

  /// Names the columns from `Column.N` fields, falling back where that is unambiguous.
  private static func columnNames(
    fields: [Int: (name: String, line: Int)], labels: [String]?, count: Int, text: TextLines,
    notes: inout [String]
  ) throws -> [String] {
    if Set(fields.keys) == Set(1...count) {
      return ColumnFile.columnNames(
        count: count, candidates: [(1...count).compactMap { fields[$0]?.name }], notes: &notes)
    }
    let defined = fields.keys.sorted()
    let missing = (1...max(count, defined.last ?? 0)).filter { fields[$0] == nil }
    let extra = defined.filter { $0 > count || $0 < 1 }
    var problem: String
    if defined.isEmpty {
      problem = "the XDI header has no 'Column.N: name' fields"
    } else if extra.isEmpty {
      problem =
        "the XDI header defines " + defined.map { "Column.\($0)" }.joined(separator: ", ")
        + " but not " + missing.map { "Column.\($0)" }.joined(separator: ", ")
    } else {
      problem = "the XDI header defines Column.\(extra[0]) but the data rows have only \(count) values"
    }
    problem += " (the data have \(count) columns)"
    if let labels, labels.count == count {
      notes.append("\(problem); the columns are named from the label line after '#----'")
      return ColumnFile.columnNames(count: count, candidates: [labels], notes: &notes)
    }
    if !defined.isEmpty, extra.isEmpty, defined == Array(1...defined.count) {
      let names = defined.compactMap { fields[$0]?.name } + ((defined.count + 1)...count).map { "col\($0)" }
      notes.append("\(problem); the unnamed columns are called col\(defined.count + 1) ... col\(count)")
      return ColumnFile.columnNames(count: count, candidates: [names], notes: &notes)
    }
    let line = fields.values.map(\.line).min() ?? 1
    throw EXAFSError.malformed(
      text.location(line: line),
      "\(problem); add the missing 'Column.N: name' lines or a label line ('# energy i0 itrans') after '#----'")
  }
}
