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
  // Column j of G is the not-a-knot interpolation from kfit onto kout of basis function j. That
  // interpolant is the C2 cubic spline with breakpoints kfit[2 ..< nraw - 2] (extended by its end
  // pieces) through the data; basis function j is itself such a spline when the basis breakpoints
  // are among those nodes (they are data points), so then G is simply the basis at kout, exactly
  // (up to the rounding of the interpolation). Otherwise each column is interpolated.
  let chi0 = NotAKnotSpline(x: kfit, y: mufit).evaluate(kout)
  let g: [Double]
  if basisIsInterpolatedExactly(basis, nodes: kfit) {
    g = basis.matrix(at: kout)
  } else {
    var interpolated = [Double](repeating: 0, count: nk * nspl)
    var column = [Double](repeating: 0, count: nraw)
    for j in 0..<nspl {
      for i in 0..<nraw { column[i] = bmat[i * nspl + j] }
      let v = NotAKnotSpline(x: kfit, y: column).evaluate(kout)
      for i in 0..<nk { interpolated[i * nspl + j] = v[i] }
    }
    g = interpolated
  }
  let transform = LowRTransform(nfft: p.nfft, kstep: p.kstep, count: irbkg)
  let a0 = transform.apply(chi0, weights: ftwin)
  var mmat = [Double](repeating: 0, count: 2 * irbkg * nspl)
  var column = [Double](repeating: 0, count: nk)
  for j in 0..<nspl {
    for i in 0..<nk { column[i] = g[i * nspl + j] }
    let v = transform.apply(column, weights: ftwin)
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

/// Whether the not-a-knot interpolant through `nodes` (increasing, at least 4) of every function of
/// `basis` is that function itself: true when each interior breakpoint of the basis is one of
/// nodes[2 ..< n - 2], the interior breakpoints of the interpolant. Both are then C2 cubic splines
/// on those breakpoints (polynomial beyond the ends) agreeing at the n nodes, and such a spline is
/// fixed by its n values.
private func basisIsInterpolatedExactly(_ basis: CubicBSplineBasis, nodes: [Double]) -> Bool {
  let n = nodes.count
  guard n >= 4 else { return false }
  let interior = basis.breakpoints.dropFirst().dropLast()
  var k = 2
  for b in interior {
    while k < n - 2, nodes[k] < b { k += 1 }
    guard k < n - 2, nodes[k] == b else { return false }
  }
  return true
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
///
/// With out = a0 - M c (the nout = 2 irbkg transform values) and s = 0.1 + 10 |out|^2 / nout,
/// the fit minimizes |out|^2 + sum_r (w_r s chi_r(c))^2 over the clamped points (chi_r = chi0_r - G_r c,
/// w_r = clampLo for the first nclamp points of kout, clampHi for the last nclamp).
///
/// The transform part is linear, so it is reduced once by a Householder QR factorization
/// M = Q [R; 0]: with Q^T a0 = [z; y], |out|^2 = |z - R c|^2 + |y|^2 for every c. The residuals
/// handed to the solver are z - R c (min(nout, nspl) values), the constant |y|, then the clamps:
/// an orthogonal transformation of the nout transform residuals plus zeros. The sum of squares, the
/// gradient J^T f, J^T J and the column norms of J (GSL's scaling) are the same as for the nout
/// residuals, so the Levenberg-Marquardt iteration is the same one (up to rounding), on a system
/// with about nspl + 1 + 2 nclamp rows instead of 2 irbkg + 2 nclamp.
///
/// The Jacobian is -R, a zero row, then w_r (ds/dc chi_r - s G_r), with
/// ds/dc_j = (20 / nout) sum_i out_i (-M_ij) = -(20 / nout) (R^T (z - R c))_j.
/// The clamped rows of chi0 and G are copied out once, and the LSQ calls (many per fit) work in
/// the output buffers and in stack scratch space: no allocation per call.
private struct AutobkModel: LeastSquaresModel {
  /// z = first rows of Q^T a0, and R (upper trapezoidal, row-major, `reduced` x nspl).
  let z: [Double]
  let r: [Double]
  /// |y|: the part of a0 outside the column space of M.
  let rest: Double
  /// Number of transform values (for the scale) and of reduced rows.
  let nout: Int
  let reduced: Int
  let nspl: Int
  /// chi0 and the rows of G at the clamped points, with their clamp weights.
  let clampChi0: [Double]
  let clampG: [Double]
  let clampWeight: [Double]

  init(a0: [Double], m: [Double], chi0: [Double], g: [Double], nspl: Int, nk: Int, nclamp: Int, clampLo: Double, clampHi: Double) {
    let nout = a0.count
    self.nout = nout
    self.nspl = nspl
    let reduced = min(nout, nspl)
    self.reduced = reduced
    // Householder QR: column k is reflected onto alpha e_k by H = I - 2 v v^T / (v^T v),
    // v = x - alpha e_k, alpha = -sign(x_k) |x|; H is applied to the later columns and to a0.
    // Reflections applied to the augmented matrix [M | a0], stored by columns (column j at
    // a[j * nout ..< (j + 1) * nout]) so that the inner loops run over contiguous values.
    let w = nspl + 1
    var a = [Double](repeating: 0, count: nout * w)
    for i in 0..<nout {
      for j in 0..<nspl { a[j * nout + i] = m[i * nspl + j] }
      a[nspl * nout + i] = a0[i]
    }
    a.withUnsafeMutableBufferPointer { a in
      for k in 0..<reduced {
        let ck = k * nout
        var norm2 = 0.0
        for i in k..<nout { norm2 += a[ck + i] * a[ck + i] }
        guard norm2 > 0 else { continue }
        let akk = a[ck + k]
        let alpha = akk > 0 ? -norm2.squareRoot() : norm2.squareRoot()
        let vk = akk - alpha
        var vtv = vk * vk
        for i in (k + 1)..<nout { vtv += a[ck + i] * a[ck + i] }
        for j in (k + 1)..<w {
          let cj = j * nout
          var dot = vk * a[cj + k]
          for i in (k + 1)..<nout { dot += a[ck + i] * a[cj + i] }
          let f = 2 * dot / vtv
          a[cj + k] -= f * vk
          for i in (k + 1)..<nout { a[cj + i] -= f * a[ck + i] }
        }
        a[ck + k] = alpha
      }
    }
    var r = [Double](repeating: 0, count: reduced * nspl)
    for i in 0..<reduced {
      for j in i..<nspl { r[i * nspl + j] = a[j * nout + i] }
    }
    let b = Array(a[(nspl * nout)...])
    self.r = r
    z = Array(b[0..<reduced])
    var rest2 = 0.0
    for i in reduced..<nout { rest2 += b[i] * b[i] }
    rest = rest2.squareRoot()
    let rows = (0..<nclamp).map { ($0, clampLo) } + (0..<nclamp).map { (nk - nclamp + $0, clampHi) }
    clampChi0 = rows.map { chi0[$0.0] }
    clampG = rows.flatMap { row in g[(row.0 * nspl)..<((row.0 + 1) * nspl)] }
    clampWeight = rows.map(\.1)
  }

  var residualCount: Int { reduced + 1 + clampWeight.count }

  /// z - R c into `out` (`reduced` values); returns |out|^2 of the full transform (adds |y|^2).
  private func lowR(_ c: UnsafeBufferPointer<Double>, into out: UnsafeMutableBufferPointer<Double>) -> Double {
    var sumSquares = 0.0
    for i in 0..<reduced {
      var s = z[i]
      for j in i..<nspl { s -= r[i * nspl + j] * c[j] }
      out[i] = s
      sumSquares += s * s
    }
    return sumSquares + rest * rest
  }

  /// chi at clamped point `row`: chi0 - G c.
  private func clampedChi(_ row: Int, _ c: UnsafeBufferPointer<Double>) -> Double {
    var s = clampChi0[row]
    for j in 0..<nspl { s -= clampG[row * nspl + j] * c[j] }
    return s
  }

  func residuals(_ c: UnsafeBufferPointer<Double>, into res: UnsafeMutableBufferPointer<Double>) {
    let sumSquares = lowR(c, into: UnsafeMutableBufferPointer(rebasing: res[0..<reduced]))
    res[reduced] = rest
    guard !clampWeight.isEmpty else { return }
    let scale = 0.1 + 10 * sumSquares / Double(nout)
    for row in clampWeight.indices {
      res[reduced + 1 + row] = clampWeight[row] * scale * clampedChi(row, c)
    }
  }

  func jacobian(_ c: UnsafeBufferPointer<Double>, into jac: UnsafeMutableBufferPointer<Double>) {
    for q in 0..<(reduced * nspl) { jac[q] = -r[q] }
    for j in 0..<nspl { jac[reduced * nspl + j] = 0 }
    guard !clampWeight.isEmpty else { return }
    withUnsafeTemporaryAllocation(of: Double.self, capacity: reduced + nspl) { scratch in
      let out = UnsafeMutableBufferPointer(rebasing: scratch[0..<reduced])
      let dscale = UnsafeMutableBufferPointer(rebasing: scratch[reduced...])
      let sumSquares = lowR(c, into: out)
      let scale = 0.1 + 10 * sumSquares / Double(nout)
      // d scale / d c_j = (20 / nout) sum_i (z - R c)_i (-R_ij)
      dscale.initialize(repeating: 0)
      for i in 0..<reduced {
        let f = 20 / Double(nout) * out[i]
        for j in i..<nspl { dscale[j] -= f * r[i * nspl + j] }
      }
      let first = (reduced + 1) * nspl
      for row in clampWeight.indices {
        let chiValue = clampedChi(row, c)
        let w = clampWeight[row]
        for j in 0..<nspl {
          jac[first + row * nspl + j] = w * (dscale[j] * chiValue - scale * clampG[row * nspl + j])
        }
      }
    }
  }
}

/// Short number formatting for messages.
package func fmt(_ x: Double) -> String { String(format: "%.4g", x) }
