// Continuous wavelet transforms of k^w chi(k): parameters, the WaveletMap result, and the entry point.
import Foundation

/// The mother wavelet of a wavelet map.
public enum WaveletKind: String, Sendable, Codable, CaseIterable {
  /// Morlet wavelet in the EXAFS form of Funke, Scheinost & Chukalina, Phys. Rev. B 71, 094110 (2005).
  case morlet
  /// Cauchy (Paul) wavelet as Larch's `cauchy_wavelet` computes it (Muñoz, Argoul & Farges,
  /// Am. Mineral. 88, 694 (2003)).
  case cauchy
}

/// How the Morlet daughter wavelets are scaled with a = eta / (2R).
public enum WaveletNormalization: String, Sendable, Codable, CaseIterable {
  /// a^(-1/2) (L2, energy-preserving), as Funke et al. and every published Morlet EXAFS code.
  /// A pure A sin(2 R0 k) has its ridge at R0 / (1 + 1/(2 (eta sigma)^2)) with height
  /// about (A/2) sqrt(eta / (2 R0)), so features at larger R look weaker.
  case funke
  /// a^(-1) (L1, band-pass): a pure A sin(2 R0 k) has its ridge exactly at R0 with height A/2.
  /// Differs from `.funke` by the factor sqrt(2R/eta) on every row.
  case amplitude
}

/// Parameters of a wavelet map. Defaults: Morlet with eta = 10, sigma = 1, k^2 weighting, the data's
/// k range, R from one R step to 6 Å on the chi(R) grid step pi / (0.05 · 2048) ≈ 0.0307 Å.
public struct WaveletParameters: Sendable, Codable, Equatable {
  /// Mother wavelet.
  public var kind: WaveletKind = .morlet
  /// Morlet frequency parameter eta (dimensionless). Only eta·sigma sets the shape of the map:
  /// k-resolution sigma_k = eta sigma / (2R) (1/Å), R-resolution sigma_R = R / (eta sigma) (Å).
  public var eta: Double = 10
  /// Morlet Gaussian half-width sigma (dimensionless, standard deviation in units of the scale a).
  public var sigma: Double = 1
  /// k-weight w: the transform is taken of k^w chi(k).
  public var kweight: Double = 2
  /// Lower end of the k range used, 1/Å; nil: first data point.
  public var kmin: Double?
  /// Upper end of the k range used, 1/Å; nil: last data point.
  public var kmax: Double?
  /// Taper width of the k window, 1/Å: the window rises from 0 at kmin to 1 at kmin + dk and falls
  /// back to 0 between kmax - dk and kmax (tapers inside the range, unlike the Fourier transform's).
  /// 0 (default): a sharp cut to [kmin, kmax].
  public var dk: Double = 0
  /// Window shape used when `dk > 0` (same definitions as the Fourier transform).
  public var window: FTWindowKind = .hanning
  /// First R of the Morlet map, Å; nil: one R step. Must be > 0 (the scale eta/(2R) is infinite
  /// at R = 0). The Cauchy map ignores it and starts at R = 0 as Larch does.
  public var rmin: Double?
  /// Last R of the map, Å (Larch's `rmax_out` for Cauchy).
  public var rmax: Double = 6
  /// R grid step, Å; nil: pi / (kstep · 2048), the chi(R) step of Larch (0.0307 Å for kstep 0.05).
  /// For Cauchy it sets the number of R points, nrpts = round((rmax - 1e-7) / rstep), as in Larch.
  public var rstep: Double?
  /// Morlet normalization (ignored by Cauchy, which is always L1 as in Larch).
  public var normalization: WaveletNormalization = .funke
  /// Cauchy order n; nil: n = number of R points (Larch's choice, 196 for rmax = 6 Å). The Cauchy
  /// map has the resolution of a Morlet map with eta·sigma = sqrt(n).
  public var cauchyOrder: Int?
  /// Uniform k grid step onto which chi(k) is interpolated, 1/Å.
  public var kstep: Double = 0.05

  public init() {}

  /// R step actually used, Å.
  public var resolvedRstep: Double { rstep ?? Double.pi / (kstep * 2048) }
}

/// A complex wavelet map W(k, R), stored row-major with one row per R and one column per k.
public struct WaveletMap: Sendable, Equatable {
  /// Wavenumbers of the columns (translation b of the wavelet), 1/Å.
  public var k: [Double]
  /// Distances of the rows (phase-uncorrected, like chi(R)), Å.
  public var r: [Double]
  /// Real part of W, `r.count * k.count` values, index `row * k.count + col`; units of k^w chi
  /// times (1/Å)^(1/2) for Funke normalization, of k^w chi for L1 (Cauchy, `.amplitude`).
  public var re: [Double]
  /// Imaginary part of W, same layout as `re`.
  public var im: [Double]
  /// Parameters used, with kmin, kmax, rmin, rstep and the Cauchy order resolved.
  public var parameters: WaveletParameters

