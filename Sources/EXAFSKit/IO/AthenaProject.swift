// AthenaProject: reads Athena / Demeter project files (.prj, gzip or plain Perl Data::Dumper text) as data.
import Foundation

/// One data group of an Athena project.
public struct AthenaGroup: Sendable, Equatable {
  /// The name shown in Athena: `args["label"]`, else the group key `$old_group`.
  public var label: String
  /// Athena's internal group key (`$old_group`, usually 5 random letters).
  public var oldGroup: String
  /// Every `@args` entry (Athena's parameter names: `bkg_e0`, `bkg_rbkg`, `fft_kmin` ...).
  /// Nested lists (such as `titles`) are joined with `, `.
  public var args: [String: String]
  /// The abscissa: energy in eV for mu(E) groups, k in 1/Å for chi groups.
  public var x: [Double]
  /// The ordinate: mu(E), or chi(k) for chi groups.
  public var y: [Double]
  /// Incident intensity, when the project stores it.
  public var i0: [Double]?
  /// The signal channel (numerator of mu), when stored.
  public var signal: [Double]?
  /// Per-point uncertainty, when stored (merged groups).
  public var stddev: [Double]?
  /// Athena's data type: `xmu`, `chi`, `xanes`, `xmudat`, `norm`, `detector`, `difference` ...
  public var datatype: String
  /// What the reader changed or dropped (a side array whose length differs from @x ...).
  public var notes: [String] = []
  /// The backend whose conventions produced the stored results, from the project header
  /// (`AthenaProject.backend(header:)`); nil when the group was not read from a project.
  public var processedWith: NormalizationConvention?

  /// Creates a group; `datatype` defaults from `args` (`datatype`, else the `is_chi` / `is_xanes` flags).
  public init(
    label: String, oldGroup: String = "", args: [String: String] = [:], x: [Double], y: [Double],
    i0: [Double]? = nil, signal: [Double]? = nil, stddev: [Double]? = nil, datatype: String? = nil
  ) {
    self.label = label
    self.oldGroup = oldGroup
    self.args = args
    self.x = x
    self.y = y
    self.i0 = i0
    self.signal = signal
    self.stddev = stddev
    self.datatype = datatype ?? AthenaGroup.datatype(from: args)
  }

  /// A mu(E) group holding `spectrum`: its stored parameters become `@args`, and the XDI fields
  /// `Element.symbol` / `Element.edge` (when present) Athena's `atsym` / `edge`.
  public init(spectrum: XASSpectrum, datatype: String = "xmu") {
    var args = AthenaParameters.demeterArgs(fromStored: spectrum.storedParameters)
    let metadata = Dictionary(spectrum.metadata.map { ($0.key.lowercased(), $0.value) }) { a, _ in a }
    if args["atsym"] == nil, let symbol = metadata["element.symbol"] { args["atsym"] = symbol }
    if args["edge"] == nil, let edge = metadata["element.edge"] { args["edge"] = edge }
    self.init(
      label: spectrum.name, args: args, x: spectrum.energy, y: spectrum.mu, i0: spectrum.i0, datatype: datatype)
  }

  /// A chi(k) group holding `chi` (x = k, y = chi).
  public init(chi: ChiSpectrum) {
    self.init(label: chi.name, args: chi.storedParameters, x: chi.k, y: chi.chi, datatype: "chi")
  }

  /// Athena's data type from the `@args` of a group: `datatype` (Demeter), else the flags that
  /// Demeter and old Athena (0.8) write: `is_chi`, `is_xanes`, `is_xmudat`, `is_nor` (already
  /// normalized), `is_diff` (difference spectrum), `is_detector`/`is_pixel`, else `xmu`.
  static func datatype(from args: [String: String]) -> String {
    if let type = args["datatype"], !type.isEmpty { return type }
    func on(_ flag: String) -> Bool { (Double(args[flag] ?? "") ?? 0) != 0 }
    if on("is_chi") { return "chi" }
    if on("is_diff") { return "difference" }
    if on("is_detector") || on("is_pixel") { return "detector" }
    if on("is_xanes") { return "xanes" }
    if on("is_xmudat") { return "xmudat" }
    if on("is_nor") { return "norm" }
    if on("is_rsp") || on("is_qsp") { return on("is_rsp") ? "chir" : "chiq" }
    return "xmu"
  }
}

