// Merge: the average and standard deviation of repeated scans, in mu(E) or in chi(k) (Athena's Merge menu).
import Foundation

/// The quantity in which repeated scans are averaged (Athena's "merge as mu(E)" / "merge as chi(k)").
public enum MergeSpace: String, Sendable, Codable, CaseIterable {
  /// mu(E), on the first scan's energy grid.
  case energy = "e"
  /// chi(k), each scan normalized and AUTOBK'd first, on a uniform k grid.
  case k
}

/// How to merge repeated scans.
public struct MergeParameters: Sendable, Codable, Equatable {
  /// Average mu(E) (`.energy`, the default) or chi(k) (`.k`).
  public var space: MergeSpace = .energy
  /// Step of the common k grid for `.k`, 1/Å (AUTOBK's grid, 0.05).
  public var kstep: Double = 0.05
  /// Normalization of each scan for `.k` (Larch's `pre_edge` defaults).
  public var normalization = NormalizationParameters()
  /// Background removal of each scan for `.k` (Larch's `autobk` defaults).
  public var autobk = AutobkParameters()

  public init(space: MergeSpace = .energy) { self.space = space }
}

/// The merge of repeated scans: the mean and the standard deviation at every point of a common grid.
public struct MergedScans: Sendable, Equatable {
  /// The space of the merge.
  public var space: MergeSpace
  /// The common grid: energy, eV (`.energy`) or k, 1/Å (`.k`).
  public var x: [Double]
  /// The mean over the scans: mu(E), or chi(k) (dimensionless, not k-weighted).
  public var mean: [Double]
  /// The population standard deviation over the scans at each point (numpy's `std`, ddof = 0, as
  /// Larch's `merge_groups`), in the units of `mean`.
  public var stddev: [Double]
  /// Names of the merged scans, in merge order (the first defines the grid).
  public var names: [String]
  /// Files the scans came from, in merge order.
  public var sources: [String]
  /// Metadata of the first scan (element and edge carry over to the merge).
  public var metadata: [String: String]

  /// Number of scans averaged.
  public var scanCount: Int { names.count }

  /// Column names of the output file: `energy mu stddev`, or `k chi stddev`.
  public var columnNames: [String] { space == .energy ? ["energy", "mu", "stddev"] : ["k", "chi", "stddev"] }

  /// Creates the value from its parts (memberwise).
  public init(space: MergeSpace, x: [Double], mean: [Double], stddev: [Double], names: [String], sources: [String], metadata: [String: String]) {
    self.space = space
    self.x = x
    self.mean = mean
    self.stddev = stddev
    self.names = names
    self.sources = sources
    self.metadata = metadata
  }
}

/// Averages repeated mu(E) scans (after any alignment), following Athena's and Larch's merge.
///
/// `.energy`: the common grid is the first scan's energies inside the overlap of all scans
/// ([largest first energy, smallest last energy]); every other scan is interpolated linearly onto
/// it. `.k`: every scan is normalized and AUTOBK'd with `parameters.normalization` /
/// `parameters.autobk` (Larch's defaults unless changed), then the chi(k) are merged with `mergeChi`.
/// The standard deviation is the population one (ddof = 0), as Larch's `merge_groups`.
///
/// - Throws: `.invalidParameter` for no scans; `.unusableData` (naming the file) when a scan does not
///   overlap the others or the overlap holds fewer than 20 points; errors of `normalize` / `autobk` for `.k`.
public func mergeScans(_ scans: [XASSpectrum], parameters: MergeParameters = .init()) throws -> MergedScans {
  guard let first = scans.first else {
    throw EXAFSError.invalidParameter("scans", "nothing to merge: no mu(E) scans were given")
  }
  if parameters.space == .k {
    let chis = try scans.map { scan -> ChiSpectrum in
      let chi = try autobk(normalize(scan, parameters: parameters.normalization), parameters: parameters.autobk)
      return ChiSpectrum(name: scan.name, k: chi.k, chi: chi.chi, metadata: scan.metadata, source: scan.source)
    }
    return try mergeChi(chis, kstep: parameters.kstep)
  }
  let curves = scans.map { (x: $0.energy, y: $0.mu, name: $0.name, source: $0.source) }
  let (lo, hi) = try overlap(curves, unit: "eV")
  let grid = first.energy.filter { $0 >= lo && $0 <= hi }
  let (mean, stddev) = try average(curves, on: grid, lo: lo, hi: hi, unit: "eV")
  return MergedScans(
    space: .energy, x: grid, mean: mean, stddev: stddev, names: scans.map(\.name), sources: scans.map(\.source),
    metadata: first.metadata)
}

