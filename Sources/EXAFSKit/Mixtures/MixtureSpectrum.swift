// The arrays that mixture analysis (LCF, PCA) works on: normalized mu(E), its derivative or k-weighted chi(k).
import Foundation

/// The quantity a linear-combination fit or a principal component analysis compares.
public enum MixtureSpace: String, Sendable, Codable, CaseIterable {
  /// Normalized mu(E) (Larch's `norm`), on energy (eV).
  case norm
  /// Derivative of normalized mu(E), d(norm)/dE (Larch's `dmude`), on energy (eV), 1/eV.
  case deriv
  /// k-weighted chi(k), k^kweight chi(k) (Larch's `chiN` with N = kweight), on k (1/Å).
  case chik

  /// Larch's array name for this space (`norm`, `dmude`, `chi2` ...).
  public func larchName(kweight: Int) -> String {
    switch self {
    case .norm: return "norm"
    case .deriv: return "dmude"
    case .chik: return "chi\(kweight)"
    }
  }

  /// Whether the abscissa is energy (eV) rather than k (1/Å).
  public var isEnergy: Bool { self != .chik }
}

/// One spectrum in one mixture space: its abscissa (energy in eV, or k in 1/Å) and ordinate.
public struct MixtureSpectrum: Sendable, Equatable {
  /// Name used in results (file stem or group label).
  public var name: String
  /// Source file.
  public var source: String
  /// Edge energy of the spectrum, eV (as found or set by the normalization).
  public var e0: Double
  /// The space of `y`.
  public var space: MixtureSpace
  /// Energy (eV) for `norm`/`deriv`, k (1/Å) for `chik`; increasing.
  public var x: [Double]
  /// The values compared: norm, d(norm)/dE or k^kweight chi(k).
  public var y: [Double]

  public init(name: String, source: String, e0: Double, space: MixtureSpace, x: [Double], y: [Double]) {
    self.name = name
    self.source = source
    self.e0 = e0
    self.space = space
    self.x = x
    self.y = y
  }

  /// Normalized mu(E) (`.norm`) or its derivative (`.deriv`) of a normalized spectrum.
  ///
  /// The derivative is Larch's `dmude = gradient(norm) / gradient(energy)`: numpy's `gradient` with
  /// unit spacing, i.e. (n[i+1] - n[i-1]) / (E[i+1] - E[i-1]) inside and one-sided differences at
  /// the two ends.
  /// - Precondition: `space` is `.norm` or `.deriv`.
  public init(normalized: NormalizedSpectrum, space: MixtureSpace) {
    precondition(space != .chik, "chi(k) comes from init(chik:)")
    let energy = normalized.spectrum.energy
    let y = space == .norm ? normalized.norm : unitGradient(normalized.norm, over: energy)
    self.init(
      name: normalized.spectrum.name, source: normalized.spectrum.source, e0: normalized.e0, space: space,
      x: energy, y: y)
  }

  /// k^kweight chi(k) of a chi(k) spectrum (as Larch's groups2matrix weights `chiN`).
  public init(name: String, source: String, e0: Double, k: [Double], chi: [Double], kweight: Int) {
    let y = zip(k, chi).map { kweight == 0 ? $1 : $1 * pow(Swift.max($0, 0), Double(kweight)) }
    self.init(name: name, source: source, e0: e0, space: .chik, x: k, y: y)
  }
}

/// numpy `gradient(y) / gradient(x)` with unit spacing for both, as Larch's pre_edge computes dmude.
func unitGradient(_ y: [Double], over x: [Double]) -> [Double] {
  let n = y.count
  guard n >= 2, x.count == n else { return [Double](repeating: 0, count: n) }
  var d = [Double](repeating: 0, count: n)
  d[0] = (y[1] - y[0]) / (x[1] - x[0])
  d[n - 1] = (y[n - 1] - y[n - 2]) / (x[n - 1] - x[n - 2])
  if n > 2 {
    for i in 1..<(n - 1) { d[i] = (y[i + 1] - y[i - 1]) / (x[i + 1] - x[i - 1]) }
  }
  return d
}