/// A project group that could not be read; the other groups of its project are still read.
public struct AthenaGroupFailure: Error, Sendable, Equatable, CustomStringConvertible {
  /// The group's label (or `$old_group`, or its position when neither was read).
  public var label: String
  /// What is wrong, with the file and line.
  public var error: EXAFSError

  /// `error`, naming the group.
  public var description: String {
    let text = error.description
    if text.contains("'\(label)'") { return text }
    if let loc = error.location, text.hasPrefix("\(loc): ") {  // keep `file:line:column:` first
      return "\(loc): group '\(label)': " + text.dropFirst("\(loc): ".count)
    }
    return "group '\(label)': \(text)"
  }
}

/// Reader and writer of Athena project files.
///
/// A project is gzip-compressed (sometimes plain) text: header comments, then per group
/// `$old_group = '...';`, `@args = (...);`, `@x = (...);`, `@y = (...);`, optional `@i0`,
/// `@signal`, `@stddev`, and a `[record]` line closing the group; `1;` ends the file. Every line is
/// parsed as data by a strict tokenizer (`PerlLineParser`) and nothing in it is ever evaluated.
/// Lines that hold the data read here must parse, else `.malformed` names line and column; other
/// assignments (Athena's `$xdi`, `%plot_features`, `@journal` ...) are skipped if they do not.
public enum AthenaProject {
  /// Reads the project at `path`.
  public static func read(path: String) throws -> [AthenaGroup] {
    try parse(decodedLines(TextLines.loadBytes(path: path), file: path))
  }

  /// Splits project text into lines; array lines may be long, so only the total size is capped.
  static func decodedLines(_ data: Data, file: String) throws -> TextLines {
    try TextLines.decode(data, file: file, maxLineBytes: InputLimits.maxDecompressedBytes)
  }

  /// True when the start of a file looks like an Athena project: a first line
  /// `# Athena project file`, a line starting `$old_group`, or JSON naming an Athena project.
  static func looksLikeProject(_ prefix: String) -> Bool {
    if prefix.hasPrefix("# Athena project file") { return true }
    if prefix.hasPrefix("{"), prefix.contains("Athena project file") { return true }
    // A line starting with `$old_group` (a plain byte scan: this runs on every input file).
    let bytes = Array(prefix.utf8)
    let marker = Array("$old_group".utf8)
    var atLineStart = true
    for (i, b) in bytes.enumerated() {
      if atLineStart, b == marker[0], bytes.count - i >= marker.count, bytes[i..<(i + marker.count)].elementsEqual(marker) {
        return true
      }
      atLineStart = b == 0x0A || b == 0x0D
    }
    return false
  }

  /// Parses project text already split into lines: the groups that read, in order.
  /// - Throws: the first group's failure when a group could not be read (see `parseEntries` to
  ///   keep the others), and file-level errors (no groups, too many numbers).
  static func parse(_ text: TextLines) throws -> [AthenaGroup] {
    try parseEntries(text).map { entry in
      switch entry {
      case .success(let group): return group
      case .failure(let failure): throw failure.error
      }
    }
  }

