// Morlet and Cauchy wavelet maps: ridges, amplitudes, FFT vs direct quadrature, agreement with Larch.
// Reference numbers: /work/shared/research/wavelet-validation-numbers.txt (tests T1, T2, T6 of the
// wavelet research digest), Larch fixtures from Tests/Reference/make_reference.py.
import Foundation
import Testing

@testable import EXAFSKit
@testable import EXAFSPlot
@testable import EXAFSReport

/// Uniform grid 0, step, ..., (count - 1) step.
private func grid(_ count: Int, step: Double) -> [Double] { (0..<count).map { Double($0) * step } }

/// Direct quadrature of the Funke Morlet transform (L2) by the sum over grid points (the rule the map
/// and chi(R) use; trapezoid end weights would differ by y_0 dk / 2 times the wavelet):
/// W(b, R) = a^(-1/2) sum_j y_j conj(psi((k_j - b)/a)) dk, a = eta/(2R).
private func directMorlet(
  k: [Double], y: [Double], b: Double, r: Double, eta: Double, sigma: Double
) -> (re: Double, im: Double) {
  let a = eta / (2 * r)
  let c = exp(-0.5 * eta * eta * sigma * sigma)
  let pre = 1 / ((2 * Double.pi).squareRoot() * sigma) / a.squareRoot()
  let dk = k[1] - k[0]
  var re = 0.0, im = 0.0
  for j in k.indices {
    let u = (k[j] - b) / a
    let env = exp(-u * u / (2 * sigma * sigma))
    // conj(psi(u)) = pre [exp(-i eta u) - c] env
    re += y[j] * (cos(eta * u) - c) * env
    im -= y[j] * sin(eta * u) * env
  }
  return (re * pre * dk, im * pre * dk)
}

/// Local maxima of `v` (strictly greater than both neighbours), as indices.
private func localMaxima(_ v: [Double]) -> [Int] {
  (1..<(v.count - 1)).filter { v[$0] > v[$0 - 1] && v[$0] > v[$0 + 1] }
}

struct WaveletTests {
  /// chi = sin(2 k R0)/k^2 with k^2 weighting over k = 4..12: the Funke (L2) ridge at k = 8 is at
  /// R0 within 0.05 Å (issue 3). L2 biases it by -R0/(2 (eta sigma)^2) = -0.02 Å at 4.2 Å, and the
  /// grid step is 0.031 Å; the L1 ridge has no bias and must be within half a step plus 0.01 Å.
  @Test(arguments: [1.8, 2.5, 3.3, 4.2])
  func morletRidgeSitsAtShellDistance(r0: Double) throws {
    let k = grid(321, step: 0.05)
    let chi = k.map { $0 == 0 ? 0 : sin(2 * $0 * r0) / ($0 * $0) }
    var p = WaveletParameters()
    p.kmin = 4
    p.kmax = 12
    for normalization in WaveletNormalization.allCases {
      p.normalization = normalization
      let map = try WaveletTransform.map(k: k, chi: chi, parameters: p)
      let col = indexNearest(map.k, 8)
      let ridge = try #require(map.ridge()[col])
      let tolerance = normalization == .funke ? 0.05 : p.resolvedRstep / 2 + 0.01
      #expect(abs(ridge - r0) <= tolerance, "\(normalization): ridge \(ridge) Å for R0 = \(r0) Å")
    }
    // The columns span exactly kmin..kmax.
    let map = try WaveletTransform.map(k: k, chi: chi, parameters: p)
    #expect(abs(map.k[0] - 4) < 1e-9 && abs(map.k[map.k.count - 1] - 12) < 1e-9)
  }

