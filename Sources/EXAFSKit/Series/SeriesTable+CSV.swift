// SeriesTable+CSV: series.csv (written) and summary.csv (read back, e.g. merged from shards).
import Foundation

extension SeriesTable {
  /// File name of the series table in the output folder.
  public static let fileName = "series.csv"

  /// The column names of `series.csv`.
  public static let csvHeader =
    "index,name,source,status,timestamp,time_field,elapsed_s,e0,edge_step,first_shell_r,first_shell_mag,"
    + "hinge_ratio,hinge_uncertainty,trans_angle,trans_angle_uncertainty,message"

  /// series.csv: the header and one row per spectrum (RFC 4180 quoting). Numbers are written in
  /// Swift's shortest round-trip form, so they read back as exactly the values of NAME.json; a
  /// value that does not exist (failed spectrum, no hinge metrics, uncertainty not estimable, no
  /// time stamp) is an empty field.
  public func csv() -> String {
    func num(_ v: Double?) -> String { v.map { "\($0)" } ?? "" }
    var lines = [Self.csvHeader]
    for r in rows {
      lines.append(
        [
          String(r.index), csvQuote(r.name), csvQuote(r.source), r.status.rawValue, r.time?.iso8601 ?? "",
          r.timeField ?? "", num(r.elapsed), num(r.e0), num(r.edgeStep), num(r.firstShellR), num(r.firstShellMag),
          num(r.hingeRatio), num(r.hingeUncertainty), num(r.transAngle), num(r.transAngleUncertainty),
          csvQuote(r.message),
        ].joined(separator: ","))
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// Writes series.csv into `folder` atomically and returns its path.
  /// - Throws: `EXAFSError.writeFailed`.
  @discardableResult
  public func write(toFolder folder: String) throws -> String {
    let path = (folder as NSString).appendingPathComponent(Self.fileName)
    try AtomicWriter.write(csv(), to: path)
    return path
  }

  /// The series of a `summary.csv` (one written by `exafs process`, or several shards' joined
  /// under one header), in its row order, indexed 1, 2, 3 ...
  ///
  /// summary.csv has no time stamps and holds numbers to 6 significant digits; when `record`
  /// returns the spectrum's `SpectrumRecord` (e.g. NAME.json read from the output folder, see
  /// `SpectrumRecord(jsonFile:)`), the row is built from it instead: exact values and the time
  /// stamp. A hinge uncertainty of 0 in summary.csv means "not estimable" and becomes empty.
  /// - Parameters:
  ///   - summaryCSV: the text of summary.csv.
  ///   - file: its path, for error messages.
  ///   - record: the record of a processed spectrum by name, or nil.
  /// - Throws: `EXAFSError.malformed` naming the file and line when a column is missing, a row has
  ///   the wrong number of fields, a status is neither ok nor failed, or a number does not parse.
  public init(summaryCSV: String, file: String, record: (String) -> SpectrumRecord? = { _ in nil }) throws {
    let table = try CSVText.parse(summaryCSV, file: file)
    guard let header = table.first else { throw EXAFSError.malformed(SourceLocation(file: file), "the file is empty; expected summary.csv") }
    let required = ["name", "source", "e0", "edge_step", "first_shell_r", "first_shell_mag", "hinge_ratio", "hinge_uncertainty", "status", "message"]
    var column: [String: Int] = [:]
    for name in required {
      guard let i = header.fields.firstIndex(of: name) else {
        throw EXAFSError.malformed(
          SourceLocation(file: file, line: header.line),
          "no column '\(name)' in the header; expected summary.csv as exafs process writes it (\(SpectrumRecord.csvHeader))")
      }
      column[name] = i
    }
    var rows: [SeriesRow] = []
    for line in table.dropFirst() {
      if line.fields == header.fields { continue }  // the header of another shard
      guard line.fields.count == header.fields.count else {
        throw EXAFSError.malformed(
          SourceLocation(file: file, line: line.line),
          "\(line.fields.count) fields, the header has \(header.fields.count)")
      }
      func field(_ name: String) -> String { line.fields[column[name] ?? 0] }
      func number(_ name: String) throws -> Double? {
        let text = field(name)
        if text.isEmpty { return nil }
        guard let v = Double(text), v.isFinite else {
          throw EXAFSError.malformed(
            SourceLocation(file: file, line: line.line, column: (column[name] ?? 0) + 1),
            "\(name) '\(text)' is not a number")
        }
        return v
      }
      let index = rows.count + 1
      switch field("status") {
      case SpectrumOutcome.Status.failed.rawValue:
        rows.append(SeriesRow(index: index, failed: field("name"), source: field("source"), message: field("message")))
      case SpectrumOutcome.Status.ok.rawValue:
        if let r = record(field("name")) {
          rows.append(SeriesRow(index: index, record: r))
          continue
        }
        var row = SeriesRow(index: index, failed: field("name"), source: field("source"), message: field("message"))
        row.status = .ok
        row.e0 = try number("e0")
        row.edgeStep = try number("edge_step")
        row.firstShellR = try number("first_shell_r")
        row.firstShellMag = try number("first_shell_mag")
        row.hingeRatio = try number("hinge_ratio")
        row.hingeUncertainty = try number("hinge_uncertainty").flatMap { $0 > 0 ? $0 : nil }
        rows.append(row)
      case let other:
        throw EXAFSError.malformed(
          SourceLocation(file: file, line: line.line, column: (column["status"] ?? 0) + 1),
          "status '\(other)' is neither ok nor failed")
      }
    }
    self.init(rows: rows)
  }
}

extension SpectrumRecord {
  /// The record in a NAME.json file; nil when the file is missing or is not a record.
  public init?(jsonFile path: String) {
    guard let data = FileManager.default.contents(atPath: path),
      let record = try? JSONDecoder().decode(SpectrumRecord.self, from: data)
    else { return nil }
    self = record
  }
}

/// RFC 4180 CSV text split into records of fields (quoted fields may hold commas, quotes and line
/// breaks), each with the 1-based line it starts on. Blank lines are skipped.
enum CSVText {
  struct Record: Equatable {
    var fields: [String]
    var line: Int
  }

  static func parse(_ text: String, file: String) throws -> [Record] {
    var records: [Record] = []
    var fields: [String] = []
    var field = ""
    var quoted = false
    var line = 1
    var start = 1
    var afterQuote = false
    func endRecord() {
      fields.append(field)
      if !(fields.count == 1 && fields[0].isEmpty) { records.append(Record(fields: fields, line: start)) }
      fields = []
      field = ""
    }
    var chars = Array(text.unicodeScalars)[...]
    if chars.first == "\u{FEFF}" { chars = chars.dropFirst() }
    var i = chars.startIndex
    while i < chars.endIndex {
      let c = chars[i]
      i += 1
      if quoted {
        if c == "\"" {
          if i < chars.endIndex, chars[i] == "\"" {
            field.unicodeScalars.append("\"")
            i += 1
          } else {
            quoted = false
            afterQuote = true
          }
        } else {
          if c == "\n" { line += 1 }
          field.unicodeScalars.append(c)
        }
        continue
      }
      switch c {
      case "\"" where field.isEmpty && !afterQuote: quoted = true
      case ",":
        fields.append(field)
        field = ""
        afterQuote = false
      case "\r": continue
      case "\n":
        endRecord()
        afterQuote = false
        line += 1
        start = line
      default:
        if afterQuote {
          throw EXAFSError.malformed(SourceLocation(file: file, line: line), "text after a closing quote")
        }
        field.unicodeScalars.append(c)
      }
    }
    if quoted { throw EXAFSError.malformed(SourceLocation(file: file, line: start), "a quoted field is not closed") }
    if !field.isEmpty || !fields.isEmpty { endRecord() }
    return records
  }
}