  /// Creates a map; `re` and `im` must hold `r.count * k.count` values each.
  public init(k: [Double], r: [Double], re: [Double], im: [Double], parameters: WaveletParameters) {
    precondition(re.count == r.count * k.count && im.count == re.count, "map size mismatch")
    self.k = k
    self.r = r
    self.re = re
    self.im = im
    self.parameters = parameters
  }

  /// Number of rows (R values).
  public var rowCount: Int { r.count }
  /// Number of columns (k values).
  public var columnCount: Int { k.count }

  /// W at R index `row` and k index `col`.
  public func value(row: Int, col: Int) -> (re: Double, im: Double) {
    let i = row * k.count + col
    return (re[i], im[i])
  }

  /// |W| at R index `row` and k index `col`.
  public func magnitude(row: Int, col: Int) -> Double {
    let i = row * k.count + col
    return (re[i] * re[i] + im[i] * im[i]).squareRoot()
  }

  /// |W| for the whole map, same layout as `re`.
  public var magnitude: [Double] {
    [Double](unsafeUninitializedCapacity: re.count) { out, initialized in
      re.withUnsafeBufferPointer { a in
        im.withUnsafeBufferPointer { b in
          for i in 0..<min(a.count, b.count) { out[i] = (a[i] * a[i] + b[i] * b[i]).squareRoot() }
        }
      }
      initialized = min(re.count, im.count)
    }
  }

  /// R marginal: for every R, the integral of |W| over k, sum_j |W(k_j, R)| · dk (rectangle rule
  /// on the uniform k grid); units of |W| · 1/Å.
  public var rMarginal: [Double] {
    let dk = parameters.kstep
    return (0..<r.count).map { row in
      var sum = 0.0
      for col in 0..<k.count { sum += magnitude(row: row, col: col) }
      return sum * dk
    }
  }

  /// The ridge: for every k column, the R (Å) where |W| is largest among rows with
  /// `rmin <= R <= rmax` (nil: no limit); nil for a column when no row is in range.
  public func ridge(rmin: Double? = nil, rmax: Double? = nil) -> [Double?] {
    let rows = r.indices.filter { r[$0] >= (rmin ?? -.infinity) && r[$0] <= (rmax ?? .infinity) }
    return (0..<k.count).map { col in
      rows.max { magnitude(row: $0, col: col) < magnitude(row: $1, col: col) }.map { r[$0] }
    }
  }

  /// Location and height of the largest |W| in the map (first one on ties); nil for an empty map.
  public var peak: WaveletPeak? {
    var best: WaveletPeak?
    for row in 0..<r.count {
      for col in 0..<k.count {
        let m = magnitude(row: row, col: col)
        if m > (best?.magnitude ?? -1) {
          best = WaveletPeak(row: row, col: col, k: k[col], r: r[row], magnitude: m)
        }
      }
    }
    return best
  }

  /// |W| along R (one value per row) at k index `col`.
  public func column(_ col: Int) -> [Double] { (0..<r.count).map { magnitude(row: $0, col: col) } }

  /// |W| along k (one value per column) at R index `row`.
  public func row(_ row: Int) -> [Double] { (0..<k.count).map { magnitude(row: row, col: $0) } }
}

/// A point of a wavelet map: grid indices, coordinates (k in 1/Å, R in Å) and |W|.
public struct WaveletPeak: Sendable, Equatable {
  /// R index.
  public var row: Int
  /// k index.
  public var col: Int
  /// Wavenumber, 1/Å.
  public var k: Double
  /// Distance, Å.
  public var r: Double
  /// |W| there.
  public var magnitude: Double

  /// Creates the value from its parts (memberwise).
  public init(row: Int, col: Int, k: Double, r: Double, magnitude: Double) {
    self.row = row
    self.col = col
    self.k = k
    self.r = r
    self.magnitude = magnitude
  }
}

/// Continuous wavelet transforms of k-weighted chi(k), computed with FFTW.
public enum WaveletTransform {
  /// The wavelet map of chi(k) from AUTOBK (or read from a file).
  public static func map(_ chiK: ChiK, parameters: WaveletParameters = .init()) throws -> WaveletMap {
    try map(k: chiK.k, chi: chiK.chi, parameters: parameters)
  }

  /// The wavelet map of k^w chi(k).
  ///
  /// chi(k) is interpolated linearly onto k_j = j · kstep (as Larch's transforms do), weighted by
  /// k^w, multiplied by the k window (a sharp cut to [kmin, kmax] when dk = 0) and transformed;
  /// the map has one column per grid point in [kmin, kmax]. See `WaveletKind` for the formulas.
  /// - Parameters:
  ///   - k: wavenumbers, 1/Å, increasing (need not be uniform).
  ///   - chi: chi(k), not k-weighted.
  /// - Throws: `EXAFSError.invalidParameter` for impossible parameters or too little data.
  public static func map(k: [Double], chi: [Double], parameters: WaveletParameters = .init()) throws
    -> WaveletMap
  {
    let input = try WaveletInput(k: k, chi: chi, parameters: parameters)
    switch parameters.kind {
    case .morlet: return try morletMap(input)
    case .cauchy: return try cauchyMap(input)
    }
  }
}

