// AUTOBK: the spline background mu0(E) whose removal leaves chi(R) empty below rbkg
// (Newville, Livins, Yacoby, Rehr and Stern, Phys. Rev. B 47, 14126 (1993); Larch's autobk).
import Foundation

/// Parameters of the AUTOBK background removal, with Larch's defaults.
public struct AutobkParameters: Sendable, Codable, Equatable {
  /// Distance below which chi(R) is minimized, Å (at least 2 R steps).
  public var rbkg: Double = 1
  /// Number of spline knots; nil: 1 + 2 rbkg (kmax - kmin) / pi, clipped to 5 ... 128.
  public var nknots: Int?
  /// Start of the k range of the fit, 1/Å.
  public var kmin: Double = 0
  /// End of the k range, 1/Å; nil: the end of the data.
  public var kmax: Double?
  /// k-weight of the transform that is minimized.
  public var kweight: Double = 1
  /// Window taper width, 1/Å.
  public var dk: Double = 0.1
  /// Window function.
  public var window: FTWindowKind = .hanning
  /// Number of chi(k) points at each end held near zero by the clamps.
  public var nclamp: Int = 3
  /// Weight of the low-k clamp.
  public var clampLo: Double = 0
  /// Weight of the high-k clamp.
  public var clampHi: Double = 1
  /// FFT length and k step of the output grid, 1/Å.
  public var nfft: Int = 2048
  public var kstep: Double = 0.05
  public init() {}
}

/// chi(k) with the background that produced it.
public struct ChiK: Sendable, Equatable {
  /// Uniform k grid from 0, 1/Å.
  public var k: [Double]
  /// chi(k) = (mu - mu0) / edge_step, interpolated onto `k`.
  public var chi: [Double]
  /// Background mu0(E) on the energy grid of the input, mu units (mu itself outside the fit range).
  public var background: [Double]?
  /// Edge energy used for k = 0, eV.
  public var e0: Double?
  /// AUTOBK parameters with kmax and nknots resolved (nil for chi read from a file).
  public var parameters: AutobkParameters?
  /// Number of spline knots used and R-space points in the fit (for the record).
  public var knots: Int?
  public var irbkg: Int?
  public var converged: Bool = true

  /// Creates the value from its parts (memberwise).
  public init(k: [Double], chi: [Double], background: [Double]? = nil, e0: Double? = nil, parameters: AutobkParameters? = nil, knots: Int? = nil, irbkg: Int? = nil, converged: Bool = true) {
    self.k = k
    self.chi = chi
    self.background = background
    self.e0 = e0
    self.parameters = parameters
    self.knots = knots
    self.irbkg = irbkg
    self.converged = converged
  }
}

