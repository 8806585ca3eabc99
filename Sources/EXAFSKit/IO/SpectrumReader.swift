// SpectrumReader: the entry point for input files; detects the format and returns spectra ready for processing.
import Foundation

/// How to read an input file: which columns hold energy and mu, which project groups to take.
public struct ReadOptions: Sendable, Equatable {
  /// Expression for mu(E) over the file's columns, e.g. `ln(i0/it)`, `if/i0`, `mutrans`, `$4`
  /// (see `MuExpression`). `nil`: guessed from the column names (see `SpectrumReader.read`).
  public var mu: String?
  /// Name (or `$N` / `colN`) of the energy column; `nil`: a column named energy/e/ene, else the first.
  public var energyColumn: String?
  /// Labels of the Athena project groups to read; empty reads all of them.
  public var groups: [String]
  /// Numbers (`#S`) of the SPEC scans to read; empty reads all of them.
  public var scans: [Int]

  public init(mu: String? = nil, energyColumn: String? = nil, groups: [String] = [], scans: [Int] = []) {
    self.mu = mu
    self.energyColumn = energyColumn
    self.groups = groups
    self.scans = scans
  }
}

/// What an input file holds, for `exafs info`.
public struct FileInfo: Sendable, Equatable, Codable {
  /// The kinds of input file EXAFSKit reads.
  public enum Format: String, Sendable, Codable {
    /// Plain columns of numbers with a comment header.
    case columns
    /// XAS Data Interchange 1.0.
    case xdi
    /// Athena / Demeter project (`.prj`).
    case athenaProject = "athena-project"
    /// SPEC data file (`#S` scans with `#L` column names).
    case spec
  }

  /// One group of an Athena project.
  public struct Group: Sendable, Equatable, Codable {
    /// The group's label in Athena.
    public var label: String
    /// Athena's data type (`xmu`, `chi`, `xanes` ...).
    public var datatype: String
    /// Number of data points.
    public var points: Int
  }

  /// The path as given.
  public var path: String
  /// The detected format.
  public var format: Format
  /// Column names (column and XDI files).
  public var columnNames: [String]
  /// Number of data rows (column and XDI files) or of points over all groups (projects).
  public var pointCount: Int
  /// The groups of an Athena project; empty for other formats.
  public var groups: [Group]
  /// Header fields (XDI `Family.key`, `key: value` comments).
  public var metadata: [String: String]
  /// How `read` would interpret the file without options (e.g. `mu = ln(i0/itrans)`), or why it cannot.
  public var interpretation: String
  /// Notes from reading (fallback column names ...).
  public var notes: [String]
}

extension FileInfo: CustomStringConvertible {
  /// A few lines for a person: format, size, columns or groups, interpretation, metadata.
  public var description: String {
    var lines = ["\(path): \(format.rawValue)"]
    if format == .athenaProject {
      lines.append("  \(groups.count) groups:")
      lines += groups.map { "    \($0.label)  (\($0.datatype), \($0.points) points)" }
    } else {
      lines.append("  \(pointCount) points; columns: \(columnNames.joined(separator: ", "))")
      lines.append("  \(interpretation)")
    }
    lines += notes.map { "  note: \($0)" }
    if !metadata.isEmpty {
      lines.append("  metadata:")
      lines += metadata.keys.sorted().map { "    \($0): \(metadata[$0] ?? "")" }
    }
    return lines.joined(separator: "\n")
  }
}

/// Reads spectra from column files, XDI files and Athena projects.
public enum SpectrumReader {
  /// Reads every spectrum in the file at `path`.
  ///
  /// Format: gzip is decompressed first; `# Athena project file` or `$old_group` → Athena project;
  /// `# XDI/` on line 1 → XDI; otherwise a column file.
  ///
  /// Column and XDI files give one spectrum. Energy is the `--energy-column`, else a column named
  /// energy/e/ene, else the first. Without `--mu`: a column named mu/xmu/mutrans/mufluor is mu;
  /// columns named i0 and it/itrans/i1 give ln(i0/it) (i0 and if/ifluor give if/i0); two columns
  /// are energy and mu; three are energy, I0, It. Columns named k and chi, or a `.chi`/`.chik` file
  /// whose first column looks like k, give chi(k).
  ///
  /// Every mu(E) is then checked and repaired (see `XASSpectrum.sanitized`): keV → eV, sorted,
  /// duplicate energies merged; NaN/inf or fewer than 20 points are errors. Spectra are named after
  /// the file stem, or the sanitized group label for projects.
  ///
  /// A project group that cannot be read is left out, and each spectrum read from the project
  /// notes it; the call throws only when no group is left (see `readEach` to get the failures).
  public static func read(path: String, options: ReadOptions = ReadOptions()) throws -> [SpectrumInput] {
    let entries = try readEach(path: path, options: options)
    let failures = entries.compactMap { entry -> SpectrumReadFailure? in
      if case .failure(let f) = entry { return f }
      return nil
    }
    var spectra = entries.compactMap { try? $0.get() }
    guard !spectra.isEmpty else { throw failures.first?.error ?? EXAFSError.unusableData(SourceLocation(file: path), "no spectra") }
    let notes = failures.map { "not read: \($0)" }
    if !notes.isEmpty { spectra = spectra.map { $0.addingNotes(notes) } }
    return spectra
  }

