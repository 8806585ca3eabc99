// The weights of a linear combination with some held fixed, and the exact minimum over bounds (e.g. 0 <= w <= 1).

/// A linear-combination problem in which the weights in `fixed` are held at their values and the
/// others are fitted; with sum-to-one the last free weight (the pivot) is 1 minus all the others.
struct WeightSubproblem {
  let standards: [[Double]]
  let sumToOne: Bool
  let fixed: [Int: Double]
  /// Fitted weights that are least-squares parameters (the free ones except the pivot).
  let varied: [Int]
  /// The free weight given by the sum constraint.
  let pivot: Int?
  /// Design columns of `varied`: s_j (or s_j - s_pivot with sum-to-one).
  let columns: [[Double]]
  /// The part of the model that does not depend on `varied`: fixed weights times their standards,
  /// plus (1 - their sum) s_pivot with sum-to-one.
  let offset: [Double]

  init(standards: [[Double]], sumToOne: Bool, fixed: [Int: Double]) {
    self.standards = standards
    self.sumToOne = sumToOne
    self.fixed = fixed
    let n = standards.first?.count ?? 0
    let free = standards.indices.filter { fixed[$0] == nil }
    pivot = sumToOne ? free.last : nil
    varied = sumToOne ? Array(free.dropLast()) : free
    var offset = [Double](repeating: 0, count: n)
    for (k, w) in fixed { for i in 0..<n { offset[i] += w * standards[k][i] } }
    if let p = pivot {
      let rest = 1 - fixed.values.reduce(0, +)
      for i in 0..<n { offset[i] += rest * standards[p][i] }
      columns = varied.map { j in zip(standards[j], standards[p]).map { $0 - $1 } }
    } else {
      columns = varied.map { standards[$0] }
    }
    self.offset = offset
  }

  /// Whether the constraint can hold at all (with sum-to-one and nothing free, the fixed weights must sum to 1).
  var isConsistent: Bool { !sumToOne || pivot != nil || abs(fixed.values.reduce(0, +) - 1) < 1e-12 }

  /// The least-squares solution for the target `b`.
  func solve(_ b: [Double]) throws -> WeightSolution {
    let target = zip(b, offset).map { $0 - $1 }
    var c: [Double] = []
    var cov: [[Double]] = []
    var chi2 = target.reduce(0) { $0 + $1 * $1 }
    if !columns.isEmpty {
      let s = try solveLinearLeastSquares(columns: columns, b: target)
      (c, cov, chi2) = (s.coefficients, s.unscaledCovariance, s.chiSquare)
    }
    var w = [Double](repeating: 0, count: standards.count)
    for (k, v) in fixed { w[k] = v }
    for (i, j) in varied.enumerated() { w[j] = c[i] }
    if let p = pivot { w[p] = 1 - fixed.values.reduce(0, +) - c.reduce(0, +) }
    return WeightSolution(problem: self, weights: w, chiSquare: chi2, unscaledCovariance: cov)
  }

  /// Standard errors of every weight from the covariance of the varied parameters (its first
  /// `varied.count` rows and columns), scaled by `scale`; the pivot's propagated, fixed ones 0.
  func uncertainties(covariance: [[Double]], scale: Double) -> [Double] {
    var e = [Double](repeating: 0, count: standards.count)
    for (i, j) in varied.enumerated() { e[j] = (max(0, covariance[i][i]) * scale).squareRoot() }
    if let p = pivot {
      var sum = 0.0
      for a in varied.indices { for b in varied.indices { sum += covariance[a][b] } }
      e[p] = (max(0, sum) * scale).squareRoot()
    }
    return e
  }
}

/// A solved subproblem.
struct WeightSolution {
  let problem: WeightSubproblem
  /// Every weight, in the order of the standards.
  let weights: [Double]
  let chiSquare: Double
  /// (A^T A)^-1 of the varied parameters.
  let unscaledCovariance: [[Double]]
}