/// Removes the smooth atomic background from normalized mu(E) with AUTOBK and returns chi(k).
///
/// A cubic B-spline in k (knots at data points nearest to nknots equally spaced values from kmin
/// to kmax, not-a-knot knot vector as scipy's splrep) is fitted to mu(E) so that the Fourier
/// transform of k^kweight chi(k) window(k), with chi(k) = spline interpolation of mu - mu0 onto
/// the 0.05 1/Å grid, is as small as possible at its first irbkg R points
/// (irbkg = int(1 + (nspl - 1) pi / (2 rstep (kmax - kmin)))). The clamps add the residuals
/// clamp * s * chi at the first and last nclamp points, with s = 0.1 + 10 mean(|chi(R<rbkg)|^2).
///
/// Everything except that scale factor is linear in the spline coefficients, so the transforms of
/// the data and of each basis function are computed once (nknots + 1 FFTs) and the nonlinear fit
/// (GSL trust region, Levenberg-Marquardt) works on small dense matrices with an exact Jacobian.
/// - Throws: `EXAFSError.unusableData` for data that end too close to the edge,
///   `EXAFSError.numerical` if the fit fails.
public func autobk(_ normalized: NormalizedSpectrum, parameters: AutobkParameters = .init()) throws -> ChiK {
  let spectrum = normalized.spectrum
  let energy = spectrum.energy
  let mu = spectrum.mu
  let loc = SourceLocation(file: spectrum.source)
  let ek0 = normalized.e0
  let p = parameters
  let iek0 = indexOf(energy, ek0)
  let rgrid = Double.pi / (p.kstep * Double(p.nfft))
  let rbkg = max(p.rbkg, 2 * rgrid)
  let kraw = energy[iek0...].map { e -> Double in
    let d = e - ek0
    return (d < 0 ? -1 : 1) * (ETOK * abs(d)).squareRoot()
  }
  let kLast = kraw.last ?? 0
  let kmax = p.kmax.map { max(0, min(kLast, $0)) } ?? kLast
  // A range the parameters make too short, where the data reach far enough, is the parameters' fault.
  if let given = p.kmax, kLast - p.kmin > 1, kraw.count >= 20, kmax - p.kmin <= 1 {
    throw EXAFSError.invalidParameter(
      "bkg_kmax",
      "the background k range bkg_kmin = \(fmt(p.kmin)) to bkg_kmax = \(fmt(given)) 1/Å is shorter than 1 1/Å; "
        + "the data reach k = \(fmt(kLast)) 1/Å: give a larger bkg_kmax (or none, for the end of the data)")
  }
  guard kmax - p.kmin > 1, kraw.count >= 20 else {
    throw EXAFSError.unusableData(
      loc, "too few data past the edge (k reaches only \(fmt(kLast)) 1/Å with \(kraw.count) points); "
        + "EXAFS needs data well above E0 = \(fmt(ek0)) eV")
  }
  let nk = Int(1.01 + kmax / p.kstep)
  let kout = (0..<nk).map { Double($0) * p.kstep }
  let iemax = min(energy.count, 2 + indexOf(energy, ek0 + kmax * kmax * KTOE)) - 1
  let win = ftWindow(kout, xmin: p.kmin, xmax: kmax, dx: p.dk, dx2: p.dk, kind: p.window)
  let ftwin = (0..<nk).map { kWeightFactor(kout[$0], p.kweight) * win[$0] }

  var nspl = 1 + Int(2 * rbkg * (kmax - p.kmin) / Double.pi)
  let irbkg = max(1, Int(1 + Double(nspl - 1) * Double.pi / (2 * rgrid * (kmax - p.kmin))))
  if let nknots = p.nknots { nspl = nknots }
  nspl = max(5, min(128, nspl))

  // Knot abscissae at data points nearest to equally spaced k; initial ordinates smoothed from mu.
  var splK = [Double]()
  var splY = [Double]()
  for i in 0..<nspl {
    let q = p.kmin + Double(i) * (kmax - p.kmin) / Double(nspl - 1)
    let ik = indexNearest(kraw, q)
    let i1 = min(kraw.count - 1, ik + 5)
    let i2 = max(0, ik - 5)
    if let last = splK.last, kraw[ik] <= last { continue }  // coarse data: two knots on one point
    splK.append(kraw[ik])
    splY.append((2 * mu[ik + iek0] + mu[i1 + iek0] + mu[i2 + iek0]) / 4)
  }
  guard splK.count >= 4 else {
    throw EXAFSError.unusableData(loc, "too few distinct data points past the edge for the background spline")
  }
  nspl = splK.count
  let basis = CubicBSplineBasis(notAKnotNodes: splK)
  let nraw = iemax - iek0 + 1
  let kfit = Array(kraw[0..<nraw])
  let mufit = Array(mu[iek0...iemax])
  let bmat = basis.matrix(at: kfit)

  // Start: the spline interpolating the knot ordinates.
  let atKnots = basis.matrix(at: splK)
  guard let start = solveLinearSystem(atKnots, splY) else {
    throw EXAFSError.numerical("could not build the initial background spline")
  }

  // Linear pieces: chi(c) = chi0 - G c on kout; FT(ftwin chi)[0 ..< irbkg] = a0 - M c.
  let chi0 = NotAKnotSpline(x: kfit, y: mufit).evaluate(kout)
  var g = [Double](repeating: 0, count: nk * nspl)
  var column = [Double](repeating: 0, count: nraw)
  for j in 0..<nspl {
    for i in 0..<nraw { column[i] = bmat[i * nspl + j] }
    let v = NotAKnotSpline(x: kfit, y: column).evaluate(kout)
    for i in 0..<nk { g[i * nspl + j] = v[i] }
  }
  let transform = LowRTransform(nfft: p.nfft, kstep: p.kstep, count: irbkg)
  let a0 = transform.apply(chi0, weights: ftwin)
  var mmat = [Double](repeating: 0, count: 2 * irbkg * nspl)
  for j in 0..<nspl {
    let v = transform.apply((0..<nk).map { g[$0 * nspl + j] }, weights: ftwin)
    for i in 0..<(2 * irbkg) { mmat[i * nspl + j] = v[i] }
  }
  let nclamp = min(max(0, p.nclamp), nk)
  guard 2 * irbkg + 2 * nclamp >= nspl else {
    let most = 2 * irbkg + 2 * nclamp
    throw EXAFSError.invalidParameter(
      p.nknots != nil ? "nknots" : "rbkg",
      "\(nspl) spline knots but only \(most) constraints below rbkg = \(fmt(rbkg)) Å over k = \(fmt(p.kmin))-\(fmt(kmax)) 1/Å; "
        + "use at most \(most) knots (or leave nknots to its default)")
  }
  let model = AutobkModel(
    a0: a0, m: mmat, chi0: chi0, g: g, nspl: nspl, nk: nk, nclamp: nclamp,
    clampLo: abs(p.clampLo), clampHi: abs(p.clampHi))
  let fit = try leastSquaresFit(model, start: start, xtol: 1e-10, gtol: 1e-12, ftol: 1e-12, maxIterations: 500)
  let c = fit.parameters

  var chi = chi0
  for i in 0..<nk {
    var s = 0.0
    for j in 0..<nspl { s += g[i * nspl + j] * c[j] }
    chi[i] = (chi0[i] - s) / normalized.edgeStep
  }
  var background = mu
  for i in 0..<nraw {
    var s = 0.0
    for j in 0..<nspl { s += bmat[i * nspl + j] * c[j] }
    background[iek0 + i] = s
  }
  var used = p
  used.kmax = kmax
  used.rbkg = rbkg
  used.nknots = nspl
  return ChiK(
    k: kout, chi: chi, background: background, e0: ek0, parameters: used, knots: nspl, irbkg: irbkg,
    converged: fit.converged)
}