  /// Reads every spectrum in the file at `path`, one entry per spectrum: an Athena project group
  /// that cannot be read is a failure naming its label, and the other groups are still read.
  /// - Throws: when the file as a whole cannot be read (not found, corrupt, no groups ...).
  public static func readEach(path: String, options: ReadOptions = ReadOptions()) throws
    -> [Result<SpectrumInput, SpectrumReadFailure>]
  {
    switch try load(path: path) {
    case .table(var table, let format):
      if format == .columns { table.addHeaderTimestamp() }  // XDI files carry Scan.start_time
      return [.success(try interpret(table, options: options, name: stem(path)).input)]
    case .scans(let scans):
      return try scanSpectra(scans, path: path, options: options)
    case .project(let entries):
      return try projectSpectra(entries, path: path, options: options)
    }
  }

  /// Describes the file at `path` without processing it.
  public static func info(path: String) throws -> FileInfo {
    switch try load(path: path) {
    case .table(let table, let format):
      let interpretation: String
      do {
        interpretation = try interpret(table, options: ReadOptions(), name: stem(path)).description
      } catch {
        interpretation = "cannot read a spectrum without options: \(error)"
      }
      return FileInfo(
        path: path, format: format, columnNames: table.names, pointCount: table.rowCount, groups: [],
        metadata: table.metadata, interpretation: interpretation, notes: table.notes)
    case .scans(let scans):
      let first = scans[0].table
      let interpretation: String
      do {
        interpretation = try interpret(first, options: ReadOptions(), name: stem(path)).description
      } catch {
        interpretation = "cannot read scan \(scans[0].number) without options: \(error)"
      }
      let notes = scans.map { "scan \($0.number): \($0.command) (\($0.table.rowCount) points; columns \($0.table.names.joined(separator: ", ")))" }
      return FileInfo(
        path: path, format: .spec, columnNames: first.names, pointCount: scans.reduce(0) { $0 + $1.table.rowCount },
        groups: [], metadata: first.metadata, interpretation: "\(scans.count) scans; scan \(scans[0].number): \(interpretation)",
        notes: notes)
    case .project(let entries):
      let groups = entries.compactMap { try? $0.get() }
      let summary = groups.map { FileInfo.Group(label: $0.label, datatype: $0.datatype, points: $0.x.count) }
      var notes = groups.flatMap { g in g.notes.map { "group '\(g.label)': \($0)" } }
      for entry in entries { if case .failure(let f) = entry { notes.append("not read: \(f)") } }
      return FileInfo(
        path: path, format: .athenaProject, columnNames: [], pointCount: summary.reduce(0) { $0 + $1.points },
        groups: summary, metadata: [:], interpretation: "\(groups.count) Athena groups", notes: notes)
    }
  }

  // MARK: - Loading

  enum LoadedFile {
    case table(ColumnTable, FileInfo.Format)
    case project([Result<AthenaGroup, AthenaGroupFailure>])
    case scans([SpecFile.Scan])
  }

  /// Reads and parses `path` in whichever format it is.
  static func load(path: String) throws -> LoadedFile {
    let data = try TextLines.loadBytes(path: path)
    let prefix = String(decoding: data.prefix(4096), as: UTF8.self)
    if AthenaProject.looksLikeProject(prefix) {
      return .project(try AthenaProject.parseEntries(AthenaProject.decodedLines(data, file: path)))
    }
    let text = try TextLines.decode(data, file: path)
    if let first = text.lines.first, XDIFile.isVersionLine(first.text) {
      return .table(try XDIFile.parse(text), .xdi)
    }
    if SpecFile.looksLikeSpec(text) { return .scans(try SpecFile.parse(text)) }
    return .table(try ColumnFile.parse(text), .columns)
  }

