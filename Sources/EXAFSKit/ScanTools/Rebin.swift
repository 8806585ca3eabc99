// Rebin: mu(E) onto the usual three-region EXAFS grid (pre-edge, XANES, constant k), as Larch's rebin_xafs.
import Foundation

/// The grid and method of `rebin`, with the defaults of Larch's `rebin_xafs`. Energies are relative to E0.
public struct RebinParameters: Sendable, Codable, Equatable {
  /// How the new value of a bin is computed from the input points that fall in it.
  public enum Method: String, Sendable, Codable, CaseIterable {
    /// The mean of mu over the bin (Larch's and Athena's default).
    case boxcar
    /// mean(mu E) / mean(E) over the bin.
    case centroid
    /// Not-a-knot cubic spline through the bin's points, evaluated at the bin energy.
    case spline
  }

  /// Edge energy, eV; nil: `findE0` of the data (Larch takes the group's e0 from `pre_edge`).
  public var e0: Double?
  /// Start of the pre-edge region, eV relative to E0; nil: the first energy, rounded toward E0 to a
  /// multiple of `preStep`.
  public var pre1: Double?
  /// End of the pre-edge region and start of the XANES region, eV relative to E0 (-30).
  public var pre2: Double = -30
  /// Energy step of the pre-edge region, eV (2).
  public var preStep: Double = 2
  /// Energy step of the XANES region, eV; nil: 0.05 x max(1, int(E0 / 1250)), about E0 / 25000
  /// rounded down to 0.05 eV.
  public var xanesStep: Double?
  /// End of the XANES region and start of the EXAFS region, eV relative to E0 (15).
  public var exafs1: Double = 15
  /// End of the EXAFS region, eV relative to E0; nil: the last energy.
  public var exafs2: Double?
  /// Wavenumber step of the EXAFS region, 1/Å (0.05).
  public var exafsKstep: Double = 0.05
  /// How bins are averaged (boxcar).
  public var method: Method = .boxcar

  public init() {}
}

/// A rebinned scan.
public struct RebinnedSpectrum: Sendable, Equatable {
  /// The scan on the new grid (energy, eV; mu), with a note saying how it was made; i0 is dropped.
  public var spectrum: XASSpectrum
  /// Population standard deviation of the input mu within each bin (Larch's `delta_mu`); 0 for a
  /// bin holding one point, NaN for a bin holding none.
  public var deltaMu: [Double]
  /// The parameters as used: E0 and every region boundary and step resolved, clipped to the data.
  public var parameters: RebinParameters

  /// Creates the value from its parts (memberwise).
  public init(spectrum: XASSpectrum, deltaMu: [Double], parameters: RebinParameters) {
    self.spectrum = spectrum
    self.deltaMu = deltaMu
    self.parameters = parameters
  }
}