/// The first `count` points of Larch's `xftf_fast` (kstep / sqrt(pi) x FFT, zero-padded to nfft),
/// as interleaved (re, im) pairs, for a signal multiplied point by point by `weights`.
/// The signal is real, so a real-input transform (half the work of the complex one) is used, on
/// SIMD-aligned buffers allocated once (one transform per spline knot plus one); the zero padding
/// is written once, and after that only where a longer signal left values.
final class LowRTransform {
  let nfft: Int
  let kstep: Double
  let count: Int
  private let input: FFTBuffer
  private let output: FFTBuffer
  /// Points of `input` that may be non-zero.
  private var used: Int

  init(nfft: Int, kstep: Double, count: Int) {
    self.nfft = nfft
    self.kstep = kstep
    self.count = min(count, nfft)
    input = FFTBuffer(count: (nfft + 1) / 2)  // nfft real values
    output = FFTBuffer(count: nfft / 2 + 1)
    UnsafeMutableBufferPointer(start: input.pointer, count: nfft).update(repeating: 0)
    used = 0
  }

  func apply(_ signal: [Double], weights: [Double]) -> [Double] {
    let x = input.pointer
    let n = min(signal.count, weights.count, nfft)
    for i in 0..<n { x[i] = signal[i] * weights[i] }
    if used > n { UnsafeMutableBufferPointer(start: x + n, count: used - n).update(repeating: 0) }
    used = n
    RealFFTPlan.shared(count: nfft).execute(x, output.pointer)
    let scale = kstep / Double.pi.squareRoot()
    let y = output.pointer
    let half = nfft / 2
    var out = [Double](repeating: 0, count: 2 * count)
    for m in 0..<count {
      // Bins above nfft/2 (never reached for rbkg below the Nyquist R) by Hermitian symmetry.
      let (q, sign) = m <= half ? (m, 1.0) : (nfft - m, -1.0)
      out[2 * m] = scale * y[2 * q]
      out[2 * m + 1] = sign * scale * y[2 * q + 1]
    }
    return out
  }
}

/// Residuals of the AUTOBK fit: the low-R transform, then the scaled clamps.
private struct AutobkModel: LeastSquaresModel {
  let a0: [Double]
  let m: [Double]
  let chi0: [Double]
  let g: [Double]
  let nspl: Int
  let nk: Int
  let nclamp: Int
  let clampLo: Double
  let clampHi: Double

  var residualCount: Int { a0.count + 2 * nclamp }

  /// Indices of the clamped chi points with their weights.
  private var clampRows: [(index: Int, weight: Double)] {
    (0..<nclamp).map { ($0, clampLo) } + (0..<nclamp).map { (nk - nclamp + $0, clampHi) }
  }

  private func lowR(_ c: UnsafeBufferPointer<Double>) -> [Double] {
    (0..<a0.count).map { i in
      var s = a0[i]
      for j in 0..<nspl { s -= m[i * nspl + j] * c[j] }
      return s
    }
  }

  private func chi(at i: Int, _ c: UnsafeBufferPointer<Double>) -> Double {
    var s = chi0[i]
    for j in 0..<nspl { s -= g[i * nspl + j] * c[j] }
    return s
  }

  func residuals(_ c: UnsafeBufferPointer<Double>, into r: UnsafeMutableBufferPointer<Double>) {
    let out = lowR(c)
    for i in out.indices { r[i] = out[i] }
    guard nclamp > 0 else { return }
    let scale = 0.1 + 10 * out.reduce(0) { $0 + $1 * $1 } / Double(out.count)
    for (row, clamp) in clampRows.enumerated() {
      r[out.count + row] = clamp.weight * scale * chi(at: clamp.index, c)
    }
  }

  func jacobian(_ c: UnsafeBufferPointer<Double>, into jac: UnsafeMutableBufferPointer<Double>) {
    let out = lowR(c)
    for i in out.indices {
      for j in 0..<nspl { jac[i * nspl + j] = -m[i * nspl + j] }
    }
    guard nclamp > 0 else { return }
    let nout = Double(out.count)
    let scale = 0.1 + 10 * out.reduce(0) { $0 + $1 * $1 } / nout
    // d scale / d c_j = (20 / nout) sum_i out_i (-M_ij)
    var dscale = [Double](repeating: 0, count: nspl)
    for i in out.indices {
      for j in 0..<nspl { dscale[j] -= 20 / nout * out[i] * m[i * nspl + j] }
    }
    for (row, clamp) in clampRows.enumerated() {
      let chiValue = chi(at: clamp.index, c)
      for j in 0..<nspl {
        jac[(out.count + row) * nspl + j] =
          clamp.weight * (dscale[j] * chiValue - scale * g[clamp.index * nspl + j])
      }
    }
  }
}

/// Short number formatting for messages.
package func fmt(_ x: Double) -> String { String(format: "%.4g", x) }
