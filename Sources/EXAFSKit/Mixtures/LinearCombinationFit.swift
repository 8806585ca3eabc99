// Linear-combination fitting of a spectrum by standards, as Larch's lincombo_fit.
import Foundation

/// Parameters of a linear-combination fit (Larch's `lincombo_fit` / `lincombo_fitall` arguments).
public struct LinearCombinationParameters: Sendable, Codable, Equatable {
  /// The quantity fitted (Larch's `arrayname`): norm, deriv (dmude) or chik.
  public var space: MixtureSpace = .norm
  /// Start of the fit range, absolute: eV for norm/deriv, 1/Å for chik (nil: first point).
  public var xmin: Double?
  /// End of the fit range, absolute: eV for norm/deriv, 1/Å for chik (nil: last point).
  public var xmax: Double?
  /// k-weight of chi(k) for `.chik` (Larch's `chi2` is kweight 2).
  public var kweight: Int = 2
  /// Constrain the weights to sum to 1 (Larch's `sum_to_one`, default true).
  public var sumToOne = true
  /// Fit an energy shift of the sample as well (Larch's `vary_e0`, default false).
  public var varyE0 = false
  /// Largest number of standards in a ranked combination (Larch's `max_ncomps`; nil: all).
  public var maxComponents: Int?
  /// Bounds on every weight (Larch's `minvals`/`maxvals`; Athena's "weights between 0 and 1" is
  /// 0...1); nil: unbounded (Larch's default).
  public var weightBounds: ClosedRange<Double>?
  public init() {}
}

/// The outcome of one linear-combination fit.
public struct LinearCombinationResult: Sendable, Equatable {
  /// Name of the fitted spectrum.
  public var sample: String
  /// Names of the standards, in the order of `weights`.
  public var standards: [String]
  /// Weight of each standard.
  public var weights: [Double]
  /// Standard error of each weight (lmfit's, scaled by the reduced chi-square; for the last weight
  /// of a sum-to-one fit, propagated from the others' covariance).
  public var uncertainties: [Double]
  /// Energy shift of the sample, eV: the standards at E are compared with the sample at
  /// E + e0Shift (Larch's `e0_shift`; 0 unless varied).
  public var e0Shift: Double
  /// Standard error of `e0Shift` (nil when it was not varied).
  public var e0ShiftUncertainty: Double?
  /// Sum of squared residuals.
  public var chiSquare: Double
  /// chiSquare / (pointCount - variableCount).
  public var reducedChiSquare: Double
  /// sum (data - fit)^2 / sum data^2.
  public var rFactor: Double
  /// Number of points in the fit range.
  public var pointCount: Int
  /// Number of varied parameters (weights, minus one with sum-to-one, plus one with e0Shift).
  public var variableCount: Int
  /// Abscissa of the fit range (eV or 1/Å).
  public var x: [Double]
  /// The sample's values on `x`.
  public var data: [Double]
  /// The best fit on `x` (moved back by e0Shift when it is varied, as Larch's yfit).
  public var fit: [Double]
  /// Each standard times its weight, on `x`.
  public var weightedStandards: [[Double]]

  /// Sum of the weights.
  public var weightSum: Double { weights.reduce(0, +) }
}