/// Rebins mu(E) onto a three-region grid, following Larch's `rebin_xafs`:
///
/// - Grid: E0 + [pre1, pre2) in steps of about `preStep`, [pre2, exafs1) in steps of about
///   `xanesStep`, and [exafs1, exafs2) uniform in k with step about `exafsKstep`. Each region has
///   1 + int(0.1 + length / step) points from start to stop inclusive (so the step is adjusted to
///   fit), and its last point is dropped (it starts the next region; the very end, exafs2, is not
///   on the grid). Boundaries are clipped into the data and kept increasing exactly as Larch does.
/// - Bins: input point j belongs to the new point whose index-midpoints enclose it (Larch's
///   `index_of` boundaries); the first bin also takes points from 5 eV below it.
/// - Values: with at least 3 points in a bin, `method` (boxcar mean by default); with fewer, linear
///   interpolation over the bin and one or two following points (widened by one point on each side
///   if the energy lies outside them). Where Larch would still give NaN, linear interpolation over
///   the whole scan is used instead.
///
/// - Throws: `.invalidParameter` for steps that are not positive or an E0 outside the data;
///   `.unusableData` when the grid has fewer than 2 points.
public func rebin(_ spectrum: XASSpectrum, parameters: RebinParameters = .init()) throws -> RebinnedSpectrum {
  let energy = spectrum.energy, mu = spectrum.mu
  guard let first = energy.first, let last = energy.last, energy.count >= 2, energy.count == mu.count else {
    throw EXAFSError.unusableData(SourceLocation(file: spectrum.source), "'\(spectrum.name)' has too few points to rebin")
  }
  var p = try resolvedGrid(parameters, energy: energy, mu: mu, range: (first, last))
  let e0 = p.e0 ?? first
  var grid: [Double] = []
  let regions: [(Double, Double, Double, Bool)] = [
    (p.pre1 ?? 0, p.pre2, p.preStep, false), (p.pre2, p.exafs1, p.xanesStep ?? 1, false),
    (p.exafs1, p.exafs2 ?? 0, p.exafsKstep, true),
  ]
  // The grid's size, counted in floating point before anything is allocated: a tiny step must
  // fail with the limit named, not allocate gigabytes.
  var total = 0.0
  for ((start0, stop0, step, inK), name) in zip(regions, ["pre_step", "xanes_step", "exafs_kstep"]) where start0 != stop0 {
    let length = inK ? abs(larchEtoK(stop0) - larchEtoK(start0)) : abs(stop0 - start0)
    let count = 0.1 + length / step
    total += count
    guard count.isFinite, total <= Double(InputLimits.maxArrayPoints) else {
      throw EXAFSError.invalidParameter(
        name,
        "a step of \(ScanText.number(step)) \(inK ? "1/Å" : "eV") gives a grid of about \(ScanText.number(total.rounded())) points, "
          + "more than the limit of \(InputLimits.maxArrayPoints) points; use a larger step")
    }
  }
  for (start0, stop0, step, inK) in regions where start0 != stop0 {
    let start = inK ? larchEtoK(start0) : start0
    let stop = inK ? larchEtoK(stop0) : stop0
    let npts = 1 + Int(0.1 + abs(stop - start) / step)
    guard npts >= 2 else { continue }
    let delta = (stop - start) / Double(npts - 1)
    for i in 0..<(npts - 1) {
      let x = Double(i) * delta + start
      grid.append(e0 + (inK ? x * x * KTOE : x))
    }
  }
  guard grid.count >= 2 else {
    throw EXAFSError.unusableData(
      SourceLocation(file: spectrum.source), "the rebinning grid of '\(spectrum.name)' has fewer than 2 points")
  }
  let (values, spread, fallbacks) = binValues(grid: grid, energy: energy, mu: mu, method: p.method)
  var out = spectrum
  out.energy = grid
  out.mu = values
  out.i0 = nil
  out.notes.append(
    "rebinned (\(p.method.rawValue)) from \(energy.count) to \(grid.count) points: "
      + "pre-edge step \(ScanText.number(p.preStep)) eV, "
      + "XANES step \(ScanText.number(p.xanesStep ?? .nan)) eV, EXAFS k step \(ScanText.number(p.exafsKstep)) 1/Å")
  if fallbacks > 0 {
    out.notes.append("\(fallbacks) rebinned points were interpolated over the whole scan (too few points near them)")
  }
  p.e0 = e0
  return RebinnedSpectrum(spectrum: out, deltaMu: spread, parameters: p)
}

/// Larch's `etok`: k = sqrt(E / KTOE) for E >= 0, else 0.
private func larchEtoK(_ e: Double) -> Double { e < 0 ? 0 : (e * ETOK).squareRoot() }

/// The parameters with E0, every boundary and every step resolved as Larch's `rebin_xafs` does.
private func resolvedGrid(
  _ parameters: RebinParameters, energy: [Double], mu: [Double], range: (Double, Double)
) throws -> RebinParameters {
  var p = parameters
  for (name, value) in [("pre_step", p.preStep), ("xanes_step", p.xanesStep ?? 1), ("exafs_kstep", p.exafsKstep)] {
    guard value.isFinite, value > 0 else {
      throw EXAFSError.invalidParameter(name, "the step must be a positive number, got \(value)")
    }
  }
  let e0 = p.e0 ?? findE0(energy: energy, mu: mu)
  guard e0.isFinite, e0 >= range.0, e0 <= range.1 else {
    throw EXAFSError.invalidParameter(
      "e0", "E0 = \(e0) eV is outside the data (\(ScanText.number(range.0)) to \(ScanText.number(range.1)) eV)")
  }
  let emin = range.0 - e0, emax = range.1 - e0
  let xanesStep = p.xanesStep ?? 0.05 * Double(max(1, Int(e0 / 1250)))
  var pre1 = p.pre1 ?? p.preStep * Double(Int(emin / p.preStep))
  pre1 = max(pre1, emin)
  var pre2 = min(max(p.pre2, pre1 + p.preStep), emax)
  var exafs1 = min(max(p.exafs1, pre2 + xanesStep), emax)
  var exafs2 = min(max(p.exafs2 ?? emax, exafs1 + p.exafsKstep * 20), emax)
  if pre2 <= pre1 { pre2 = min(pre1 + p.preStep, emax) }
  if exafs1 <= pre2 { exafs1 = min(pre2 + xanesStep, emax) }
  if exafs2 <= exafs1 { exafs2 = min(exafs1 + p.exafsKstep * 20, emax) }
  p.e0 = e0
  p.pre1 = pre1
  p.pre2 = pre2
  p.xanesStep = xanesStep
  p.exafs1 = exafs1
  p.exafs2 = exafs2
  return p
}