/// The weighted, windowed signal y_j = k_j^w chi(k_j) win(k_j) for the columns of a map.
struct WaveletInput {
  /// Parameters with kmin and kmax resolved.
  var parameters: WaveletParameters
  /// Column wavenumbers (grid points in [kmin, kmax]), 1/Å.
  var k: [Double]
  /// y at those wavenumbers.
  var y: [Double]

  init(k: [Double], chi: [Double], parameters p: WaveletParameters) throws {
    guard k.count == chi.count, k.count >= 2 else {
      throw EXAFSError.invalidParameter("chi(k)", "need at least 2 points with one chi value per k")
    }
    guard k.allSatisfy(\.isFinite), chi.allSatisfy(\.isFinite), zip(k, k.dropFirst()).allSatisfy({ $0 < $1 })
    else {
      throw EXAFSError.invalidParameter("chi(k)", "k must increase and k, chi must be finite numbers")
    }
    try p.validate()
    var p = p
    let kFirst = k[0], kLast = k[k.count - 1]
    let kmin = max(p.kmin ?? kFirst, kFirst, 0)
    let kmax = min(p.kmax ?? kLast, kLast)
    guard kmax > kmin else {
      throw EXAFSError.invalidParameter(
        "kmin/kmax", "the k range [\(kmin), \(kmax)] 1/Å is empty; choose kmin < kmax inside the data")
    }
    p.kmin = kmin
    p.kmax = kmax
    let last = (kmax / p.kstep + 1e-6).rounded(.down)
    guard last <= Double(1 << 20) else {
      throw EXAFSError.invalidParameter(
        "kstep", "kmax / kstep = \(last) grid points is more than 2^20; check the k units (1/Å) and kstep")
    }
    let j0 = Int((kmin / p.kstep - 1e-6).rounded(.up))
    let j1 = Int(last)
    guard j1 - j0 >= 1 else {
      throw EXAFSError.invalidParameter("kstep", "fewer than 2 grid points between kmin and kmax")
    }
    let fullGrid = (0...j1).map { Double($0) * p.kstep }
    let chiGrid = linearInterpolate(x: k, y: chi, at: Array(fullGrid[j0...j1]))
    var win = [Double](repeating: 1, count: j1 - j0 + 1)
    if p.dk > 0 {
      let half = min(p.dk, (kmax - kmin) / 2) / 2
      let fullWin = ftWindow(fullGrid, xmin: kmin + half, xmax: kmax - half, dx: 2 * half, kind: p.window)
      win = Array(fullWin[j0...j1])
    }
    self.k = Array(fullGrid[j0...j1])
    self.y = (0..<win.count).map { chiGrid[$0] * kWeightFactor(fullGrid[j0 + $0], p.kweight) * win[$0] }
    self.parameters = p
  }
}

extension WaveletParameters {
  /// Throws `EXAFSError.invalidParameter` naming the first parameter out of range.
  public func validate() throws {
    func check(_ ok: Bool, _ name: String, _ message: String) throws {
      if !ok { throw EXAFSError.invalidParameter(name, message) }
    }
    try check(kstep > 0 && kstep.isFinite, "kstep", "must be a positive number of 1/Å")
    try check(eta > 0 && eta <= 100, "eta", "must be > 0 and <= 100 (typical 5 to 15), got \(eta)")
    try check(sigma > 0 && sigma <= 20, "sigma", "must be > 0 and <= 20 (typical 0.5 to 2), got \(sigma)")
    try check(kweight.isFinite, "kweight", "must be a finite number")
    try check(dk >= 0 && dk.isFinite, "dk", "taper width must be >= 0 1/Å")
    if let kmin, let kmax { try check(kmin < kmax, "wavelet_kmax", "must be larger than wavelet_kmin (\(kmin)), got \(kmax)") }
    try check(rmax > 0 && rmax <= 15, "wavelet_rmax", "must be > 0 and <= 15 Å, got \(rmax)")
    if let rstep { try check(rstep > 0 && rstep <= 1, "wavelet_rstep", "must be > 0 and <= 1 Å, got \(rstep)") }
    if let rmin = rmin, kind == .morlet {
      try check(rmin > 0 && rmin <= rmax, "rmin", "must be in (0, rmax] Å: the Morlet scale eta/(2R) is infinite at R = 0")
    }
    if let n = cauchyOrder { try check(n >= 1, "cauchy_order", "must be a positive integer (Larch uses nrpts)") }
    try check(rmax / resolvedRstep <= 100_000, "wavelet_rstep", "gives more than 100000 R points; use a larger step")
  }
}