/// Averages chi(k) spectra on the uniform grid k = 0, kstep, 2 kstep ... inside the overlap of all
/// of them, each interpolated linearly onto it; population standard deviation (ddof = 0).
///
/// - Parameter kstep: grid step, 1/Å (0.05, AUTOBK's grid).
/// - Throws: `.invalidParameter` for no spectra or a step that is not positive; `.unusableData` when
///   the k ranges do not overlap over at least 20 grid points.
public func mergeChi(_ spectra: [ChiSpectrum], kstep: Double = 0.05) throws -> MergedScans {
  guard let first = spectra.first else {
    throw EXAFSError.invalidParameter("scans", "nothing to merge: no chi(k) spectra were given")
  }
  guard kstep > 0, kstep.isFinite else {
    throw EXAFSError.invalidParameter("kstep", "the k step must be a positive number of 1/Å, got \(kstep)")
  }
  let curves = spectra.map { (x: $0.k, y: $0.chi, name: $0.name, source: $0.source) }
  let (lo, hi) = try overlap(curves, unit: "1/Å")
  let i0 = Int((lo / kstep - 1e-9).rounded(.up))
  let i1 = Int((hi / kstep + 1e-9).rounded(.down))
  let grid = i1 >= i0 ? (i0...i1).map { Double($0) * kstep } : []
  let (mean, stddev) = try average(curves, on: grid, lo: lo, hi: hi, unit: "1/Å")
  return MergedScans(
    space: .k, x: grid, mean: mean, stddev: stddev, names: spectra.map(\.name), sources: spectra.map(\.source),
    metadata: first.metadata)
}

/// One curve to merge: abscissa (increasing), ordinate, and where it came from.
typealias MergeCurve = (x: [Double], y: [Double], name: String, source: String)

/// [largest first abscissa, smallest last abscissa], or `.unusableData` naming a curve outside it.
func overlap(_ curves: [MergeCurve], unit: String) throws -> (Double, Double) {
  var lo = -Double.infinity, hi = Double.infinity
  for curve in curves {
    guard let a = curve.x.first, let b = curve.x.last, curve.x.count == curve.y.count else {
      throw EXAFSError.unusableData(SourceLocation(file: curve.source), "'\(curve.name)' has no data points")
    }
    lo = max(lo, a)
    hi = min(hi, b)
  }
  guard lo < hi else {
    let span = { (c: MergeCurve) in
      "'\(c.name)' \(ScanText.number(c.x.first ?? .nan))-\(ScanText.number(c.x.last ?? .nan)) \(unit)"
    }
    let culprit = curves.first { ($0.x.last ?? -.infinity) <= lo || ($0.x.first ?? .infinity) >= hi } ?? curves[0]
    throw EXAFSError.unusableData(
      SourceLocation(file: culprit.source),
      "the scans do not overlap, so they cannot be merged: " + curves.map(span).joined(separator: ", "))
  }
  return (lo, hi)
}

/// Mean and population standard deviation of the curves, interpolated linearly onto `grid`.
private func average(
  _ curves: [MergeCurve], on grid: [Double], lo: Double, hi: Double, unit: String
) throws -> ([Double], [Double]) {
  guard grid.count >= SpectrumReader.minimumPoints else {
    throw EXAFSError.unusableData(
      SourceLocation(file: curves[0].source),
      "the scans overlap only from \(ScanText.number(lo)) to \(ScanText.number(hi)) \(unit), \(grid.count) grid points; "
        + "at least \(SpectrumReader.minimumPoints) are needed for a merge")
  }
  let values = curves.map { linearInterpolate(x: $0.x, y: $0.y, at: grid) }
  var mean = [Double](repeating: 0, count: grid.count)
  var stddev = [Double](repeating: 0, count: grid.count)
  let n = Double(curves.count)
  for i in grid.indices {
    // Deviations from the first scan keep identical scans exactly identical (mean = value, stddev = 0).
    let base = values[0][i]
    var sum = 0.0
    for v in values { sum += v[i] - base }
    let m = sum / n
    var squares = 0.0
    for v in values {
      let d = v[i] - base - m
      squares += d * d
    }
    mean[i] = base + m
    stddev[i] = (squares / n).squareRoot()
  }
  return (mean, stddev)
}

extension MergedScans {
  /// The merge as one Athena group called `label`: mu(E) (datatype `xmu`) or chi(k) (`chi`), with the
  /// standard deviation as `@stddev` (where Athena keeps it for merged groups) and the first scan's
  /// element and edge.
  public func athenaGroup(label: String) -> AthenaGroup {
    let spectrum = XASSpectrum(name: label, energy: x, mu: mean, metadata: metadata, source: "")
    var group = AthenaGroup(spectrum: spectrum, datatype: space == .energy ? "xmu" : "chi")
    group.stddev = stddev
    return group
  }

  /// The text of the merged column file: comment header (`n_scans`, the scans in order, the grid,
  /// `extraHeader` lines such as the alignment shifts, element and edge), then the columns `energy mu
  /// stddev` (or `k chi stddev`), readable by `SpectrumReader`, numpy.loadtxt, Athena and Larch.
  public func columnFileText(extraHeader: [String] = []) -> String {
    var header = [
      "EXAFSKit \(exafsKitVersion): merge of \(scanCount) scans in \(space == .energy ? "mu(E)" : "chi(k)")",
      "n_scans: \(scanCount)",
      "merge.space: \(space.rawValue)",
    ]
    for (i, name) in names.enumerated() {
      header.append("scan.\(i + 1): \(name) (\(sources[i]))")
    }
    let unit = space == .energy ? "eV" : "1/Å"
    header.append(
      "merge.grid: \(space == .energy ? "first scan's energies" : "uniform k") from \(ScanText.number(x.first ?? .nan)) "
        + "to \(ScanText.number(x.last ?? .nan)) \(unit), \(x.count) points (overlap of all scans)")
    header.append("merge.stddev: population standard deviation over the scans at each point (ddof = 0)")
    header += extraHeader
    header += ScanText.elementFields(metadata)
    return ColumnFileWriter.format(header: header, names: columnNames, columns: [x, mean, stddev])
  }
}
