// Checks of the numerical building blocks against exact answers.
import Foundation
import Testing

@testable import EXAFSKit
@testable import EXAFSPlot
@testable import EXAFSReport

struct NumericsTests {
  /// A not-a-knot cubic spline reproduces any cubic exactly, also between uneven nodes.
  @Test func notAKnotSplineIsExactForCubics() {
    let x = [0.0, 0.3, 1.1, 1.5, 2.6, 3.0, 4.2]
    let f = { (t: Double) in 1 - 2 * t + 0.5 * t * t - 0.25 * t * t * t }
    let s = NotAKnotSpline(x: x, y: x.map(f))
    for t in stride(from: -0.2, through: 4.4, by: 0.137) {
      #expect(abs(s(t) - f(t)) < 1e-10)
    }
  }

  /// B-spline basis functions sum to one inside and (extended) outside the breakpoints.
  @Test func bsplineBasisIsPartitionOfUnity() {
    let basis = CubicBSplineBasis(breakpoints: [0, 1, 2.5, 4, 6])
    let t = [-0.5, 0, 0.7, 2.5, 3.3, 6, 6.4]
    let m = basis.matrix(at: t)
    for r in t.indices {
      let sum = (0..<basis.count).reduce(0.0) { $0 + m[r * basis.count + $1] }
      #expect(abs(sum - 1) < 1e-12)
    }
  }

  @Test func polynomialFitRecoversQuadratic() {
    let x = stride(from: 9000.0, through: 10000, by: 10).map { $0 }
    let y = x.map { 2e-7 * $0 * $0 - 3e-3 * $0 + 4 }
    let c = polynomialFit(x: x, y: y, degree: 2)
    for xv in [9000.0, 9500, 10000] {
      #expect(abs(polynomialValue(c, xv) - (2e-7 * xv * xv - 3e-3 * xv + 4)) < 1e-8)
    }
  }

  @Test func indexLookupsFollowLarch() {
    let x = [1.0, 2, 3, 4]
    #expect(indexOf(x, 2.5) == 1)
    #expect(indexOf(x, 0) == 0)
    #expect(indexOf(x, 9) == 3)
    #expect(indexNearest(x, 2.6) == 2)
    #expect(indexNearest(x, 2.4) == 1)
  }
}
