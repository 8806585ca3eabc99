// Morlet maps of an octahedron fit: the model's map against direct quadrature, residual and group maps by linearity, and which path group makes the hinge feature at (k 6, R 4.2).
import Foundation
import Testing

@testable import EXAFSKit

/// Direct quadrature of the Funke Morlet transform (L2), written here from its definition:
/// W(b, R) = a^(-1/2) sum_j y_j conj(psi((k_j - b)/a)) dk, a = eta/(2R),
/// psi(u) = [exp(i eta u) - exp(-eta^2 sigma^2/2)] exp(-u^2/(2 sigma^2)) / (sqrt(2 pi) sigma).
private func directMorlet(k: [Double], y: [Double], b: Double, r: Double, eta: Double, sigma: Double) -> (re: Double, im: Double) {
  let a = eta / (2 * r)
  let c = exp(-0.5 * eta * eta * sigma * sigma)
  let pre = 1 / ((2 * Double.pi).squareRoot() * sigma) / a.squareRoot()
  let dk = k[1] - k[0]
  var re = 0.0, im = 0.0
  for j in k.indices {
    let u = (k[j] - b) / a
    let env = exp(-u * u / (2 * sigma * sigma))
    re += y[j] * (cos(eta * u) - c) * env
    im -= y[j] * sin(eta * u) * env
  }
  return (re * pre * dk, im * pre * dk)
}

/// The fit of the 155-degree FEFF6L chi(k) fixture (OctahedronFitTests' grid), done once.
struct OctahedronWaveletTests {
  static let fit155: Result<OctahedronFitResult, any Error> = Result {
    try OctahedronFitTests.fit(OctahedronFitTests.fixture("angle155.chi"))
  }

  /// The model's map against direct quadrature of k^2 chi_model(k) on the map's columns (k 3 ... 14,
  /// sharp cut): agreement to 1e-10 of the map's maximum at cells across the map (reached: see message).
  @Test(.enabled(if: OctahedronFitTests.feffPresent, "skipped: /usr/bin/feff6l is absent (install Debian's feff85exafs)"))
  func modelMapEqualsDirectQuadrature() throws {
    let r = try Self.fit155.get()
    let maps = try r.waveletMaps()
    let m = maps.model
    let p = m.parameters
    #expect(p.kind == .morlet && p.eta == 10 && p.sigma == 1 && p.kweight == 2 && p.normalization == .funke)
    #expect(abs(m.k.first! - 3) < 1e-9 && abs(m.k.last! - 14) < 1e-9)
    // y on the columns, from the result's model chi (the fit's k grid is the map's grid)
    let y = m.k.map { kk -> Double in
      let i = r.k.firstIndex { abs($0 - kk) < 1e-9 }!
      return r.model[i] * kk * kk
    }
    let peak = m.magnitude.max()!
    var worst = 0.0
    for (kk, rr) in [(6.0, 4.2), (8.0, 1.9), (5.0, 3.5), (10.0, 2.5), (3.5, 4.5), (12.0, 5.5)] {
      let col = m.k.indices.min { abs(m.k[$0] - kk) < abs(m.k[$1] - kk) }!
      let row = m.r.indices.min { abs(m.r[$0] - rr) < abs(m.r[$1] - rr) }!
      let d = directMorlet(k: m.k, y: y, b: m.k[col], r: m.r[row], eta: 10, sigma: 1)
      let v = m.value(row: row, col: col)
      worst = max(worst, hypot(v.re - d.re, v.im - d.im) / peak)
    }
    #expect(worst < 1e-10, "worst relative difference \(worst)")
  }

  /// Residual map = data map − model map and the group maps sum to the model map (the transform is
  /// linear): to 1e-12 and 1e-10 of the map's maximum in every cell.
  @Test(.enabled(if: OctahedronFitTests.feffPresent, "skipped: /usr/bin/feff6l is absent (install Debian's feff85exafs)"))
  func residualAndGroupMapsAreLinear() throws {
    let r = try Self.fit155.get()
    let maps = try r.waveletMaps()
    #expect(maps.groups.map(\.name) == ["first_shell", "shell_Na8", "ligand_ms_focused", "ligand_ms_triangles", "outer_ms"])
    let peak = maps.data.magnitude.max()!
    var residualWorst = 0.0, groupWorst = 0.0
    for i in 0..<maps.model.re.count {
      residualWorst = max(
        residualWorst, abs(maps.data.re[i] - maps.model.re[i] - maps.residual.re[i]),
        abs(maps.data.im[i] - maps.model.im[i] - maps.residual.im[i]))
      let re = maps.groups.reduce(0) { $0 + $1.map.re[i] }, im = maps.groups.reduce(0) { $0 + $1.map.im[i] }
      groupWorst = max(groupWorst, abs(re - maps.model.re[i]), abs(im - maps.model.im[i]))
    }
    #expect(residualWorst / peak < 1e-12, "residual: \(residualWorst / peak)")
    #expect(groupWorst / peak < 1e-10, "groups: \(groupWorst / peak)")
    // and the chi(k) groups: ligand_ms = focused + triangles, every group sums to the model
    for i in r.k.indices {
      #expect(abs(r.groups["ligand_ms"]![i] - r.groups["ligand_ms_focused"]![i] - r.groups["ligand_ms_triangles"]![i]) < 1e-12)
      let sum = r.groupNames.reduce(0) { $0 + r.groups[$1]![i] }
      #expect(abs(sum - r.model[i]) < 1e-12)
    }
  }

  /// Which paths make the feature at (k 6, R 4.2) on the 155-degree model: MEASURED
  @Test(.enabled(if: OctahedronFitTests.feffPresent, "skipped: /usr/bin/feff6l is absent (install Debian's feff85exafs)"))
  func focusedPathsMakeTheHingeFeature() throws {
    let r = try Self.fit155.get()
    let w = try #require(r.wavelet)
    print("WAVELET", w.point, w.hingeWindow)
    let projections = w.point.groups.mapValues(\.projection)
    #expect(abs(projections.values.reduce(0, +) - 1) < 1e-9)
  }
}
