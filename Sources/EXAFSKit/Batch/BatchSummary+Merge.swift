// BatchSummary+Merge: the shards of a sharded run (`exafs process --shard K/N`) put back together.
// Every shard writes `shard.csv` (which positions of the sorted input list it held); `exafs summary`
// merges the shards' summary.csv into the rows, in the order, of one unsharded run.
import Foundation

/// Which inputs one shard of a sharded run held: `shard.csv` in the shard's output folder.
///
/// summary.csv alone cannot give the unsharded order back: its `source` column is the input path,
/// but the input list is the command line's order with folders expanded (sorted within each
/// folder), and a shard that stopped early or a missing shard cannot be told from a short one. The
/// manifest records the shard (K of N), the length of the whole input list, and the 1-based position
/// in that list of every input the shard held.
public struct ShardManifest: Sendable, Equatable {
  /// One input of the shard.
  public struct Input: Sendable, Equatable {
    /// 1-based position in the whole (unsharded) input list.
    public var position: Int
    /// The input's path as the batch saw it (the `source` column of summary.csv).
    public var source: String

    public init(position: Int, source: String) {
      self.position = position
      self.source = source
    }
  }

  /// The file name in the shard's output folder.
  public static let fileName = "shard.csv"

  /// K of `--shard K/N` (1-based).
  public var shard: Int
  /// N of `--shard K/N`.
  public var shardCount: Int
  /// Length of the whole input list (all shards).
  public var totalInputs: Int
  /// The HDF5 file the shard wrote (`--hdf5`, the path as given), if any.
  public var hdf5: String?
  /// The inputs of this shard, in order.
  public var inputs: [Input]

  public init(shard: Int, shardCount: Int, totalInputs: Int, hdf5: String? = nil, inputs: [Input]) {
    self.shard = shard
    self.shardCount = shardCount
    self.totalInputs = totalInputs
    self.hdf5 = hdf5
    self.inputs = inputs
  }

  /// The manifest of shard `k` of `n` over the whole sorted input list `files`: positions k, k+n, ...
  public init(files: [String], shard k: Int, of n: Int, hdf5: String? = nil) {
    let inputs = files.enumerated().filter { $0.offset % n == k - 1 }.map { Input(position: $0.offset + 1, source: $0.element) }
    self.init(shard: k, shardCount: n, totalInputs: files.count, hdf5: hdf5, inputs: inputs)
  }

  /// The text of `shard.csv`: comment lines (`# EXAFSKit ...`, `# shard: K/N`, `# inputs: TOTAL`,
  /// `# hdf5: PATH`), then `position,source` and one row per input.
  public var text: String {
    var lines = [
      "# EXAFSKit \(exafsKitVersion): inputs of shard \(shard) of \(shardCount) (exafs process --shard); exafs summary merges the shards",
      "# shard: \(shard)/\(shardCount)",
      "# inputs: \(totalInputs)",
    ]
    if let hdf5 { lines.append("# hdf5: \(hdf5)") }
    lines.append("position,source")
    lines += inputs.map { "\($0.position),\(csvQuote($0.source))" }
    return lines.joined(separator: "\n") + "\n"
  }