  /// T1: Gaussian packet y = exp(-(k-8)^2/8) sin(4.4 k + 0.3) on k = 0..24: the FFT map equals the
  /// direct sum to 1e-10 of its maximum (measured 5e-14: no wrap-around, no truncated filter) and |W(8, 2.2)|
  /// equals the closed form (0.497967, 0.463422, 0.482413 for eta = 10, 5, 6; 6 digits given).
  /// On the default R grid the agreement holds at every k and at every R, down to one R step.
  @Test(arguments: [(10.0, 0.497967), (5.0, 0.463422), (6.0, 0.482413)])
  func morletMatchesDirectQuadratureAndClosedForm(eta: Double, expected: Double) throws {
    let k = grid(481, step: 0.05)
    let y = k.map { exp(-($0 - 8) * ($0 - 8) / 8) * sin(4.4 * $0 + 0.3) }
    var p = WaveletParameters()
    p.eta = eta
    p.kweight = 0
    p.rmin = 1.0
    p.rstep = 0.1
    p.rmax = 4.0
    let map = try WaveletTransform.map(k: k, chi: y, parameters: p)
    let peak = try #require(map.peak).magnitude
    var worst = 0.0
    for row in stride(from: 0, to: map.rowCount, by: 3) {
      for col in stride(from: indexNearest(map.k, 3), through: indexNearest(map.k, 13), by: 10) {
        let d = directMorlet(k: k, y: y, b: map.k[col], r: map.r[row], eta: eta, sigma: 1)
        let w = map.value(row: row, col: col)
        worst = max(worst, hypot(w.re - d.re, w.im - d.im) / peak)
      }
    }
    #expect(worst < 1e-10)
    let value = map.magnitude(row: indexNearest(map.r, 2.2), col: indexNearest(map.k, 8))
    #expect(abs(value - expected) < 2e-6)
    // Default R grid (one R step to 6 Å): rows with different FFT lengths, down to a = 163 1/Å.
    p = WaveletParameters()
    p.eta = eta
    p.kweight = 0
    let full = try WaveletTransform.map(k: k, chi: y, parameters: p)
    let fullPeak = try #require(full.peak).magnitude
    worst = 0
    for rr in [0.0307, 0.1, 0.3, 0.7, 1.5, 3.0, 6.0] {
      let row = indexNearest(full.r, rr)
      for col in stride(from: 0, to: full.columnCount, by: 40) {
        let d = directMorlet(k: k, y: y, b: full.k[col], r: full.r[row], eta: eta, sigma: 1)
        let w = full.value(row: row, col: col)
        worst = max(worst, hypot(w.re - d.re, w.im - d.im) / fullPeak)
      }
    }
    #expect(worst < 1e-10)
  }

  /// T2: y = sin(6 k) on k = 0..40 (step 0.025) at b = 20: Funke ridge 2.9850 Å with |W| 0.64630;
  /// L1 ridge 3.0000 Å with |W| 0.50000 and W = (1/2i) exp(i 2 R0 b) (the sign convention: conj(psi)).
  @Test func morletPureSineAmplitudeAndPhase() throws {
    let k = grid(1601, step: 0.025)
    let y = k.map { sin(6 * $0) }
    var p = WaveletParameters()
    p.kstep = 0.025
    p.kweight = 0
    p.rmin = 2.9
    p.rstep = 0.0005
    p.rmax = 3.1
    let col = 800
    let funke = try WaveletTransform.map(k: k, chi: y, parameters: p)
    #expect(abs(funke.k[col] - 20) < 1e-9)
    let f = funke.column(col)
    let fRow = try #require(f.indices.max { f[$0] < f[$1] })
    #expect(abs(funke.r[fRow] - 2.9850) <= 0.00051)
    #expect(abs(f[fRow] - 0.64630) < 5e-5)
    p.normalization = .amplitude
    let l1 = try WaveletTransform.map(k: k, chi: y, parameters: p)
    let m = l1.column(col)
    let lRow = try #require(m.indices.max { m[$0] < m[$1] })
    #expect(abs(l1.r[lRow] - 3.0) <= 0.00051)
    #expect(abs(m[lRow] - 0.5) < 1e-5)
    // (1/2i) e^(i 120) = 0.5 sin(120) - 0.5i cos(120)
    let w = l1.value(row: lRow, col: col)
    #expect(abs(w.re - 0.5 * sin(120)) < 1e-4 && abs(w.im + 0.5 * cos(120)) < 1e-4)
  }

  /// Only eta·sigma shapes the map: (eta, sigma) = (10, 1) and (5, 2) differ by the constant sqrt(2)
  /// of the Funke prefactor sqrt(2R/eta) / (sqrt(2 pi) sigma); both maps are exact, so to 1e-9.
  @Test func onlyEtaTimesSigmaShapesTheMap() throws {
    let k = grid(321, step: 0.05)
    let chi = k.map { 0.6 * sin(2 * $0 * 2.4 + 1) * exp(-0.01 * $0 * $0) }
    var p = WaveletParameters()
    p.kmin = 2
    p.rmin = 0.5
    let a = try WaveletTransform.map(k: k, chi: chi, parameters: p)
    p.eta = 5
    p.sigma = 2
    let b = try WaveletTransform.map(k: k, chi: chi, parameters: p)
    let ma = a.magnitude, mb = b.magnitude
    let peak = ma.max() ?? 1
    let worst = zip(ma, mb).map { abs($0 - 2.0.squareRoot() * $1) }.max() ?? 0
    #expect(worst / peak < 1e-9)
  }

