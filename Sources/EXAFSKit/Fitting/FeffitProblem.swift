// The least-squares problem of a path fit: parameters from the varied ones, path values, residuals, Jacobian.
import Foundation

/// The parameters of a model as a function of the varied ones.
struct ParameterSpace: Sendable {
  /// Names of the varied parameters (guesses used by some expression), in model (name) order.
  let variables: [String]
  /// Starting values of the variables.
  let start: [Double]
  /// Fixed values (value parameters, and guesses no expression uses).
  let fixed: [String: Double]
  /// Expression parameters in an order where each comes after what it uses.
  let exprs: [(String, FitExpression)]
  /// Guesses fixed because no expression uses them (Larch's fix_unused_variables).
  let unused: [String]

  init(model: FitModel) {
    var used = Set<String>()
    for p in model.parameters { if case .expr(let e, _) = p.kind { used.formUnion(e.names) } }
    for d in model.datasets { for p in d.paths { for e in p.values.values { used.formUnion(e.names) } } }
    var variables: [String] = [], start: [Double] = [], fixed: [String: Double] = [:], unused: [String] = []
    var exprMap: [String: FitExpression] = [:]
    for p in model.parameters {
      switch p.kind {
      case .guess(let v):
        if used.contains(p.name) {
          variables.append(p.name); start.append(v)
        } else {
          fixed[p.name] = v; unused.append(p.name)
        }
      case .value(let v): fixed[p.name] = v
      case .expr(let e, _): exprMap[p.name] = e
      }
    }
    var order: [(String, FitExpression)] = []
    var done = Set<String>()
    func visit(_ n: String) {
      guard let e = exprMap[n], !done.contains(n) else { return }
      done.insert(n)
      for d in e.names.sorted() { visit(d) }
      order.append((n, e))
    }
    for n in exprMap.keys.sorted() { visit(n) }
    self.variables = variables; self.start = start; self.fixed = fixed; self.exprs = order; self.unused = unused
  }

  /// Every parameter's value for the variables `x`.
  func values(_ x: [Double]) -> [String: Double] {
    var v = fixed
    for (i, n) in variables.enumerated() { v[n] = x[i] }
    for (n, e) in exprs { v[n] = e.evaluate { v[$0] ?? .nan } }
    return v
  }
}

extension PathModel {
  /// The path parameters for parameter values `v` (path constants reff, degen, nleg added).
  func parameters(_ v: [String: Double]) -> PathParameters {
    let f = path.file
    func lookup(_ n: String) -> Double {
      switch n {
      case "reff": return f.reff
      case "degen": return f.degen
      case "nleg": return Double(f.nleg)
      default: return v[n] ?? .nan
      }
    }
    func value(_ key: String) -> Double { values[key].map { $0.evaluate(lookup) } ?? FitModel.pathKeys[key] ?? 0 }
    return PathParameters(
      s02: value("s02"), e0: value("e0"), deltar: value("deltar"), sigma2: value("sigma2"), third: value("third"),
      fourth: value("fourth"), ei: value("ei"), degen: values["degen"].map { $0.evaluate(lookup) })
  }
}

/// The least-squares problem of a fit: residuals over all datasets, central-difference Jacobian.
final class FeffitProblem: LeastSquaresModel {
  let space: ParameterSpace
  let datasets: [PreparedDataset]
  let paths: [[PathModel]]
  let residualCount: Int

  init(space: ParameterSpace, datasets: [PreparedDataset], paths: [[PathModel]]) {
    self.space = space
    self.datasets = datasets
    self.paths = paths
    residualCount = datasets.reduce(0) { $0 + $1.residualCount }
  }

  /// Sum of the paths' chi(k) of dataset `d` on its grid.
  func modelChi(_ d: Int, values v: [String: Double]) -> [Double] {
    var total = [Double](repeating: 0, count: datasets[d].k.count)
    for p in paths[d] {
      let chi = p.path.chi(k: datasets[d].k, parameters: p.parameters(v)).chi
      for i in 0..<total.count { total[i] += chi[i] }
    }
    return total
  }

  func residualVector(_ x: [Double], dataOnly: Bool = false) -> [Double] {
    let v = space.values(x)
    var out: [Double] = []
    out.reserveCapacity(residualCount)
    for d in datasets.indices {
      datasets[d].residual(model: dataOnly ? nil : modelChi(d, values: v), into: &out)
    }
    return out
  }

  func residuals(_ p: UnsafeBufferPointer<Double>, into r: UnsafeMutableBufferPointer<Double>) {
    let out = residualVector(Array(p))
    for i in 0..<r.count { r[i] = out[i] }
  }

  /// Steps of the finite differences: 1e-5 |x| (MINPACK's sqrt(epsfcn) with Larch's epsfcn = 1e-10),
  /// 1e-5 where x = 0.
  func steps(_ x: [Double]) -> [Double] { x.map { $0 == 0 ? 1e-5 : 1e-5 * abs($0) } }

  /// Jacobian (row-major, residualCount x n) by central differences.
  func jacobianMatrix(_ x: [Double]) -> [Double] {
    let n = x.count, m = residualCount
    var jac = [Double](repeating: 0, count: m * n)
    let h = steps(x)
    for j in 0..<n {
      var xp = x, xm = x
      xp[j] += h[j]; xm[j] -= h[j]
      let rp = residualVector(xp), rm = residualVector(xm)
      for i in 0..<m { jac[i * n + j] = (rp[i] - rm[i]) / (2 * h[j]) }
    }
    return jac
  }

  func jacobian(_ p: UnsafeBufferPointer<Double>, into j: UnsafeMutableBufferPointer<Double>) {
    let jac = jacobianMatrix(Array(p))
    for i in 0..<j.count { j[i] = jac[i] }
  }
}