/// Fits the first row of `matrix` (the sample) by a linear combination of the other rows (the
/// standards), as Larch's `lincombo_fit`:
///
///     residual(x) = sum_i w_i std_i(x) - sample(x + e0_shift)
///
/// - Without `varyE0` the problem is linear and is solved exactly (SVD); with `sumToOne` the last
///   weight is 1 - (sum of the others) and the fit is over the others. Larch reaches the same
///   minimum with lmfit's Levenberg-Marquardt started at the unconstrained solution.
/// - With `bounds` (e.g. 0...1, Athena's "weights between 0 and 1") the weights are the exact
///   minimum over the box (and the sum constraint): the equality-constrained solutions for the sets
///   of weights held at a bound are tried, fewest held first, until one is feasible and satisfies
///   the Karush-Kuhn-Tucker conditions (a convex problem: that one is the global minimum). Held
///   weights get uncertainty 0. (Larch's lmfit with bounds can stop short of this minimum.)
/// - With `varyE0` the sample is interpolated (cubic, as Larch) at x + e0_shift; for each shift the
///   weights are the linear solution, and the shift minimizing chi-square is found by Brent's method
///   starting near 0 (Larch's lmfit starts at 0.01 eV).
/// - Uncertainties: sqrt of the diagonal of (J^T J)^-1 chi2 / (n - p), J the Jacobian of the
///   residual in the varied parameters (lmfit's scaled covariance); the last weight of a sum-to-one
///   fit gets sqrt(sum of all covariance elements of the others). p counts every weight (minus one
///   with sum-to-one, plus one with the shift), as lmfit counts bounded parameters.
/// - Throws: `.invalidParameter` for fewer standards than the constraint allows, fewer points
///   than parameters, or more than 10 standards with bounds; `.numerical` for linearly dependent standards.
public func fitLinearCombination(
  _ matrix: MixtureMatrix, sumToOne: Bool = true, varyE0: Bool = false, bounds: ClosedRange<Double>? = nil
) throws -> LinearCombinationResult {
  let data = matrix.rows[0]
  let standards = Array(matrix.rows.dropFirst())
  let m = standards.count
  let n = data.count
  guard m >= (sumToOne ? 2 : 1) else {
    throw EXAFSError.invalidParameter(
      "standards", sumToOne ? "a sum-to-one fit needs at least 2 standards, got \(m)" : "no standard given")
  }
  let variables = (sumToOne ? m - 1 : m) + (varyE0 ? 1 : 0)
  guard n > variables else {
    throw EXAFSError.invalidParameter(
      "fit range", "\(n) points cannot determine \(variables) parameters; widen the fit range")
  }
  if bounds != nil, m > 10 {
    throw EXAFSError.invalidParameter("bounds", "bounded fits take at most 10 standards, got \(m)")
  }
  func solve(_ b: [Double]) throws -> WeightSolution {
    if let bounds { return try solveBoundedWeights(standards, target: b, sumToOne: sumToOne, bounds: bounds) }
    return try WeightSubproblem(standards: standards, sumToOne: sumToOne, fixed: [:]).solve(b)
  }

  var shift = 0.0
  var solution: WeightSolution
  var jacobian: [[Double]]
  if varyE0 {
    let spline = NotAKnotSpline(x: matrix.x, y: data)
    let head = n > 5 ? NotAKnotSpline(x: Array(matrix.x[0..<5]), y: Array(data[0..<5])) : spline
    let tail = n > 5 ? NotAKnotSpline(x: Array(matrix.x[(n - 5)...]), y: Array(data[(n - 5)...])) : spline
    let (x0, x1) = (matrix.x[0], matrix.x[n - 1])
    func shifted(_ s: Double) -> [Double] {
      matrix.x.map { t in
        let u = t + s
        return u < x0 ? head(u) : (u > x1 ? tail(u) : spline(u))
      }
    }
    let span = (x1 - x0) / 4
    shift = minimizeNearZero(
      { (try? solve(shifted($0)).chiSquare) ?? .infinity }, step: max(0.1, (x1 - x0) / Double(4 * n)), limit: span)
    solution = try solve(shifted(shift))
    // d residual / d shift = -d sample(x + s)/ds, by a central difference of the spline.
    let h = 1e-4
    let up = shifted(shift + h), down = shifted(shift - h)
    jacobian = solution.problem.columns + [zip(up, down).map { -($0 - $1) / (2 * h) }]
  } else {
    solution = try solve(data)
    jacobian = solution.problem.columns
  }
  let chiSquare = solution.chiSquare
  let scale = chiSquare / Double(n - variables)
  let covariance =
    varyE0
    ? try solveLinearLeastSquares(columns: jacobian, b: [Double](repeating: 0, count: n)).unscaledCovariance
    : solution.unscaledCovariance
  let weights = solution.weights
  let errors = solution.problem.uncertainties(covariance: covariance, scale: scale)
  var fit = [Double](repeating: 0, count: n)
  let weighted = (0..<m).map { i in standards[i].map { $0 * weights[i] } }
  for w in weighted { for i in 0..<n { fit[i] += w[i] } }
  if varyE0 { fit = cubicInterpolate(x: matrix.x.map { $0 + shift }, y: fit, at: matrix.x) }
  var rNum = 0.0, rDen = 0.0
  for i in 0..<n {
    rNum += (data[i] - fit[i]) * (data[i] - fit[i])
    rDen += data[i] * data[i]
  }
  let shiftIndex = solution.problem.columns.count
  return LinearCombinationResult(
    sample: matrix.names[0], standards: Array(matrix.names.dropFirst()), weights: weights, uncertainties: errors,
    e0Shift: shift, e0ShiftUncertainty: varyE0 ? (covariance[shiftIndex][shiftIndex] * scale).squareRoot() : nil,
    chiSquare: chiSquare, reducedChiSquare: scale, rFactor: rDen > 0 ? rNum / rDen : .nan, pointCount: n,
    variableCount: variables, x: matrix.x, data: data, fit: fit, weightedStandards: weighted)
}