  /// Parses project text into one entry per group: the group, or why that group alone could not
  /// be read. The classic layout (Data::Dumper lines) and Demeter's JSON layout are both read.
  /// - Throws: only for the file as a whole: no data groups, more numbers than allowed.
  static func parseEntries(_ text: TextLines) throws -> [Result<AthenaGroup, AthenaGroupFailure>] {
    if let first = text.lines.first(where: { !$0.text.trimmingCharacters(in: .whitespaces).isEmpty }),
      first.text.trimmingCharacters(in: .whitespaces).hasPrefix("{")
    {
      return try AthenaJSONProject.parse(text)
    }
    var entries: [Result<AthenaGroup, AthenaGroupFailure>] = []
    var current = GroupBuilder()
    var totalValues = 0
    var header: [String] = []
    for line in text.lines {
      let trimmed = line.text.trimmingCharacters(in: .whitespaces)
      if trimmed.hasPrefix("#"), entries.isEmpty, current.firstLine == nil { header.append(trimmed) }
      if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
      if trimmed.hasPrefix("[record]") {
        entries.append(current.result(text: text, line: line.number, index: entries.count + 1))
        current = GroupBuilder()
        continue
      }
      if trimmed == "1;" || trimmed.hasPrefix("1; ") { continue }
      var parser = PerlLineParser(line: line, file: text.file)
      let statement: PerlStatement
      do {
        statement = try parser.parseStatement()
      } catch let error as EXAFSError {
        // Athena's own state (`$xdi = ...` with newlines flattened to `\n`, plot features ...)
        // is not needed here: such lines are skipped when they are not plain data. Lines that
        // assign nothing, or that hold the data we read, must parse: they fail their group.
        if case .malformed = error, let name = assignedName(trimmed), !Self.dataNames.contains(name) { continue }
        if case .tooLarge = error { throw error }
        current.failure = current.failure ?? error
        continue
      }
      if case .list(let items) = statement.value {
        totalValues += items.count
        guard totalValues <= InputLimits.maxTotalValues else {
          throw EXAFSError.tooLarge(
            text.location(line: line.number), "the project holds more than \(InputLimits.maxTotalValues) numbers")
        }
      }
      do {
        try current.add(statement, parser: parser, text: text, line: line.number)
      } catch let error as EXAFSError {
        current.failure = current.failure ?? error
      }
    }
    if current.isComplete || current.failure != nil {
      entries.append(current.result(text: text, line: text.lines.count, index: entries.count + 1))
    }
    guard !entries.isEmpty else {
      throw EXAFSError.unusableData(text.location(), "the Athena project contains no data groups")
    }
    return withBackend(entries, header: header)
  }

  /// `entries` with `processedWith` set from the project header.
  static func withBackend(_ entries: [Result<AthenaGroup, AthenaGroupFailure>], header: [String])
    -> [Result<AthenaGroup, AthenaGroupFailure>]
  {
    let backend = backend(header: header)
    return entries.map { entry in
      entry.map { group in
        var group = group
        group.processedWith = backend
        return group
      }
    }
  }

  /// Which backend computed the results stored in a project, from its header comments:
  /// IFEFFIT when the header names it (`using Ifeffit 1.2.11d`), for old Athena (`Athena
  /// version 0.8.0xx`, always IFEFFIT) and for Demeter before 0.9.18 (IFEFFIT only); else Larch
  /// (`using Larch`, Larch-written projects, and EXAFSKit's own).
  public static func backend(header: [String]) -> NormalizationConvention {
    let text = header.joined(separator: "\n").lowercased()
    if text.contains("ifeffit") || text.contains("athena version") { return .ifeffit }
    if text.contains("larch") { return .larch }
    if let range = text.range(of: "demeter version ") {
      let version = text[range.upperBound...].prefix { $0.isNumber || $0 == "." }.split(separator: ".").compactMap { Int($0) }
      if version.count >= 3, (version[0], version[1], version[2]) < (0, 9, 18) { return .ifeffit }
    }
    return .larch
  }

  /// The variables read from a project; their lines must parse.
  static let dataNames: Set<String> = ["$old_group", "@args", "@x", "@y", "@i0", "@signal", "@stddev"]