  /// The file name without directories and extensions (`data/cu.xdi.gz` → `cu`), sanitized.
  static func stem(_ path: String) -> String {
    var url = URL(fileURLWithPath: path)
    if url.pathExtension.lowercased() == "gz" { url = url.deletingPathExtension() }
    return fileSafeName(url.deletingPathExtension().lastPathComponent)
  }

  /// `name` usable as a file name: runs of characters other than ASCII letters, digits, `.` and
  /// `-` become one `_` (as Larch names project groups); leading dots and outer `_` are dropped.
  package static func fileSafeName(_ name: String) -> String {
    var safe = ""
    for c in name {
      let keep = c.isASCII && (c.isLetter || c.isNumber || c == "." || c == "-")
      if keep {
        safe.append(c)
      } else if !safe.hasSuffix("_") {
        safe.append("_")
      }
    }
    while safe.hasPrefix(".") || safe.hasPrefix("_") { safe.removeFirst() }
    while safe.hasSuffix("_") { safe.removeLast() }
    return safe.isEmpty ? "spectrum" : safe
  }

  // MARK: - Athena projects

  /// One spectrum per SPEC scan (those of `options.scans`, else all), named `STEM_scanN`.
  private static func scanSpectra(_ scans: [SpecFile.Scan], path: String, options: ReadOptions) throws
    -> [Result<SpectrumInput, SpectrumReadFailure>]
  {
    for wanted in options.scans where !scans.contains(where: { $0.number == wanted }) {
      throw EXAFSError.invalidParameter(
        "scan", "no scan \(wanted) in \(path); its scans are: " + scans.map { String($0.number) }.joined(separator: ", "))
    }
    let chosen = options.scans.isEmpty ? scans : scans.filter { options.scans.contains($0.number) }
    return chosen.map { scan in
      let name = "\(stem(path))_scan\(scan.number)"
      do {
        var table = scan.table
        table.addHeaderTimestamp()  // the scan's #D line
        table.notes.insert("SPEC scan \(scan.number) of \(scans.count): \(scan.command)", at: 0)
        return .success(try interpret(table, options: options, name: name).input)
      } catch let error as EXAFSError {
        return .failure(SpectrumReadFailure(name: name, label: "scan \(scan.number)", error: error))
      } catch {
        return .failure(
          SpectrumReadFailure(name: name, label: "scan \(scan.number)", error: .unusableData(SourceLocation(file: path), "\(error)")))
      }
    }
  }

  /// Athena datatypes read as mu(E): `xmu`, `xanes` (Athena normalizes these only), `xmudat`
  /// (mu(E) from a file of FEFF's), `norm` (already normalized in Athena: processed as mu(E)).
  static let muDatatypes: Set<String> = ["xmu", "xanes", "xmudat", "norm"]

  /// Why a datatype is skipped (neither mu(E) nor chi(k)).
  static func skipReason(_ datatype: String) -> String {
    switch datatype {
    case "detector": return "a detector (I0 / It) group, which Athena itself cannot normalize"
    case "difference": return "a difference spectrum, which has no absorption edge to normalize"
    case "chir", "chiq": return "a chi(R) or chi(q) group; EXAFSKit starts from mu(E) or chi(k)"
    default: return "Athena datatype '\(datatype)', neither mu(E) nor chi(k)"
    }
  }