  /// Reads `shard.csv`.
  /// - Throws: `EXAFSError.unreadable` or `.malformed` naming the file and line.
  public static func read(path: String) throws -> ShardManifest {
    let text: String
    do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
      throw EXAFSError.unreadable(SourceLocation(file: path), FoundationErrors.describe(error))
    }
    var shard: (Int, Int)?
    var total: Int?
    var hdf5: String?
    var inputs: [Input] = []
    var sawHeader = false
    for (i, record) in CSVRecords.split(text, comments: true).enumerated() {
      let line = record.line
      func bad(_ message: String) -> EXAFSError { .malformed(SourceLocation(file: path, line: line), message) }
      if record.raw.hasPrefix("#") {
        let comment = record.raw.dropFirst().trimmingCharacters(in: .whitespaces)
        if comment.hasPrefix("shard:") {
          let parts = comment.dropFirst(6).trimmingCharacters(in: .whitespaces).split(separator: "/").compactMap { Int($0) }
          guard parts.count == 2, parts[1] >= 1, (1...parts[1]).contains(parts[0]) else { throw bad("shard must be K/N with 1 <= K <= N") }
          shard = (parts[0], parts[1])
        } else if comment.hasPrefix("inputs:") {
          guard let n = Int(comment.dropFirst(7).trimmingCharacters(in: .whitespaces)), n >= 0 else {
            throw bad("inputs must be a whole number")
          }
          total = n
        } else if comment.hasPrefix("hdf5:") {
          hdf5 = comment.dropFirst(5).trimmingCharacters(in: .whitespaces)
        }
        continue
      }
      if !sawHeader {
        guard record.fields == ["position", "source"] else { throw bad("expected the header position,source") }
        sawHeader = true
        continue
      }
      guard record.fields.count == 2, let position = Int(record.fields[0]), position >= 1 else {
        throw bad("expected POSITION,SOURCE (row \(i))")
      }
      inputs.append(Input(position: position, source: record.fields[1]))
    }
    guard let (k, n) = shard else { throw EXAFSError.malformed(SourceLocation(file: path), "no '# shard: K/N' line") }
    guard let total else { throw EXAFSError.malformed(SourceLocation(file: path), "no '# inputs: TOTAL' line") }
    guard sawHeader else { throw EXAFSError.malformed(SourceLocation(file: path), "no position,source header") }
    for input in inputs where input.position > total || (input.position - 1) % n != k - 1 {
      throw EXAFSError.malformed(
        SourceLocation(file: path), "position \(input.position) is not one of shard \(k)/\(n) of \(total) inputs")
    }
    return ShardManifest(shard: k, shardCount: n, totalInputs: total, hdf5: hdf5, inputs: inputs)
  }
}

/// One summary.csv as read for merging: its header and its rows, each kept as the exact text.
public struct SummaryTable: Sendable {
  /// One row of summary.csv.
  public struct Row: Sendable, Equatable {
    /// The row's text as in the file (without the line end; may span lines when a field is quoted).
    public var raw: String
    public var name: String
    public var source: String
    public var status: String
    /// 1-based line where the row starts.
    public var line: Int
  }

  /// Path of the file.
  public var path: String
  /// The header line.
  public var header: String
  public var rows: [Row]
  /// The shard's manifest (shard.csv next to the file), nil when there is none.
  public var manifest: ShardManifest?
  /// Path of the manifest when there is one.
  public var manifestPath: String?

  /// Reads summary.csv at `path`, and shard.csv next to it when present.
  /// - Throws: `EXAFSError.unreadable` / `.malformed` naming the file and line.
  public init(path: String) throws {
    self.path = path
    let text: String
    do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
      throw EXAFSError.unreadable(SourceLocation(file: path), FoundationErrors.describe(error))
    }
    let records = CSVRecords.split(text)
    guard let first = records.first else { throw EXAFSError.malformed(SourceLocation(file: path, line: 1), "empty file: no header") }
    header = first.raw
    let columns = first.fields
    guard let nameColumn = columns.firstIndex(of: "name"), let sourceColumn = columns.firstIndex(of: "source"),
      let statusColumn = columns.firstIndex(of: "status")
    else {
      throw EXAFSError.malformed(
        SourceLocation(file: path, line: 1), "not a summary.csv of exafs process: the header has no name, source or status column")
    }
    rows = try records.dropFirst().map { r in
      guard r.fields.count == columns.count else {
        throw EXAFSError.malformed(
          SourceLocation(file: path, line: r.line), "\(r.fields.count) fields, the header has \(columns.count)")
      }
      return Row(raw: r.raw, name: r.fields[nameColumn], source: r.fields[sourceColumn], status: r.fields[statusColumn], line: r.line)
    }
    let manifest = ((path as NSString).deletingLastPathComponent as NSString).appendingPathComponent(ShardManifest.fileName)
    if FileManager.default.fileExists(atPath: manifest) {
      self.manifest = try ShardManifest.read(path: manifest)
      manifestPath = manifest
    }
  }
}

