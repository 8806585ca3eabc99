// Running FEFF6 (Debian's feff6l) on a small cluster: feff.inp from XYZ, the run in a temporary folder, paths.json.
import Foundation

/// Settings of a FEFF run (FEFF6 cards HOLE, RMAX, NLEG).
public struct FeffRunParameters: Sendable, Codable, Equatable {
  /// Absorption edge: K, L1, L2 or L3 (default L3).
  public var edge: String = "L3"
  /// Longest half path length, Å (default 5).
  public var rmax: Double = 5
  /// Most legs of a path (default 4).
  public var nleg: Int = 4
  /// The FEFF executable (default: feff6l found in PATH, /usr/bin/feff6l first).
  public var executable: String?
  public init() {}

  /// FEFF's HOLE index of the edge.
  var hole: Int? { ["K": 1, "L1": 2, "L2": 3, "L3": 4][edge.uppercased()] }
}

/// One path FEFF wrote, as listed in paths.json.
public struct FeffPathSummary: Sendable, Codable, Equatable {
  public var file: String
  public var reff: Double
  public var degen: Double
  public var nleg: Int
  public var atoms: [String]
  /// FEFF's curved-wave amplitude ratio, % of the strongest path (files.dat).
  public var importance: Double?
}

/// The feff.inp text for a cluster file: XYZ (element symbols, absorber first) turned into FEFF6
/// cards, or a feff.inp (a file with an ATOMS card) passed through unchanged.
/// - Throws: `.malformed` with the line for an XYZ line that does not parse or an unknown element.
public func feffInput(clusterPath path: String, parameters p: FeffRunParameters) throws -> String {
  let text: String
  do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
    throw EXAFSError.unreadable(SourceLocation(file: path), FoundationErrors.describe(error))
  }
  let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
  if lines.contains(where: { $0.trimmingCharacters(in: .whitespaces).uppercased().hasPrefix("ATOMS") }) { return text }
  guard let hole = p.hole else { throw EXAFSError.invalidParameter("edge", "must be K, L1, L2 or L3, not \(p.edge)") }
  var atoms: [(String, Double, Double, Double)] = []
  var start = 0
  if let first = lines.first, Int(first.trimmingCharacters(in: .whitespaces)) != nil { start = 2 }  // XYZ count + comment
  for (i, line) in lines.enumerated().dropFirst(start) {
    let w = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
    if w.isEmpty || w[0].hasPrefix("#") { continue }
    guard w.count >= 4, let x = Double(w[1]), let y = Double(w[2]), let z = Double(w[3]) else {
      throw EXAFSError.malformed(SourceLocation(file: path, line: i + 1), "expected 'Element x y z', found '\(line)'")
    }
    guard atomicNumber(w[0]) != nil else {
      throw EXAFSError.malformed(SourceLocation(file: path, line: i + 1, column: 1), "unknown element '\(w[0])'")
    }
    atoms.append((w[0], x, y, z))
  }
  guard let absorber = atoms.first, atoms.count >= 2 else {
    throw EXAFSError.unusableData(SourceLocation(file: path), "a cluster needs an absorber (first atom) and at least one neighbour")
  }
  var species: [String] = []
  for a in atoms.dropFirst() where !species.contains(a.0) { species.append(a.0) }
  var out = [
    "TITLE cluster from \((path as NSString).lastPathComponent), absorber \(absorber.0)", "HOLE \(hole) 1.0",
    "CONTROL 1 1 1 1", "PRINT 0 0 0 0", "RMAX \(p.rmax)", "NLEG \(p.nleg)", "POTENTIALS",
    "  0 \(atomicNumber(absorber.0) ?? 0) \(absorber.0)",
  ]
  for (i, s) in species.enumerated() { out.append("  \(i + 1) \(atomicNumber(s) ?? 0) \(s)") }
  out.append("ATOMS")
  for (i, a) in atoms.enumerated() {
    let ipot = i == 0 ? 0 : (species.firstIndex(of: a.0) ?? 0) + 1
    out.append(String(format: "  %10.5f %10.5f %10.5f %d %@", a.1 - absorber.1, a.2 - absorber.2, a.3 - absorber.3, ipot, a.0))
  }
  out.append("END")
  return out.joined(separator: "\n") + "\n"
}