/// The exact minimum of |sum_i w_i s_i - b|^2 over lower <= w_i <= upper (and sum w_i = 1 when
/// `sumToOne`): a convex quadratic problem, solved by trying the sets of weights held at a bound,
/// fewest first, until a solution is feasible and satisfies the Karush-Kuhn-Tucker conditions
/// (g_k = s_k . r, r the residual: for a weight at its lower bound g_k >= g_free, at its upper
/// bound g_k <= g_free, g_free = the common g of the free weights, or 0 without sum-to-one).
/// - Throws: `.numerical` when no candidate is feasible (bounds that cannot hold the sum).
func solveBoundedWeights(
  _ standards: [[Double]], target b: [Double], sumToOne: Bool, bounds: ClosedRange<Double>
) throws -> WeightSolution {
  let m = standards.count
  let tolerance = 1e-10 * max(1, abs(bounds.lowerBound), abs(bounds.upperBound))
  var best: WeightSolution?
  for held in 0...m {
    for subset in combinations(of: m, choose: held) + (held == 0 ? [[]] : []) {
      // Each held weight at its lower (bit 0) or upper (bit 1) bound.
      for pattern in 0..<(1 << held) {
        var fixed: [Int: Double] = [:]
        for (bit, k) in subset.enumerated() {
          fixed[k] = (pattern >> bit) & 1 == 0 ? bounds.lowerBound : bounds.upperBound
        }
        let problem = WeightSubproblem(standards: standards, sumToOne: sumToOne, fixed: fixed)
        guard problem.isConsistent, let solution = try? problem.solve(b) else { continue }
        let free = (0..<m).filter { fixed[$0] == nil }
        guard free.allSatisfy({ bounds.contains(solution.weights[$0]) || abs(solution.weights[$0] - bounds.clamp(solution.weights[$0])) < tolerance }) else { continue }
        if best == nil || solution.chiSquare < best!.chiSquare { best = solution }
        if satisfiesKKT(solution, standards: standards, target: b, fixed: fixed, bounds: bounds, sumToOne: sumToOne) {
          return solution
        }
      }
    }
  }
  guard let best else {
    throw EXAFSError.numerical("no weights within \(bounds) satisfy the constraints")
  }
  return best
}

/// Whether `solution` is the minimum over the bounds (KKT conditions of the convex problem).
private func satisfiesKKT(
  _ solution: WeightSolution, standards: [[Double]], target b: [Double], fixed: [Int: Double],
  bounds: ClosedRange<Double>, sumToOne: Bool
) -> Bool {
  let n = b.count
  var r = b.map { -$0 }
  for (k, s) in standards.enumerated() { for i in 0..<n { r[i] += solution.weights[k] * s[i] } }
  let g = standards.map { s in zip(s, r).reduce(0) { $0 + $1.0 * $1.1 } }
  let scale = g.map(abs).max() ?? 0
  let tol = 1e-8 * scale + 1e-14
  let free = standards.indices.filter { fixed[$0] == nil }
  if !sumToOne {
    return standards.indices.allSatisfy { k in
      guard let v = fixed[k] else { return true }
      return v == bounds.lowerBound ? g[k] >= -tol : g[k] <= tol
    }
  }
  if let j = free.first {
    let mu = g[j]
    return standards.indices.allSatisfy { k in
      guard let v = fixed[k] else { return true }
      return v == bounds.lowerBound ? g[k] >= mu - tol : g[k] <= mu + tol
    }
  }
  // Nothing free: some mu must separate the upper-held (g <= mu) from the lower-held (g >= mu).
  let upper = standards.indices.filter { fixed[$0] == bounds.upperBound }.map { g[$0] }.max() ?? -.infinity
  let lower = standards.indices.filter { fixed[$0] == bounds.lowerBound }.map { g[$0] }.min() ?? .infinity
  return upper <= lower + tol
}

extension ClosedRange where Bound == Double {
  /// `x` clamped into the range.
  func clamp(_ x: Double) -> Double { Swift.min(Swift.max(x, lowerBound), upperBound) }
}
