// BeamlineFiles: conventions of files as beamlines write them: SPEC multi-scan files, monochromator
// angle columns (XDI Mono.d_spacing), and the mu(E) that an XDI header names (Scan.plot_hint).
import Foundation

/// Reader for SPEC data files: one `ColumnTable` per scan.
///
/// A SPEC file holds a file header (`#F`, `#E`, `#D`, `#O` lines) and scans, each opened by
/// `#S number command`, with `#L` naming its columns (separated by two or more spaces, as SPEC
/// writes them, since names may contain single spaces) and its rows of numbers up to the next `#S`.
/// Other `#` lines inside a scan (`#D`, `#C`, `#P` ...) are kept as its header.
enum SpecFile {
  /// One scan of a SPEC file.
  struct Scan: Sendable, Equatable {
    /// The scan number of its `#S` line.
    var number: Int
    /// The scan command (`ascan  energy 8900 9100 100 1`).
    var command: String
    /// Its columns.
    var table: ColumnTable
  }

  /// True when `text` is a SPEC file: a line starting `#S ` followed later by a `#L ` line.
  static func looksLikeSpec(_ text: TextLines) -> Bool {
    var sawScan = false
    for line in text.lines.prefix(2000) {
      if line.text.hasPrefix("#S ") { sawScan = true }
      if sawScan, line.text.hasPrefix("#L ") { return true }
    }
    return false
  }

  /// Splits a SPEC file into its scans.
  /// - Throws: `.malformed` for a data row of the wrong width or with a word (naming line and
  ///   column); `.unusableData` when no scan has data rows.
  static func parse(_ text: TextLines) throws -> [Scan] {
    var scans: [Scan] = []
    var number: Int?
    var command = ""
    var header: [String] = []
    var labels: [String]?
    var rows = DataRows(file: text.file)
    func close() {
      guard let n = number, !rows.isEmpty else { return }
      var notes: [String] = []
      var candidates: [[String]?] = [labels]
      if let labels, labels.count != rows.columnCount {
        candidates = [labels.joined(separator: " ").split(separator: " ").map(String.init)]
      }
      let names = ColumnFile.columnNames(count: rows.columnCount, candidates: candidates, notes: &notes)
      let metadata = ["spec.scan": String(n), "spec.command": command]
      scans.append(
        Scan(
          number: n, command: command,
          table: ColumnTable(
            names: names, columns: rows.columns, header: header, metadata: metadata, lineNumbers: rows.lineNumbers,
            notes: notes, file: text.file)))
    }
    for line in text.lines {
      let trimmed = line.text.trimmingCharacters(in: .whitespaces)
      if trimmed.isEmpty { continue }
      if trimmed.hasPrefix("#S ") {
        close()
        let words = trimmed.dropFirst(3).trimmingCharacters(in: .whitespaces)
        let first = words.prefix { !$0.isWhitespace }
        guard let n = Int(first) else {
          throw EXAFSError.malformed(text.location(line: line.number, column: 4), "expected a scan number after #S")
        }
        number = n
        command = words.dropFirst(first.count).trimmingCharacters(in: .whitespaces)
        header = [trimmed]
        labels = nil
        rows = DataRows(file: text.file)
        continue
      }
      if trimmed.hasPrefix("#") {
        if number != nil { header.append(trimmed) }
        if trimmed.hasPrefix("#L ") {
          labels = trimmed.dropFirst(3).components(separatedBy: "  ").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        }
        continue
      }
      guard number != nil else { continue }  // text before the first scan
      try rows.add(ColumnFile.tokens(of: line.text), line: line)
    }
    close()
    guard !scans.isEmpty else {
      throw EXAFSError.unusableData(text.location(), "the SPEC file has no scan with data rows")
    }
    return scans
  }
}

/// Beamline conventions applied while choosing energy and mu(E) from a table.
enum BeamlineConventions {
  /// h c, eV Å (CODATA 2018): E = h c / λ, and Bragg's law λ = 2 d sin θ.
  static let hc = 12398.419843320026

  /// The unit written after a column's name in `Column.N: name unit` (XDI, and column files that
  /// use the same fields), lower-cased; nil when there is none.
  static func unit(of column: Int, in table: ColumnTable) -> String? {
    guard let field = table.metadataValue("Column.\(column + 1)") else { return nil }
    let words = field.split(separator: " ")
    return words.count >= 2 ? words[1].lowercased() : nil
  }

  /// The energies, eV, of the energy column: a column in degrees (`Column.N: angle degrees`) is a
  /// monochromator angle θ, converted with E = h c / (2 d sin θ) and the header's `Mono.d_spacing`
  /// d in Å (XDI specification, Mono namespace).
  /// - Throws: `.unusableData` when the angle cannot be converted (no or a bad d-spacing).
  static func energies(_ table: ColumnTable, column: Int) throws -> (values: [Double], note: String?) {
    let values = table.columns[column]
    guard let unit = unit(of: column, in: table), ["degrees", "degree", "deg"].contains(unit) else {
      return (values, nil)
    }
    let name = table.names[column]
    guard let text = table.metadataValue("Mono.d_spacing") else {
      throw EXAFSError.unusableData(
        SourceLocation(file: table.file),
        "the energy column '\(name)' holds monochromator angles in degrees; converting them to energy needs "
          + "the crystal d-spacing, and the header has no Mono.d_spacing (Å)")
    }
    guard let d = Double(text.split(separator: " ").first ?? ""), d.isFinite, d > 0 else {
      throw EXAFSError.unusableData(
        SourceLocation(file: table.file), "Mono.d_spacing '\(text)' is not a positive number of Å")
    }
    let energies = values.map { hc / (2 * d * sin($0 * Double.pi / 180)) }
    return (energies, "energy = h c / (2 d sin θ) from the angle column '\(name)' (degrees), Mono.d_spacing d = \(text) Å")
  }

  /// The mu(E) expression an XDI `Scan.plot_hint` names, when it holds one that fits the file:
  /// BMM writes `ln(It/Ir)  --  ln($6/$7)`; the part after `--` (else the whole hint) is tried.
  static func plotHint(_ table: ColumnTable) -> (expression: String, hint: String)? {
    guard let hint = table.metadataValue("Scan.plot_hint")?.trimmingCharacters(in: .whitespaces), !hint.isEmpty
    else { return nil }
    let parts = hint.components(separatedBy: "--").map { $0.trimmingCharacters(in: .whitespaces) }
    for candidate in parts.reversed() where !candidate.isEmpty {
      if let expression = try? MuExpression(candidate),
        (try? expression.evaluate(names: table.names, columns: table.columns)) != nil
      {
        return (candidate, hint)
      }
    }
    return nil
  }
}