  /// Two shells at 2.0 and 3.5 Å (k^2 chi = sin(4k) + 0.8 sin(7k), k 3..14): the column at k = 8
  /// has two maxima along R, at the shells within 0.1 Å, with a dip below half the lower one.
  @Test func ridgeSeparatesTwoShells() throws {
    let k = grid(321, step: 0.05)
    let chi = k.map { $0 == 0 ? 0 : (sin(4 * $0) + 0.8 * sin(7 * $0)) / ($0 * $0) }
    var p = WaveletParameters()
    p.kmin = 3
    p.kmax = 14
    let map = try WaveletTransform.map(k: k, chi: chi, parameters: p)
    let col = indexNearest(map.k, 8)
    let column = map.column(col)
    let maxima = localMaxima(column).sorted { column[$0] > column[$1] }
    try #require(maxima.count >= 2)
    let shells = maxima.prefix(2).sorted()
    #expect(abs(map.r[shells[0]] - 2.0) < 0.1 && abs(map.r[shells[1]] - 3.5) < 0.1)
    let dip = column[shells[0]...shells[1]].min() ?? 0
    #expect(dip < 0.5 * min(column[shells[0]], column[shells[1]]))
    let inner = try #require(map.ridge(rmin: 1, rmax: 2.75)[col])
    let outer = try #require(map.ridge(rmin: 2.75, rmax: 5)[col])
    #expect(abs(inner - 2.0) < 0.1 && abs(outer - 3.5) < 0.1)
  }

  /// The R marginal (integral of |W| over k) of a single damped shell peaks where |chi(R)| does,
  /// within 0.1 Å (issue 3), using the same k range and k-weight for both transforms.
  @Test(arguments: [1.9, 2.6, 3.4])
  func rMarginalPeaksWithChiR(r0: Double) throws {
    let k = grid(321, step: 0.05)
    let chi = k.map { $0 == 0 ? 0 : 0.8 * sin(2 * $0 * r0 + 0.5) * exp(-0.008 * $0 * $0) / $0 }
    var ft = FTParameters()
    ft.kmin = 3
    ft.kmax = 14
    let chir = FourierTransform.forward(k: k, chi: chi, parameters: ft)
    let chirMag = chir.mag
    let ftPeak = try #require(chirMag.indices.max { chirMag[$0] < chirMag[$1] })
    var p = WaveletParameters()
    p.kmin = 3
    p.kmax = 14
    let map = try WaveletTransform.map(k: k, chi: chi, parameters: p)
    let marginal = map.rMarginal
    #expect(marginal.count == map.rowCount)
    let wtPeak = try #require(marginal.indices.max { marginal[$0] < marginal[$1] })
    #expect(abs(map.r[wtPeak] - chir.r[ftPeak]) <= 0.1)
  }

  /// T6: Cauchy of order 100 on sin(6 k) (k 0..40, step 0.025) rings at 3.0 Å with
  /// |W| = (1/2) 2 pi n^n e^-n / n! = 0.12523 (L1), independently of Larch.
  @Test func cauchyPureSineAmplitude() throws {
    let k = grid(1601, step: 0.025)
    let y = k.map { sin(6 * $0) }
    var p = WaveletParameters()
    p.kind = .cauchy
    p.kstep = 0.025
    p.kweight = 0
    p.rmax = 6
    p.rstep = 0.0496  // round(6 / 0.0496) = 121 points, linspace step 0.05 Å
    p.cauchyOrder = 100
    let map = try WaveletTransform.map(k: k, chi: y, parameters: p)
    #expect(map.rowCount == 121)
    let column = map.column(800)
    let row = try #require(column.indices.max { column[$0] < column[$1] })
    #expect(abs(map.r[row] - 3.0) < 1e-9)
    #expect(abs(column[row] - 0.12523) < 1e-5)
  }

  /// Larch's `cauchy_wavelet(k, chi, kweight=2, rmax_out=6)` on every bundled sample, from Larch's own
  /// chi(k): same grid, and max |ours - Larch| within 2% of Larch's peak (issue 3). The two agree to
  /// the fixtures' 6 significant digits (measured 6e-7 to 4.4e-6 of the peak), checked at 1e-4.
  @Test(arguments: try LarchCauchyFixture.all())
  func cauchyMatchesLarch(fixture: LarchCauchyFixture) throws {
    var p = WaveletParameters()
    p.kind = .cauchy
    p.kweight = fixture.kweight
    p.rmax = fixture.rmax_out
    let map = try WaveletTransform.map(k: fixture.k, chi: fixture.chi, parameters: p)
    try #require(map.rowCount == fixture.r.count && map.columnCount == fixture.kOut.count)
    #expect(zip(map.r.dropFirst(), fixture.r.dropFirst()).allSatisfy { abs($0 - $1) < 1e-8 })
    #expect(zip(map.k, fixture.kOut).allSatisfy { abs($0 - $1) < 1e-8 })
    let larchPeak = fixture.wcauchy_mag.joined().max() ?? 0
    var worst = 0.0
    for (row, larchRow) in fixture.wcauchy_mag.enumerated() {
      for (col, larch) in larchRow.enumerated() {
        worst = max(worst, abs(map.magnitude(row: row, col: col) - larch))
      }
    }
    // Measured 4.4e-6 of the peak at worst (the fixtures hold 6 significant digits); margin about 2.
    #expect(worst / larchPeak <= 1e-5, "max deviation \(worst / larchPeak) of the peak")
  }