/// The value and the spread of mu in each bin of `grid`, and how many bins needed the whole-scan fallback.
private func binValues(
  grid: [Double], energy: [Double], mu: [Double], method: RebinParameters.Method
) -> ([Double], [Double], Int) {
  let n = energy.count
  let bounds = grid.map { indexOf(energy, $0) }
  var values: [Double] = [], spread: [Double] = []
  var fallbacks = 0
  var j0 = 0
  for i in grid.indices {
    let j1 = i == grid.count - 1 ? n - 1 : Int(Double(bounds[i] + bounds[i + 1] + 1) / 2)
    if i == 0 && j0 == 0 { j0 = indexOf(energy, grid[0] - 5) }
    var value: Double
    if j1 - j0 < 3 {
      var jx = j1 + 1
      if jx - j0 < 3 { jx += 1 }
      value = interpolateInside(energy, mu, j0, min(jx, n), at: grid[i])
      if value.isNaN {
        j0 = max(0, j0 - 1)
        jx = min(n, jx + 1)
        value = interpolateInside(energy, mu, j0, jx, at: grid[i])
      }
      if value.isNaN {
        value = linearInterpolate(x: energy, y: mu, at: [grid[i]])[0]
        fallbacks += 1
      }
    } else {
      value = binValue(Array(energy[j0..<j1]), Array(mu[j0..<j1]), at: grid[i], method: method)
    }
    values.append(value)
    spread.append(j0 >= j1 ? .nan : populationStandardDeviation(mu[j0..<j1]))
    j0 = j1
  }
  return (values, spread, fallbacks)
}

/// Linear interpolation of (energy, mu)[lo ..< hi] at `x`; NaN outside that span or for fewer than 2 points
/// (scipy's `interp1d` with NaN fill, as Larch calls it).
private func interpolateInside(_ energy: [Double], _ mu: [Double], _ lo: Int, _ hi: Int, at x: Double) -> Double {
  guard hi - lo >= 2, x >= energy[lo], x <= energy[hi - 1] else { return .nan }
  var i = lo
  while i + 2 < hi && energy[i + 1] < x { i += 1 }
  let t = (x - energy[i]) / (energy[i + 1] - energy[i])
  return mu[i] + t * (mu[i + 1] - mu[i])
}

/// The value of one bin of at least 3 points by `method`.
private func binValue(_ e: [Double], _ m: [Double], at x: Double, method: RebinParameters.Method) -> Double {
  let count = Double(e.count)
  switch method {
  case .boxcar:
    return m.reduce(0, +) / count
  case .centroid:
    let weighted = zip(m, e).reduce(0) { $0 + $1.0 * $1.1 } / count
    return weighted / (e.reduce(0, +) / count)
  case .spline:
    if e.count == 3 {
      // scipy's not-a-knot CubicSpline through 3 points is the parabola through them.
      let l0 = (x - e[1]) * (x - e[2]) / ((e[0] - e[1]) * (e[0] - e[2]))
      let l1 = (x - e[0]) * (x - e[2]) / ((e[1] - e[0]) * (e[1] - e[2]))
      let l2 = (x - e[0]) * (x - e[1]) / ((e[2] - e[0]) * (e[2] - e[1]))
      return m[0] * l0 + m[1] * l1 + m[2] * l2
    }
    return NotAKnotSpline(x: e, y: m)(x)
  }
}

/// numpy's `std` (ddof = 0) of a non-empty slice.
private func populationStandardDeviation(_ values: ArraySlice<Double>) -> Double {
  let mean = values.reduce(0, +) / Double(values.count)
  let squares = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
  return (squares / Double(values.count)).squareRoot()
}

extension RebinnedSpectrum {
  /// The text of the rebinned column file: a header with E0, the grid and the method, then the
  /// columns `energy mu delta_mu` (empty bins' NaN spread written as 0).
  public func columnFileText(extraHeader: [String] = []) -> String {
    let p = parameters
    let num = ScanText.number
    var header = [
      "EXAFSKit \(exafsKitVersion): \(spectrum.name) rebinned as Larch's rebin_xafs (method \(p.method.rawValue))",
      "rebin.e0: \(num(p.e0 ?? .nan))",
      "rebin.pre: \(num(p.pre1 ?? .nan)) to \(num(p.pre2)) eV, step \(num(p.preStep)) eV",
      "rebin.xanes: \(num(p.pre2)) to \(num(p.exafs1)) eV, step \(num(p.xanesStep ?? .nan)) eV",
      "rebin.exafs: \(num(p.exafs1)) to \(num(p.exafs2 ?? .nan)) eV, k step \(num(p.exafsKstep)) 1/Å",
      "rebin.points: \(spectrum.energy.count)",
      "delta_mu: population standard deviation of the input mu within each bin (0: one point or none, interpolated)",
    ]
    header += extraHeader
    header += ScanText.elementFields(spectrum.metadata)
    // Empty bins (NaN in `deltaMu`, as Larch) are written as 0 so that every reader takes the file.
    let spread = deltaMu.map { $0.isNaN ? 0 : $0 }
    return ColumnFileWriter.format(
      header: header, names: ["energy", "mu", "delta_mu"], columns: [spectrum.energy, spectrum.mu, spread])
  }
}