/// The local minimum of `f` nearest 0: a bracket grown from 0 in steps of `step` (times 1.6 each),
/// then Brent's parabolic/golden-section search to 1e-9 absolute. Stays within +-`limit`.
func minimizeNearZero(_ f: (Double) -> Double, step: Double, limit: Double) -> Double {
  // Bracket a < b < c with f(b) <= f(a), f(c).
  var a = -step, b = 0.0, c = step
  var fa = f(a), fb = f(b), fc = f(c)
  var h = step
  while !(fb <= fa && fb <= fc) {
    h *= 1.6
    if fa < fc {
      (c, fc) = (b, fb); (b, fb) = (a, fa)
      a = b - h
      if a < -limit { return b }
      fa = f(a)
    } else {
      (a, fa) = (b, fb); (b, fb) = (c, fc)
      c = b + h
      if c > limit { return b }
      fc = f(c)
    }
  }
  // Brent's method on [a, c] from b (Brent 1973, ch. 5).
  let golden = 0.3819660112501051
  var x = b, w = b, v = b
  var fx = fb, fw = fb, fv = fb
  var d = 0.0, e = 0.0
  for _ in 0..<200 {
    let mid = 0.5 * (a + c)
    let tol1 = 1e-9
    if abs(x - mid) <= 2 * tol1 - 0.5 * (c - a) { break }
    var useGolden = true
    if abs(e) > tol1 {
      let r = (x - w) * (fx - fv)
      var q = (x - v) * (fx - fw)
      var p = (x - v) * q - (x - w) * r
      q = 2 * (q - r)
      if q > 0 { p = -p } else { q = -q }
      if abs(p) < abs(0.5 * q * e), p > q * (a - x), p < q * (c - x) {
        e = d
        d = p / q
        useGolden = false
        if (x + d) - a < 2 * tol1 || c - (x + d) < 2 * tol1 { d = x < mid ? tol1 : -tol1 }
      }
    }
    if useGolden {
      e = (x < mid ? c : a) - x
      d = golden * e
    }
    let u = abs(d) >= tol1 ? x + d : x + (d > 0 ? tol1 : -tol1)
    let fu = f(u)
    if fu <= fx {
      if u < x { c = x } else { a = x }
      (v, fv) = (w, fw); (w, fw) = (x, fx); (x, fx) = (u, fu)
    } else {
      if u < x { a = u } else { c = u }
      if fu <= fw || w == x {
        (v, fv) = (w, fw); (w, fw) = (u, fu)
      } else if fu <= fv || v == x || v == w {
        (v, fv) = (u, fu)
      }
    }
  }
  return x
}