/// Runs FEFF on `feffInp` in a temporary folder and copies feff.inp, the feffNNNN.dat files,
/// files.dat and paths.dat into `outdir`, with paths.json listing every path.
/// - Throws: `.invalidParameter("feff", ...)` when the executable is missing; `.unusableData` naming
///   outdir/feff.inp with FEFF's own last lines when FEFF fails or writes no path.
public func runFeff(input feffInp: String, outdir: String, parameters p: FeffRunParameters) throws -> [FeffPathSummary] {
  let fm = FileManager.default
  let exe = try feffExecutable(p.executable)
  let inpPath = (outdir as NSString).appendingPathComponent("feff.inp")
  try AtomicWriter.write(feffInp, to: inpPath)
  let tmp = fm.temporaryDirectory.appendingPathComponent("exafs-feff-\(UUID().uuidString)")
  try fm.createDirectory(at: tmp, withIntermediateDirectories: true)
  defer { try? fm.removeItem(at: tmp) }
  try AtomicWriter.write(feffInp, to: tmp.appendingPathComponent("feff.inp").path)
  let process = Process()
  process.executableURL = URL(fileURLWithPath: exe)
  process.currentDirectoryURL = tmp
  let pipe = Pipe()
  process.standardOutput = pipe
  process.standardError = pipe
  do { try process.run() } catch {
    throw EXAFSError.invalidParameter("feff", "cannot run \(exe): \(FoundationErrors.describe(error))")
  }
  let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
  process.waitUntilExit()
  let files = ((try? fm.contentsOfDirectory(atPath: tmp.path)) ?? []).filter {
    $0.hasPrefix("feff") && $0.hasSuffix(".dat") && $0.count == 12
  }.sorted()
  guard process.terminationStatus == 0, !files.isEmpty else {
    let tail = output.split(separator: "\n").suffix(8).joined(separator: "\n")
    throw EXAFSError.unusableData(
      SourceLocation(file: inpPath),
      "\((exe as NSString).lastPathComponent) failed (exit \(process.terminationStatus), \(files.count) paths written); its output ends:\n\(tail)")
  }
  var importance: [String: Double] = [:]
  if let listing = try? String(contentsOf: tmp.appendingPathComponent("files.dat"), encoding: .utf8) {
    for line in listing.split(separator: "\n") {
      let w = line.split(separator: " ")
      if w.count >= 6, w[0].hasPrefix("feff"), let amp = Double(w[2]) { importance[String(w[0])] = amp }
    }
  }
  var summaries: [FeffPathSummary] = []
  for name in files {
    let src = tmp.appendingPathComponent(name).path
    let file = try FeffPathFile(path: src)
    try AtomicWriter.write(try Data(contentsOf: URL(fileURLWithPath: src)), to: (outdir as NSString).appendingPathComponent(name))
    summaries.append(
      FeffPathSummary(
        file: name, reff: file.reff, degen: file.degen, nleg: file.nleg, atoms: file.atoms.map(\.symbol),
        importance: importance[name]))
  }
  for extra in ["files.dat", "paths.dat"] {
    if let data = try? Data(contentsOf: tmp.appendingPathComponent(extra)) {
      try AtomicWriter.write(data, to: (outdir as NSString).appendingPathComponent(extra))
    }
  }
  let encoder = JSONEncoder()
  encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
  try AtomicWriter.write(try encoder.encode(summaries), to: (outdir as NSString).appendingPathComponent("paths.json"))
  return summaries
}

/// The FEFF6 executable: the one given, else /usr/bin/feff6l, else feff6l in PATH.
func feffExecutable(_ given: String?) throws -> String {
  let fm = FileManager.default
  if let given {
    guard fm.isExecutableFile(atPath: given) else {
      throw EXAFSError.invalidParameter("feff", "\(given) is not an executable file")
    }
    return given
  }
  var candidates = ["/usr/bin/feff6l"]
  for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
    candidates.append("\(dir)/feff6l")
  }
  guard let found = candidates.first(where: { fm.isExecutableFile(atPath: $0) }) else {
    throw EXAFSError.invalidParameter("feff", "feff6l not found; install Debian's feff85exafs (apt-get install feff85exafs)")
  }
  return found
}