/// Spectra put on one grid: the first spectrum's abscissa inside [xmin, xmax], the others
/// interpolated onto it (Larch's `groups2matrix`).
public struct MixtureMatrix: Sendable, Equatable {
  /// The common abscissa (energy in eV, or k in 1/Å).
  public var x: [Double]
  /// One row per spectrum, in the order given, each `x.count` long.
  public var rows: [[Double]]
  /// Names of the spectra, in the order of `rows`.
  public var names: [String]
  /// Spectra (after the first) whose data do not cover the whole grid: their values there are
  /// extrapolated (as Larch does, silently), which the user should be told.
  public var extrapolated: [String] = []

  /// A matrix from rows already on one grid (no range selection, no interpolation).
  init(unchecked x: [Double], rows: [[Double]], names: [String]) {
    self.x = x
    self.rows = rows
    self.names = names
  }

  /// Builds the matrix as Larch's groups2matrix does: the first spectrum's points from the one at
  /// or below `xmin` to the one at or below `xmax` (Larch's `index_of`, with a relative tolerance of
  /// 1e-12 so that a grid point equal to a limit up to rounding counts as at it), the others interpolated
  /// there with a not-a-knot cubic spline (`interp(..., kind='cubic')`, extrapolated beyond a
  /// spectrum's ends by the cubic through its 5 end points).
  /// - Throws: `.invalidParameter` when the range holds fewer than `minimumPoints` points, or a
  ///   spectrum is in another space; `.unusableData` for a spectrum with no point in the range.
  public init(_ spectra: [MixtureSpectrum], xmin: Double?, xmax: Double?, minimumPoints: Int = 3) throws {
    guard let first = spectra.first, !first.x.isEmpty else {
      throw EXAFSError.invalidParameter("spectra", "no spectrum given")
    }
    if let other = spectra.first(where: { $0.space != first.space }) {
      throw EXAFSError.invalidParameter(
        "space", "\(other.name) is \(other.space.rawValue) but \(first.name) is \(first.space.rawValue)")
    }
    // "At or below", forgiving rounding: k = 3 given for a grid point stored as 3.0000000000000004.
    func below(_ v: Double) -> Int { indexOf(first.x, v + 1e-12 * max(1, abs(v))) }
    let lo = xmin.map(below) ?? 0
    let hi = xmax.map(below) ?? first.x.count - 1
    let unit = first.space.isEnergy ? "eV" : "1/Å"
    guard hi - lo + 1 >= minimumPoints else {
      throw EXAFSError.invalidParameter(
        first.space.isEnergy ? "emin/emax" : "kmin/kmax",
        "the fit range \(fmt(xmin ?? first.x[0]))-\(fmt(xmax ?? first.x[first.x.count - 1])) \(unit) holds "
          + "\(max(0, hi - lo + 1)) points of \(first.name); at least \(minimumPoints) are needed")
    }
    let grid = Array(first.x[lo...hi])
    var rows = [Array(first.y[lo...hi])]
    for s in spectra.dropFirst() {
      guard s.x.count >= 2 else {
        throw EXAFSError.invalidParameter("spectra", "\(s.name) has fewer than 2 points")
      }
      if let a = s.x.first, let b = s.x.last, let g0 = grid.first, let g1 = grid.last, b < g0 || a > g1 {
        throw EXAFSError.unusableData(
          SourceLocation(file: s.source),
          "\(s.name) (\(fmt(a))-\(fmt(b)) \(unit)) has no data in the range \(fmt(g0))-\(fmt(g1)) \(unit) of \(first.name)")
      }
      rows.append(cubicInterpolate(x: s.x, y: s.y, at: grid))
      if let a = s.x.first, let b = s.x.last, let g0 = grid.first, let g1 = grid.last, g0 < a || g1 > b {
        extrapolated.append(s.name)
      }
    }
    self.x = grid
    self.rows = rows
    self.names = spectra.map(\.name)
  }
}
