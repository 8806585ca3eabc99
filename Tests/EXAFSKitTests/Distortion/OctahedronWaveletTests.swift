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
  /// sharp cut): agreement to 1e-13 of the map's maximum at cells across the map (reached 4.5e-15).
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
    #expect(worst < 1e-13, "worst relative difference \(worst)")
  }

  /// Residual map = data map − model map and the group maps sum to the model map (the transform is
  /// linear): to 1e-13 of the data map's maximum in every cell (reached 3.1e-16 and 3.8e-16; the issue
  /// asked for 1e-12 and 1e-10).
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
    #expect(residualWorst / peak < 1e-13, "residual: \(residualWorst / peak)")
    #expect(groupWorst / peak < 1e-13, "groups: \(groupWorst / peak)")
    // and the chi(k) groups: ligand_ms = focused + triangles, every group sums to the model
    for i in r.k.indices {
      #expect(abs(r.groups["ligand_ms"]![i] - r.groups["ligand_ms_focused"]![i] - r.groups["ligand_ms_triangles"]![i]) < 1e-12)
      let sum = r.groupNames.reduce(0) { $0 + r.groups[$1]![i] }
      #expect(abs(sum - r.model[i]) < 1e-12)
    }
  }

  /// Which paths make the feature at (k 6, R 4.2). Physics: a path of half length reff appears near
  /// reff - 0.4 Å here (phase-uncorrected), and the Morlet row at R responds to a shell at R' with
  /// exp(-(eta sigma)^2 (R'/R - 1)^2 / 2): 0.36 for the Na8 shell (3.90 Å, seen at about 3.5 Å) at
  /// R = 4.2 Å, 1e-7 for the first shell (seen at 1.9 Å). The focused paths at 2 R0 = 4.74 Å sit at 4.2 Å
  /// but carry the Cl forward-scattering (lens) amplitude, which falls steeply as the trans angle
  /// leaves 180 degrees. So: at 180 degrees the focused group makes most of the model's W there
  /// (the published argument); at 155 degrees the lens is mostly gone and the Na8 tail, eight light
  /// atoms without focusing, makes most of it; the first shell makes almost none at either.
  /// Reached: 180 deg focused share 0.71, Na8 0.25; 155 deg Na8 0.86 (projection 0.85), focused
  /// 0.22 (0.18), first shell 0.01.
  @Test(.enabled(if: OctahedronFitTests.feffPresent, "skipped: /usr/bin/feff6l is absent (install Debian's feff85exafs)"))
  func whichPathsMakeTheHingeFeature() throws {
    let bent = try #require(try Self.fit155.get().wavelet)
    let straight = try #require(try OctahedronFitTests.fit(OctahedronFitTests.fixture("angle180.chi")).wavelet)
    for w in [bent, straight] {
      #expect(abs(w.point.k - 6) < 0.03 && abs(w.point.r - 4.2) < 0.02)
      #expect(abs(w.point.groups.values.map(\.projection).reduce(0, +) - 1) < 1e-9)
      #expect(abs(w.hingeWindow.groups.values.map(\.projection).reduce(0, +) - 1) < 1e-9)
      #expect(w.point.groups["first_shell"]!.share < 0.05, "first shell \(w.point.groups["first_shell"]!.share)")
    }
    func largest(_ w: OctahedronWaveletRecord) -> String { w.point.groups.max { $0.value.projection < $1.value.projection }!.key }
    #expect(largest(straight) == "ligand_ms_focused" && straight.point.groups["ligand_ms_focused"]!.share > 0.5, "180: \(straight.point.groups)")
    #expect(largest(bent) == "shell_Na8" && bent.point.groups["shell_Na8"]!.share > 0.5, "155: \(bent.point.groups)")
    // the lens weakens with the bend: the focused group's |W| there falls from 180 to 155 degrees
    #expect(bent.point.groups["ligand_ms_focused"]!.magnitude < straight.point.groups["ligand_ms_focused"]!.magnitude)
  }
}
