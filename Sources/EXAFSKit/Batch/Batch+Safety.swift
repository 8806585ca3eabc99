// Batch+Safety: the output folder before and during a run: stale temporaries and outputs removed, inputs protected.
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension Batch {
  /// Extensions of the data files of one spectrum (NAME.EXT).
  static let dataExtensions = ["nor", "chik", "chir", "chiq", "wavelet", "json"]
  /// Its figures: NAME.KIND.FORMAT, e.g. NAME.chir.png.
  static let figureKinds = ["mu", "chik", "chir", "chiq", "kweights", "wavelet"]
  static let figureExtensions = ["png", "svg", "pdf"]

  /// Before the run: registers the inputs as protected (no output replaces one), removes our stale
  /// temporaries, and removes summary.csv and index.html when we wrote them, so that a run that
  /// fails part way never leaves the previous run's summary looking current. Returns what was
  /// removed and the names left in the folder (nil when it could not be listed), from one listing.
  func prepareOutputFolder() -> (removed: [String], remaining: Set<String>?) {
    OutputChecks.protectInputs(files)
    let dir = configuration.outdir
    let listing = try? FileManager.default.contentsOfDirectory(atPath: dir)
    var removed = OutputChecks.removeStaleTemporaries(in: dir, names: listing ?? [])
    for name in ["summary.csv", "index.html"] {
      let path = (dir as NSString).appendingPathComponent(name)
      if OutputChecks.protectedInput(at: path) == nil, OutputChecks.isOwnOutput(path), unlink(path) == 0 {
        removed.append(name)
      }
    }
    removed += removeStaleSeries(in: dir)
    return (removed, listing.map { Set($0).subtracting(removed) })
  }

  /// Removes series.csv when we wrote it (its first line is `SeriesTable.csvHeader`) and then the
  /// series figures `series.{png,svg,pdf}` next to it; returns what was removed.
  func removeStaleSeries(in dir: String) -> [String] {
    let csv = (dir as NSString).appendingPathComponent(SeriesTable.fileName)
    guard OutputChecks.protectedInput(at: csv) == nil, OutputChecks.nonRegularKind(csv) == nil,
      let handle = FileHandle(forReadingAtPath: csv)
    else { return [] }
    let head = (try? handle.read(upToCount: SeriesTable.csvHeader.utf8.count + 2)) ?? Data()
    try? handle.close()
    guard String(decoding: head, as: UTF8.self).hasPrefix(SeriesTable.csvHeader + "\n"), unlink(csv) == 0 else { return [] }
    var removed = [SeriesTable.fileName]
    for ext in Self.figureExtensions {
      let name = "series.\(ext)"
      let p = (dir as NSString).appendingPathComponent(name)
      if OutputChecks.protectedInput(at: p) == nil, OutputChecks.nonRegularKind(p) == nil, unlink(p) == 0 { removed.append(name) }
    }
    return removed
  }

  /// A unique name for a processed spectrum; the previous run's outputs of that name are removed
  /// first (under the lock that hands out names, so no file of this run is touched).
  func claimName(_ name: String) -> String {
    let (unique, existing) = state.withLock { s in (Self.uniqueName(name, &s.names), s.preexisting) }
    // The name is reserved for this worker now, so its stale files can be removed outside the
    // lock (the other workers do not wait for these file-system calls).
    Self.removeOwnOutputs(of: unique, in: configuration.outdir, existing: existing)
    return unique
  }

  /// Removes a previous run's outputs of a spectrum that failed now, unless this run already wrote
  /// that name (a spectrum of the same name that succeeded).
  func clearStaleOutputs(ofFailed name: String) {
    state.withLock { s in
      guard !s.names.contains(name) else { return }
      Self.removeOwnOutputs(of: name, in: configuration.outdir, existing: s.preexisting)
    }
  }

  /// Removes NAME.nor/.chik/.chir/.wavelet/.json that exafs wrote (recognized by their contents,
  /// never by name alone) and, when NAME.json was ours, the figures NAME.{mu,chik,chir,wavelet}.{png,svg,pdf}. Inputs are kept.
  /// `existing`: the folder's names at the start of the run (nil: unknown); a candidate not among
  /// them is not looked up at all.
  static func removeOwnOutputs(of name: String, in dir: String, existing: Set<String>? = nil) {
    guard !name.isEmpty, !name.contains("/") else { return }
    func path(_ file: String) -> String { (dir as NSString).appendingPathComponent(file) }
    // One stat per candidate: a missing file costs one call, none when the listing rules it out.
    func removable(_ file: String) -> String? {
      if let existing, !existing.contains(file) { return nil }
      let p = path(file)
      var s = stat()
      guard stat(p, &s) == 0 else { return nil }
      return OutputChecks.nonRegularKind(mode: s.st_mode) == nil && OutputChecks.protectedInput(FileIdentity(s)) == nil ? p : nil
    }
    let json = removable("\(name).json")
    let recordWasOurs = json.map(OutputChecks.isOwnOutput) ?? false
    for ext in dataExtensions {
      if ext == "json" {
        if recordWasOurs, let json { _ = unlink(json) }
      } else if let p = removable("\(name).\(ext)"), OutputChecks.isOwnOutput(p) {
        _ = unlink(p)
      }
    }
    guard recordWasOurs else { return }
    for data in figureKinds {
      for figure in figureExtensions {
        if let p = removable("\(name).\(data).\(figure)") { _ = unlink(p) }
      }
    }
  }
}