  @Test func fixturesForCauchyArePresent() throws {
    #expect(try LarchCauchyFixture.all().count == 16)
  }

  /// With dk > 0 the window rises from 0 at kmin to 1 at kmin + dk and falls to 0 at kmax; between,
  /// the transform input is exactly k^w chi(k).
  @Test func taperLiesInsideTheKRange() throws {
    let k = grid(321, step: 0.05)
    let chi = k.map { 0.3 * cos($0) }
    var p = WaveletParameters()
    p.kmin = 3
    p.kmax = 13
    p.dk = 1
    let input = try WaveletInput(k: k, chi: chi, parameters: p)
    #expect(abs(input.k[0] - 3) < 1e-9 && abs(input.k[input.k.count - 1] - 13) < 1e-9)
    #expect(abs(input.y[0]) < 1e-12 && abs(input.y[input.y.count - 1]) < 1e-12)
    for kk in [4.0, 8.0, 12.0] {
      let j = indexNearest(input.k, kk)
      #expect(abs(input.y[j] - 0.3 * cos(input.k[j]) * input.k[j] * input.k[j]) < 1e-12)
    }
  }

  /// Impossible parameters are rejected before any work.
  @Test func rejectsImpossibleParameters() {
    let k = grid(100, step: 0.05)
    let chi = k.map { sin($0) }
    var p = WaveletParameters()
    p.rmin = 0
    #expect(throws: EXAFSError.self) { try WaveletTransform.map(k: k, chi: chi, parameters: p) }
    p = WaveletParameters()
    p.kmin = 4
    p.kmax = 3
    #expect(throws: EXAFSError.self) { try WaveletTransform.map(k: k, chi: chi, parameters: p) }
    p = WaveletParameters()
    p.rmax = 40
    #expect(throws: EXAFSError.self) { try WaveletTransform.map(k: k, chi: chi, parameters: p) }
    #expect(throws: EXAFSError.self) { try WaveletTransform.map(k: [0], chi: [0]) }
  }
}

/// A Larch Cauchy-wavelet fixture NAME.cauchy.json with the chi(k) of NAME.json it was made from.
struct LarchCauchyFixture: Sendable, CustomTestStringConvertible {
  /// The wavelet file's keys.
  struct Map: Decodable {
    let kweight: Double
    let rmax_out: Double
    let k: [Double]
    let r: [Double]
    let wcauchy_mag: [[Double]]
  }
  /// The chi(k) Larch's autobk produced (input of cauchy_wavelet).
  struct Chi: Decodable {
    let k: [Double]
    let chi: [Double]
  }
  let name: String
  let kweight: Double
  let rmax_out: Double
  let kOut: [Double]
  let r: [Double]
  let wcauchy_mag: [[Double]]
  let k: [Double]
  let chi: [Double]

  var testDescription: String { name }

  /// Every Cauchy fixture; a missing or unreadable one is an error, not a skipped case.
  static func all() throws -> [LarchCauchyFixture] {
    let dir = try #require(fixturesURL()).appendingPathComponent("larch")
    let files = try FileManager.default.contentsOfDirectory(atPath: dir.path)
    return try files.sorted().filter { $0.hasSuffix(".cauchy.json") }.map { file in
      let stem = String(file.dropLast(".cauchy.json".count))
      let map = try JSONDecoder().decode(Map.self, from: Data(contentsOf: dir.appendingPathComponent(file)))
      let chi = try JSONDecoder().decode(Chi.self, from: Data(contentsOf: dir.appendingPathComponent(stem + ".json")))
      return LarchCauchyFixture(
        name: stem, kweight: map.kweight, rmax_out: map.rmax_out, kOut: map.k, r: map.r,
        wcauchy_mag: map.wcauchy_mag, k: chi.k, chi: chi.chi)
    }
  }
}