/// summary.csv of many shards merged into the rows of one unsharded run.
public struct SummaryMerge: Sendable {
  /// The merged summary.csv text.
  public var csv: String
  /// Number of rows (spectra and unreadable inputs).
  public var rowCount: Int
  /// The shards' manifests in shard order (empty when merged in the given order).
  public var manifests: [ShardManifest]
  /// Problems that were allowed (`allowIncomplete`): missing shards, inputs without a row.
  public var warnings: [String]

  /// Merges the tables.
  ///
  /// With manifests (every table has its shard.csv), rows are put in the order of the whole input
  /// list: by position, and within one input (the groups of an Athena project) in the shard's order.
  /// Without any manifest and `inGivenOrder`, the tables are concatenated as given.
  ///
  /// - Parameters:
  ///   - allowIncomplete: merge even when a shard is missing or an input of a shard has no row (an
  ///     interrupted shard), with a warning each; otherwise these are errors.
  /// - Throws: `EXAFSError.malformed` naming the file: a header that differs (and the column), a
  ///   table without manifest, shards of different runs, a shard given twice, a missing shard or
  ///   row, a row whose source the shard never held, a name that two processed spectra share.
  public init(_ tables: [SummaryTable], allowIncomplete: Bool = false, inGivenOrder: Bool = false) throws {
    guard let first = tables.first else { throw EXAFSError.invalidParameter("SHARD", "no summary.csv given") }
    func fail(_ path: String, line: Int? = nil, _ message: String) -> EXAFSError {
      .malformed(SourceLocation(file: path, line: line), message)
    }
    // The same header everywhere.
    let firstColumns = CSVRecords.split(first.header).first?.fields ?? []
    for t in tables.dropFirst() where t.header != first.header {
      let columns = CSVRecords.split(t.header).first?.fields ?? []
      let i = Array(zip(columns, firstColumns)).firstIndex { $0.0 != $0.1 } ?? min(columns.count, firstColumns.count)
      let theirs = i < columns.count ? "'\(columns[i])'" : "missing"
      let ours = i < firstColumns.count ? "'\(firstColumns[i])'" : "absent"
      throw fail(
        t.path, line: 1,
        "the header differs from \(first.path): column \(i + 1) is \(theirs), there it is \(ours); merge only shards of one exafs version and command")
    }
    var warnings: [String] = []
    var ordered: [SummaryTable.Row] = []
    var manifests: [ShardManifest] = []
    let withManifest = tables.filter { $0.manifest != nil }
    if withManifest.isEmpty, inGivenOrder {
      ordered = tables.flatMap(\.rows)
    } else {
      if let t = tables.first(where: { $0.manifest == nil }) {
        throw fail(
          t.path,
          "no \(ShardManifest.fileName) next to it: not the output of exafs process --shard K/N, so the unsharded order is unknown (merge only shards; or, with no shard at all, --in-given-order concatenates)")
      }
      let m0 = withManifest[0].manifest!
      var byShard: [Int: SummaryTable] = [:]
      for t in tables {
        let m = t.manifest!
        guard m.shardCount == m0.shardCount, m.totalInputs == m0.totalInputs else {
          throw fail(
            t.manifestPath!,
            "shard \(m.shard)/\(m.shardCount) of \(m.totalInputs) inputs is not of the same run as \(withManifest[0].manifestPath!) (shard \(m0.shard)/\(m0.shardCount) of \(m0.totalInputs) inputs)")
        }
        if let other = byShard[m.shard] { throw fail(t.path, "shard \(m.shard)/\(m.shardCount) is given twice (also \(other.path))") }
        byShard[m.shard] = t
      }
      let missing = (1...m0.shardCount).filter { byShard[$0] == nil }
      if !missing.isEmpty {
        let message =
          "shard(s) \(missing.map { "\($0)/\(m0.shardCount)" }.joined(separator: ", ")) missing: \(missing.count) of \(m0.shardCount) shards not given"
        if allowIncomplete { warnings.append(message) } else {
          throw EXAFSError.invalidParameter("SHARD", message + " (give every shard's folder, or --allow-incomplete)")
        }
      }
      var keyed: [(position: Int, index: Int, row: SummaryTable.Row)] = []
      for k in byShard.keys.sorted() {
        let t = byShard[k]!
        let inputs = t.manifest!.inputs
        var p = -1  // the manifest input the previous row belonged to
        var covered = Set<Int>()
        for (index, row) in t.rows.enumerated() {
          if p < 0 || inputs[p].source != row.source {
            guard let next = inputs[(p + 1)...].firstIndex(where: { $0.source == row.source }) else {
              throw fail(
                t.path, line: row.line,
                "source \(row.source) is not an input of shard \(k)/\(m0.shardCount) after the rows before it (\(t.manifestPath!)); summary.csv and shard.csv are not of the same run")
            }
            p = next
          }
          covered.insert(p)
          keyed.append((inputs[p].position, index, row))
        }
        let uncovered = inputs.indices.filter { !covered.contains($0) }
        if !uncovered.isEmpty {
          let message =
            "\(t.path): \(uncovered.count) of the \(inputs.count) inputs of shard \(k)/\(m0.shardCount) have no row (first: \(inputs[uncovered[0]].source)); the shard did not finish"
          if allowIncomplete { warnings.append(message) } else {
            throw EXAFSError.invalidParameter("SHARD", message + " (re-run it, or --allow-incomplete)")
          }
        }
      }
      ordered = keyed.sorted { ($0.position, $0.index) < ($1.position, $1.index) }.map(\.row)
      manifests = byShard.keys.sorted().map { byShard[$0]!.manifest! }
    }
    // Processed spectra must have distinct names (their files and HDF5 groups are named after them).
    var seen: [String: String] = [:]
    for row in ordered where row.status == "ok" {
      if let other = seen[row.name] {
        throw EXAFSError.invalidParameter(
          "SHARD",
          "the name \(row.name) is used by two processed spectra (\(other) and \(row.source)); shards cannot see each other's names, so rename one input (unique file stems) and re-run its shard")
      }
      seen[row.name] = row.source
    }
    csv = ([first.header] + ordered.map(\.raw)).joined(separator: "\n") + "\n"
    rowCount = ordered.count
    self.manifests = manifests
    self.warnings = warnings
  }
}