  private static func projectSpectra(
    _ entries: [Result<AthenaGroup, AthenaGroupFailure>], path: String, options: ReadOptions
  ) throws -> [Result<SpectrumInput, SpectrumReadFailure>] {
    var notes: [String] = []
    if let mu = options.mu { notes.append("the mu expression '\(mu)' is ignored: Athena project groups already hold mu(E)") }
    if options.energyColumn != nil { notes.append("the energy column option is ignored for an Athena project") }
    let all = entries.compactMap { try? $0.get() }
    var chosen: [Result<AthenaGroup, AthenaGroupFailure>] = []
    for wanted in options.groups {
      if let failed = entries.first(where: { entry in
        if case .failure(let f) = entry { return f.label.lowercased() == wanted.lowercased() }
        return false
      }) {
        chosen.append(failed)
        continue
      }
      guard
        let group = all.first(where: { $0.label == wanted })
          ?? all.first(where: { $0.label.lowercased() == wanted.lowercased() })
      else {
        throw EXAFSError.invalidParameter(
          "group",
          "no group '\(wanted)' in \(path); its groups are: " + all.map { "'\($0.label)'" }.joined(separator: ", "))
      }
      guard muDatatypes.contains(group.datatype) || group.datatype == "chi" else {
        throw EXAFSError.invalidParameter(
          "group", "group '\(group.label)' in \(path) is \(skipReason(group.datatype))")
      }
      chosen.append(.success(group))
    }
    if options.groups.isEmpty {
      for entry in entries {
        if case .success(let group) = entry, !(muDatatypes.contains(group.datatype) || group.datatype == "chi") {
          notes.append("group '\(group.label)' skipped: it is \(skipReason(group.datatype))")
          continue
        }
        chosen.append(entry)
      }
    }
    guard !chosen.isEmpty else {
      throw EXAFSError.unusableData(
        SourceLocation(file: path), "the project has no mu(E) or chi(k) groups" + (notes.isEmpty ? "" : ": " + notes.joined(separator: "; ")))
    }
    var used: [String: Int] = [:]
    return chosen.map { entry in
      switch entry {
      case .failure(let failure):
        return .failure(SpectrumReadFailure(name: fileSafeName(failure.label), label: failure.label, error: failure.error))
      case .success(let group):
        var name = fileSafeName(group.label)
        used[name, default: 0] += 1
        if let n = used[name], n > 1 { name += "_\(n)" }
        do {
          return .success(try spectrum(from: group, name: name, path: path, notes: notes))
        } catch let error as EXAFSError {
          return .failure(SpectrumReadFailure(name: name, label: group.label, error: error))
        } catch {
          return .failure(
            SpectrumReadFailure(name: name, label: group.label, error: .unusableData(SourceLocation(file: path), "\(error)")))
        }
      }
    }
  }

  /// One project group as a spectrum. This is where Athena's stored parameters enter processing:
  /// `AthenaParameters.interpret` gives them EXAFSKit's meanings (the energy shift is applied to
  /// the energies here, the rest become the spectrum's `storedParameters`).
  private static func spectrum(from group: AthenaGroup, name: String, path: String, notes: [String]) throws
    -> SpectrumInput
  {
    var metadata = ["athena.label": group.label, "athena.datatype": group.datatype, "athena.group": group.oldGroup]
    if let symbol = group.args["atsym"] ?? group.args["bkg_z"], !symbol.isEmpty, symbol != "H" {
      metadata["Element.symbol"] = symbol
    }
    if let edge = group.args["edge"] ?? group.args["fft_edge"], !edge.isEmpty { metadata["Element.edge"] = edge }
    let what = "group '\(group.label)'"
    let stored = AthenaParameters.interpret(group.args, backend: group.processedWith)
    let allNotes = notes + group.notes + stored.notes
    if group.datatype == "chi" {
      let chi = ChiSpectrum(
        name: name, k: group.x, chi: group.y, metadata: metadata, storedParameters: stored.values,
        notes: notes + group.notes, source: path)
      return .chi(try chi.sanitized(lineNumbers: nil, context: what))
    }
    var typeNotes: [String] = []
    if group.datatype == "norm" { typeNotes.append("Athena marks this group as already normalized (is_nor); it is processed as mu(E)") }
    let energy = stored.energyShift == 0 ? group.x : group.x.map { $0 + stored.energyShift }
    let spectrum = XASSpectrum(
      name: name, energy: energy, mu: group.y, i0: group.i0, metadata: metadata,
      storedParameters: stored.values, notes: allNotes + typeNotes, source: path)
    return .mu(try spectrum.sanitized(lineNumbers: nil, context: what))
  }
}

/// A spectrum of a file that could not be read while the others could (a bad Athena project group).
public struct SpectrumReadFailure: Error, Sendable, Equatable, CustomStringConvertible {
  /// The output name the spectrum would have had.
  public var name: String
  /// The group's label in the project.
  public var label: String
  /// What is wrong.
  public var error: EXAFSError

  /// The error, naming the group by its label.
  public var description: String {
    AthenaGroupFailure(label: label, error: error).description
  }
}

extension SpectrumInput {
  /// The same input with `notes` appended to its notes.
  func addingNotes(_ extra: [String]) -> SpectrumInput {
    switch self {
    case .mu(var s):
      s.notes += extra
      return .mu(s)
    case .chi(var c):
      c.notes += extra
      return .chi(c)
    }
  }
}