  /// The variable, with its sigil, that a line starting `$name`, `@name` or `%name` assigns.
  static func assignedName(_ trimmed: String) -> String? {
    guard let sigil = trimmed.first, sigil == "$" || sigil == "@" || sigil == "%" else { return nil }
    let name = trimmed.dropFirst().prefix { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
    return name.isEmpty ? nil : String(sigil) + name
  }

  /// Collects the statements of one group until its `[record]` line.
  private struct GroupBuilder {
    var oldGroup = ""
    var args: [String: String] = [:]
    var arrays: [String: [Double]] = [:]
    var firstLine: Int?
    /// The first error in this group's data lines; the group then fails alone.
    var failure: EXAFSError?

    var isComplete: Bool { arrays["x"] != nil && arrays["y"] != nil }

    mutating func add(_ statement: PerlStatement, parser: PerlLineParser, text: TextLines, line: Int) throws {
      firstLine = firstLine ?? line
      switch (statement.sigil, statement.name) {
      case ("$", "old_group"):
        oldGroup = statement.value.text
      case ("@", "args"):
        args = try pairs(statement.value, parser: parser, text: text, line: line)
      case ("@", "x"), ("@", "y"), ("@", "i0"), ("@", "signal"), ("@", "stddev"):
        arrays[statement.name] = try numbers(statement, parser: parser, text: text, line: line)
      default:
        break  // @journal, %plot_features, @indicator, @lcf_data ...: valid data we do not use
      }
    }

    func pairs(_ value: PerlValue, parser: PerlLineParser, text: TextLines, line: Int) throws -> [String: String] {
      guard case .list(let items) = value, items.count % 2 == 0 else {
        throw EXAFSError.malformed(
          text.location(line: line), "@args must be a list of name, value pairs (an even number of items)")
      }
      var out: [String: String] = [:]
      for i in stride(from: 0, to: items.count, by: 2) {
        out[items[i].text] = items[i + 1].text
      }
      return out
    }

    func numbers(_ statement: PerlStatement, parser: PerlLineParser, text: TextLines, line: Int) throws -> [Double] {
      guard case .list(let items) = statement.value else {
        throw EXAFSError.malformed(text.location(line: line), "@\(statement.name) must be a list of numbers")
      }
      var values: [Double] = []
      values.reserveCapacity(items.count)
      for item in items {
        guard case .scalar(let word, _) = item, let value = Double(word) else {
          var column: Int?
          if case .scalar(_, let offset) = item { column = parser.column(ofByte: offset) }
          throw EXAFSError.malformed(
            text.location(line: line, column: column),
            "expected a number in @\(statement.name) but found '\(item.text)'")
        }
        values.append(value)
      }
      return values
    }

    /// The group, or its failure named by label (`index`: its position, when it has no name).
    func result(text: TextLines, line: Int, index: Int) -> Result<AthenaGroup, AthenaGroupFailure> {
      let label = args["label"].flatMap { $0.isEmpty ? nil : $0 } ?? oldGroup
      let shown = label.isEmpty ? "group \(index)" : label
      if let failure { return .failure(AthenaGroupFailure(label: shown, error: failure)) }
      do {
        return .success(
          try AthenaProject.assemble(
            label: label, oldGroup: oldGroup, args: args, arrays: arrays, location: text.location(line: line)))
      } catch let error as EXAFSError {
        return .failure(AthenaGroupFailure(label: shown, error: error))
      } catch {
        return .failure(AthenaGroupFailure(label: shown, error: .malformed(text.location(line: line), "\(error)")))
      }
    }
  }
}

extension AthenaProject {
  /// One group from its parsed parts, for both layouts: @x and @y must be there with one length;
  /// a side array (@i0, @signal, @stddev) of another length, or holding NaN or infinity, is
  /// dropped with a note (Athena writes such groups, e.g. 278 @i0 values beside 1983 @x values).
  static func assemble(
    label: String, oldGroup: String, args: [String: String], arrays: [String: [Double]], location: SourceLocation
  ) throws -> AthenaGroup {
    let name = label.isEmpty ? "the group ending on line \(location.line ?? 0)" : "group '\(label)'"
    guard let x = arrays["x"], let y = arrays["y"] else {
      throw EXAFSError.malformed(location, "\(name) has no @x and @y arrays before its [record] line")
    }
    guard x.count == y.count else {
      throw EXAFSError.malformed(location, "\(name) has \(x.count) @x values but \(y.count) @y values")
    }
    var notes: [String] = []
    func side(_ key: String) -> [Double]? {
      guard let values = arrays[key] else { return nil }
      guard values.count == x.count else {
        notes.append("@\(key) dropped: \(values.count) values beside \(x.count) @x values")
        return nil
      }
      guard values.allSatisfy(\.isFinite) else {
        notes.append("@\(key) dropped: it holds NaN or infinite values")
        return nil
      }
      return values
    }
    var group = AthenaGroup(
      label: label, oldGroup: oldGroup, args: args, x: x, y: y, i0: side("i0"), signal: side("signal"),
      stddev: side("stddev"))
    group.notes = notes
    return group
  }
}