/// RFC 4180 records of a CSV text, each with its exact text, its fields and its first line. With
/// `comments`, a line starting with `#` is one record of one field (for the caller to read or skip).
enum CSVRecords {
  struct Record {
    var raw: String
    var fields: [String]
    var line: Int
  }

  static func split(_ text: String, comments: Bool = false) -> [Record] {
    var records: [Record] = []
    var raw = ""
    var fields: [String] = []
    var field = ""
    var quoted = false
    var line = 1
    var start = 1
    var atFieldStart = true
    func end() {
      fields.append(field)
      if !(raw.isEmpty && fields == [""]) { records.append(Record(raw: raw, fields: fields, line: start)) }
      raw = ""
      fields = []
      field = ""
      atFieldStart = true
    }
    var chars = text.makeIterator()
    var pending: Character? = nil
    while let c = pending ?? chars.next() {
      pending = nil
      if comments, c == "#", raw.isEmpty, fields.isEmpty {
        var comment = "#"
        while let n = chars.next(), n != "\n", n != "\r\n" { comment.append(n) }
        records.append(Record(raw: comment, fields: [comment], line: line))
        line += 1
        start = line
        continue
      }
      if quoted {
        raw.append(c)
        if c == "\"" {
          if let n = chars.next() {
            if n == "\"" {
              raw.append(n)
              field.append("\"")
            } else {
              quoted = false
              pending = n
            }
          } else {
            quoted = false
          }
        } else {
          if c == "\n" || c == "\r\n" { line += 1 }
          field.append(c)
        }
        continue
      }
      switch c {
      case "\n", "\r\n":
        end()
        line += 1
        start = line
      case ",":
        raw.append(c)
        fields.append(field)
        field = ""
        atFieldStart = true
      case "\"" where atFieldStart:
        raw.append(c)
        quoted = true
        atFieldStart = false
      default:
        raw.append(c)
        field.append(c)
        atFieldStart = false
      }
    }
    if !raw.isEmpty || !field.isEmpty || !fields.isEmpty { end() }
    return records
  }
}
