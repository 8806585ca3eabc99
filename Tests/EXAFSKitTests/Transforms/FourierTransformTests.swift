// Physics and convention checks of the forward/back Fourier transforms and the windows.
import Foundation
import Testing

@testable import EXAFSKit
@testable import EXAFSPlot
@testable import EXAFSReport

struct FourierTransformTests {
  /// k^2 chi(k) = sin(2 k R0): |chi(R)| must peak at R0 within one R step (0.0307 Å).
  @Test(arguments: [1.6, 2.4, 3.1, 4.2])
  func pureSinePeaksAtItsDistance(r0: Double) {
    let k = (0..<400).map { Double($0) * 0.05 }
    let chi = k.map { $0 == 0 ? 0 : sin(2 * $0 * r0) / ($0 * $0) }
    var p = FTParameters()
    p.kmin = 3
    p.kmax = 15
    let chir = FourierTransform.forward(k: k, chi: chi, parameters: p)
    let mag = chir.mag
    let imax = mag.indices.max { mag[$0] < mag[$1] }!
    #expect(abs(chir.r[imax] - r0) <= p.rstep)
    // Height: (1/sqrt(pi)) * integral of sin^2 ... = (1/(2 sqrt(pi))) * integral of window.
    let windowIntegral = chir.window.reduce(0, +) * p.kstep
    #expect(abs(mag.max()! - windowIntegral / (2 * Double.pi.squareRoot())) / mag.max()! < 0.03)
  }

  /// Back transform over all R returns the windowed k^w chi(k) (Larch's xftr scaling).
  @Test func backTransformRecoversWindowedSignal() {
    let k = (0..<360).map { Double($0) * 0.05 }
    let chi = k.map { 0.5 * sin(2 * $0 * 2.3) * exp(-0.01 * $0 * $0) }
    var p = FTParameters()
    p.kmin = 3
    p.kmax = 14
    p.rmaxOut = 31
    let chir = FourierTransform.forward(k: k, chi: chi, parameters: p)
    var b = BackFTParameters()
    b.rmin = 0.5
    b.rmax = 30
    b.dr = 0.1
    b.qmaxOut = 16
    let chiq = FourierTransform.backward(chiR: chir, parameters: b)
    var maxErr = 0.0, maxVal = 0.0
    for j in chiq.q.indices where chiq.q[j] >= 5 && chiq.q[j] <= 12 {
      let expected = chir.kwchi[j] * chir.window[j]
      maxErr = max(maxErr, abs(chiq.re[j] - expected))
      maxVal = max(maxVal, abs(expected))
    }
    #expect(maxErr / maxVal < 0.01)
  }

  /// Hanning window: 0 outside [kmin - dk/2, kmax + dk/2], 1 inside, 0.5 at kmin; at kmax the
  /// taper ends are snapped to the grid as Larch does, which gives 0.46263 (value from Larch's ftwindow).
  @Test func hanningWindowShape() {
    let k = (0..<400).map { Double($0) * 0.05 }
    let w = ftWindow(k, xmin: 3, xmax: 12, dx: 1, kind: .hanning)
    #expect(w[40] == 0)  // k = 2.0
    #expect(abs(w[60] - 0.5) < 1e-9)  // k = 3.0
    #expect(w[80] == 1)  // k = 4.0
    #expect(abs(w[240] - 0.4626349532067886) < 1e-12)  // k = 12.0
    #expect(abs(w[230] - 0.9944154131125644) < 1e-12)  // k = 11.5
    #expect(w[260] == 0)  // k = 13.0
  }

  /// Kaiser-Bessel window with dk = 3 over k = 3 ... 12 (values from Larch's ftwindow).
  @Test func kaiserWindowMatchesLarch() {
    let k = (0..<400).map { Double($0) * 0.05 }
    let w = ftWindow(k, xmin: 3, xmax: 12, dx: 3, kind: .kaiser)
    #expect(abs(w[100] - 0.7536185382847175) < 1e-12)
    #expect(abs(w[60] - 0.32334002365252795) < 1e-12)
  }

  @Test func windowNamesParseAsLarchDoes() {
    #expect(FTWindowKind(name: "Hanning") == .hanning)
    #expect(FTWindowKind(name: "kaiser-bessel") == .kaiser)
    #expect(FTWindowKind(name: "gauss") == .gaussian)
    #expect(FTWindowKind(name: "boxcar") == nil)
  }
}
