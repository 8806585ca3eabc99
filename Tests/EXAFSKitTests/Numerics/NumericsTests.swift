// Checks of the numerical building blocks against exact answers.
import CGSL
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

  /// `evaluate` (stepping through the intervals of increasing points) gives exactly the values of
  /// the point-by-point evaluation, for increasing points, repeated points, points beyond both ends
  /// and points in no order.
  @Test func notAKnotSplineEvaluateEqualsPointwise() {
    let x = [0.0, 0.3, 1.1, 1.5, 2.6, 3.0, 4.2]
    let s = NotAKnotSpline(x: x, y: x.map { sin(3 * $0) })
    let increasing = [-1.0, -0.2, 0, 0, 0.3, 0.31, 1.5, 2.0, 4.2, 4.2, 5.7]
    let unordered = [2.0, -0.5, 4.4, 1.1, 1.1, 0.2, 3.9, -3.0]
    for t in [increasing, unordered, increasing + unordered, [Double]()] {
      #expect(s.evaluate(t) == t.map { s($0) })
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

  /// The basis matrix (own Cox-de Boor recurrence inside the breakpoints) equals GSL's
  /// gsl_bspline_eval, at breakpoints, between them and at the ends.
  @Test func bsplineBasisMatchesGSL() {
    let breakpoints = [0.0, 0.4, 1.3, 1.35, 2.9, 4.0, 6.2]
    let basis = CubicBSplineBasis(breakpoints: breakpoints)
    let t = breakpoints + stride(from: 0.0, through: 6.2, by: 0.0731).map { $0 } + [(6.2).nextDown]
    let m = basis.matrix(at: t)
    let work = gsl_bspline_alloc(4, breakpoints.count)!
    defer { gsl_bspline_free(work) }
    let bp = gsl_vector_alloc(breakpoints.count)!
    defer { gsl_vector_free(bp) }
    for (i, v) in breakpoints.enumerated() { gsl_vector_set(bp, i, v) }
    gsl_bspline_knots(bp, work)
    let values = gsl_vector_alloc(basis.count)!
    defer { gsl_vector_free(values) }
    for (r, x) in t.enumerated() {
      _ = gsl_bspline_eval(x, values, work)
      for i in 0..<basis.count {
        #expect(abs(m[r * basis.count + i] - gsl_vector_get(values, i)) <= 1e-15, "x = \(x), function \(i)")
      }
    }
  }

  /// A cubic B-spline whose breakpoints are among the nodes x[2 ..< n - 2] is its own not-a-knot
  /// interpolant through the nodes, also beyond the end nodes (what AUTOBK relies on to take the
  /// interpolated basis functions from the basis directly).
  @Test func bsplineIsItsOwnNotAKnotInterpolant() {
    let nodes = (0..<41).map { i in -0.3 + 0.25 * Double(i) + 0.04 * sin(Double(i)) }
    let knots = stride(from: 1, to: 40, by: 4).map { nodes[$0] } + [nodes[40]]
    let basis = CubicBSplineBasis(notAKnotNodes: knots)
    let atNodes = basis.matrix(at: nodes)
    let t = stride(from: -0.5, through: 10.3, by: 0.05).map { $0 }
    let direct = basis.matrix(at: t)
    let n = basis.count
    for j in 0..<n {
      let column = (0..<nodes.count).map { atNodes[$0 * n + j] }
      let interpolated = NotAKnotSpline(x: nodes, y: column).evaluate(t)
      for (r, v) in interpolated.enumerated() {
        #expect(abs(v - direct[r * n + j]) < 1e-12, "t = \(t[r]), function \(j)")
      }
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

  /// The least-squares line of noisy points equals the closed-form normal-equation solution
  /// (computed here in centred form, independently of the QR code); all x equal (rank-deficient:
  /// the SVD fallback) gives the mean as the constant and no slope.
  @Test func polynomialFitMatchesClosedFormLineAndHandlesEqualAbscissae() {
    var state: UInt64 = 12345
    func noise() -> Double {
      state = state &* 6364136223846793005 &+ 1442695040888963407
      return Double(state >> 11) / Double(1 << 53) - 0.5
    }
    let x = stride(from: 8800.0, through: 9000, by: 2.5).map { $0 }
    let y = x.map { 1.7 - 4e-5 * ($0 - 8900) + 0.01 * noise() }
    let mx = x.reduce(0, +) / Double(x.count), my = y.reduce(0, +) / Double(y.count)
    let sxy = zip(x, y).reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) }
    let sxx = x.reduce(0) { $0 + ($1 - mx) * ($1 - mx) }
    let slope = sxy / sxx, intercept = my - slope * mx
    let c = polynomialFit(x: x, y: y, degree: 1)
    #expect(abs(c[1] - slope) < 1e-12 * abs(slope) + 1e-15)
    for xv in [8800.0, 8900, 9000] {
      #expect(abs(polynomialValue(c, xv) - (intercept + slope * xv)) < 1e-11)
    }
    let flat = polynomialFit(x: [5, 5, 5], y: [1, 2, 3], degree: 1)
    #expect(abs(flat[0] - 2) < 1e-12 && abs(flat[1]) < 1e-12)
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
