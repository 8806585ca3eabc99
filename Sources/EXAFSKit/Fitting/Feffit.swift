// Fitting FEFF paths to chi(k) data (Larch's feffit): residual, GSL Levenberg-Marquardt, statistics.
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

/// Value, uncertainty and starting value of one fitted or derived parameter.
public struct FittedParameter: Sendable, Codable, Equatable {
  public var value: Double
  /// One-sigma uncertainty, Larch's definition (see `feffit`); 0 for fixed values.
  public var uncertainty: Double
  /// Starting value (guesses) or nil (expressions).
  public var initial: Double?
  /// The defining expression (expr parameters).
  public var expr: String?
}

/// Statistics of a fit, as Larch's feffit defines them.
public struct FitStatistics: Sendable, Codable, Equatable {
  public var chiSquare: Double
  public var reducedChiSquare: Double
  public var rFactor: Double
  public var nIndependent: Double
  public var nVariables: Int
  public var nDataPoints: Int
  /// Noise of chi(k) and chi(R) of each dataset (first k-weight).
  public var epsilonK: [Double]
  public var epsilonR: [Double]
  public var aic: Double
  public var bic: Double
  public var iterations: Int
  public var converged: Bool

  enum CodingKeys: String, CodingKey {
    case chiSquare = "chi_square", reducedChiSquare = "reduced_chi_square", rFactor = "r_factor"
    case nIndependent = "n_independent", nVariables = "n_variables", nDataPoints = "n_data_points"
    case epsilonK = "epsilon_k", epsilonR = "epsilon_r", aic, bic, iterations, converged
  }
}

/// A pair of variables whose correlation exceeds the reporting limit.
public struct FitCorrelation: Sendable, Codable, Equatable {
  public var first: String
  public var second: String
  public var value: Double
}

/// A path's evaluated parameters after the fit.
public struct FittedPath: Sendable, Codable, Equatable {
  /// Name of the dataset the path belongs to.
  public var dataset: String
  public var feff: String
  public var label: String
  public var reff: Double
  public var degen: Double
  public var nleg: Int
  public var s02: Double
  public var e0: Double
  public var deltar: Double
  public var sigma2: Double
  public var third: Double
  public var fourth: Double
  public var ei: Double
  /// reff + deltar, Å, and its uncertainty.
  public var r: Double
  public var rUncertainty: Double
  public var sigma2Uncertainty: Double

  enum CodingKeys: String, CodingKey {
    case dataset, feff, label, reff, degen, nleg, s02, e0, deltar, sigma2, third, fourth, ei, r
    case rUncertainty = "r_uncertainty", sigma2Uncertainty = "sigma2_uncertainty"
  }
}

/// The arrays of one fitted dataset (for NAME.fit.chik / .chir and plots).
public struct FittedDataset: Sendable {
  public var name: String
  public var source: String
  public var transform: FitTransformParameters
  public var k: [Double]
  public var data: [Double]
  public var model: [Double]
  /// chi(k) of each path at the best fit.
  public var pathChi: [[Double]]
  public var paths: [FittedPath]
  public var epsilonK: [Double]
  public var epsilonR: [Double]
  public var nIndependent: Double
}

/// Everything a fit produces.
public struct FitResult: Sendable {
  /// Every guess and expr parameter, by name.
  public var parameters: [String: FittedParameter]
  public var statistics: FitStatistics
  /// Variable pairs with |correlation| > 0.8, largest first.
  public var correlations: [FitCorrelation]
  public var datasets: [FittedDataset]
  /// Things to check (unused guesses fixed, fit stopped at the iteration limit).
  public var warnings: [String]
}

/// chi(k) data of one dataset: name, file, k (1/Å, increasing) and chi.
public struct FitData: Sendable {
  public var name: String
  public var source: String
  public var k: [Double]
  public var chi: [Double]

  public init(name: String, source: String, k: [Double], chi: [Double]) {
    self.name = name; self.source = source; self.k = k; self.chi = chi
  }
}

/// Fits the model's paths to the data (one `FitData` per dataset of the model), as Larch's `feffit`:
/// residual as in `PreparedDataset.residual`, minimized by GSL's trust-region Levenberg-Marquardt.
///
/// Statistics (Larch feffit.py): with N the number of residual values, chi2_raw their sum of squares
/// and N_idp the sum over datasets of 1 + 2 (rmax - rmin)(kmax - kmin)/pi,
/// chi_square = chi2_raw N_idp / N; reduced_chi_square = chi_square / (N_idp - N_var);
/// r_factor = chi2_raw / sum(data-only residual^2); uncertainties
/// sigma_i = sqrt(C_ii chi2_raw / (N_idp - N_var)) with C = (J^T J)^-1 at the best fit (equal to
/// Larch's lmfit stderr scaled by redchi N_free / (N_idp - N_var)); expressions get
/// sqrt(g^T C_s g) with g their gradient.
/// - Throws: `.invalidParameter` when there are more variables than independent points, or nothing
///   varies; `.unusableData` when a fit range is outside its data.
public func feffit(model: FitModel, data: [FitData]) throws -> FitResult {
  guard data.count == model.datasets.count else {
    throw EXAFSError.invalidParameter(
      "datasets", "\(model.source): the model has \(model.datasets.count) dataset(s) but \(data.count) data file(s) were given")
  }
  var prepared: [PreparedDataset] = []
  for (d, m) in zip(data, model.datasets) {
    prepared.append(
      try PreparedDataset(entry: m.entry, name: d.name, source: d.source, k: d.k, chi: d.chi, transform: m.transform))
  }
  let space = ParameterSpace(model: model)
  let nIdp = prepared.reduce(0) { $0 + $1.nIndependent }
  let nvar = space.variables.count
  guard nvar > 0 else {
    throw EXAFSError.invalidParameter("parameters", "\(model.source): no parameter is varied (no used guess)")
  }
  guard Double(nvar) < nIdp else {
    throw EXAFSError.invalidParameter(
      "parameters",
      "\(model.source): \(nvar) variables but only \(String(format: "%.2f", nIdp)) independent points; fix some parameters or widen the k or R range")
  }
  let problem = FeffitProblem(space: space, datasets: prepared, paths: model.datasets.map(\.paths))
  let fit = try leastSquaresFit(problem, start: space.start, xtol: 1e-10, gtol: 1e-10, ftol: 1e-12, maxIterations: 500)
  let x = fit.parameters
  let resid = problem.residualVector(x)
  let dataOnly = problem.residualVector(x, dataOnly: true)
  let chi2raw = resid.reduce(0) { $0 + $1 * $1 }
  let npts = Double(resid.count)
  let chiSquare = chi2raw * nIdp / npts
  let redchi = chiSquare / (nIdp - Double(nvar))
  let rfactor = chi2raw / dataOnly.reduce(0) { $0 + $1 * $1 }
  let errScale = chi2raw / (nIdp - Double(nvar))
  let jac = problem.jacobianMatrix(x)
  guard let cov = invertNormalMatrix(jac, rows: resid.count, cols: nvar) else {
    throw EXAFSError.numerical("\(model.source): the fit's normal matrix is singular (a parameter has no effect on the fit)")
  }
  let scaled = cov.map { $0 * errScale }
  let sigma = (0..<nvar).map { max(scaled[$0 * nvar + $0], 0).squareRoot() }
  func uncertainty(_ f: ([Double]) -> Double) -> Double {
    var g = [Double](repeating: 0, count: nvar)
    for j in 0..<nvar {
      let h = sigma[j] > 0 ? 1e-3 * sigma[j] : 1e-8
      var xp = x, xm = x
      xp[j] += h; xm[j] -= h
      g[j] = (f(xp) - f(xm)) / (2 * h)
    }
    var s = 0.0
    for i in 0..<nvar { for j in 0..<nvar { s += g[i] * scaled[i * nvar + j] * g[j] } }
    return max(s, 0).squareRoot()
  }
  let best = space.values(x)
  var parameters: [String: FittedParameter] = [:]
  for (i, n) in space.variables.enumerated() {
    parameters[n] = FittedParameter(value: x[i], uncertainty: sigma[i], initial: space.start[i], expr: nil)
  }
  for n in space.unused { parameters[n] = FittedParameter(value: best[n] ?? 0, uncertainty: 0, initial: best[n], expr: nil) }
  for p in model.parameters {
    guard case .expr(_, let text) = p.kind else { continue }
    parameters[p.name] = FittedParameter(
      value: best[p.name] ?? .nan, uncertainty: uncertainty { space.values($0)[p.name] ?? .nan }, initial: nil, expr: text)
  }
  var correlations: [FitCorrelation] = []
  for i in 0..<nvar {
    for j in (i + 1)..<max(i + 1, nvar) {
      let c = cov[i * nvar + j] / (cov[i * nvar + i] * cov[j * nvar + j]).squareRoot()
      if abs(c) > 0.8 { correlations.append(FitCorrelation(first: space.variables[i], second: space.variables[j], value: c)) }
    }
  }
  correlations.sort { abs($0.value) > abs($1.value) }
  var fitted: [FittedDataset] = []
  for (d, ds) in prepared.enumerated() {
    let pathModels = model.datasets[d].paths
    var pathChi: [[Double]] = []
    var paths: [FittedPath] = []
    for p in pathModels {
      let pp = p.parameters(best)
      pathChi.append(p.path.chi(k: ds.k, parameters: pp).chi)
      let f = p.path.file
      let du = uncertainty { p.parameters(space.values($0)).deltar }
      let su = uncertainty { p.parameters(space.values($0)).sigma2 }
      paths.append(
        FittedPath(
          dataset: ds.name, feff: p.feff, label: f.label, reff: f.reff, degen: pp.degen ?? f.degen, nleg: f.nleg, s02: pp.s02, e0: pp.e0,
          deltar: pp.deltar, sigma2: pp.sigma2, third: pp.third, fourth: pp.fourth, ei: pp.ei, r: f.reff + pp.deltar,
          rUncertainty: du, sigma2Uncertainty: su))
    }
    fitted.append(
      FittedDataset(
        name: ds.name, source: ds.source, transform: ds.transform, k: ds.k, data: ds.chi,
        model: problem.modelChi(d, values: best), pathChi: pathChi, paths: paths, epsilonK: ds.epsilonK,
        epsilonR: ds.epsilonR, nIndependent: ds.nIndependent))
  }
  let logl = nIdp * log(chiSquare / nIdp)
  let stats = FitStatistics(
    chiSquare: chiSquare, reducedChiSquare: redchi, rFactor: rfactor, nIndependent: nIdp, nVariables: nvar,
    nDataPoints: resid.count, epsilonK: prepared.map { $0.epsilonK[0] }, epsilonR: prepared.map { $0.epsilonR[0] },
    aic: logl + 2 * Double(nvar), bic: logl + log(nIdp) * Double(nvar), iterations: fit.iterations,
    converged: fit.converged)
  var warnings: [String] = []
  if !space.unused.isEmpty {
    warnings.append("guess parameters used by no expression were fixed: \(space.unused.joined(separator: ", "))")
  }
  if !fit.converged { warnings.append("the fit stopped at its iteration limit (\(fit.iterations) iterations)") }
  return FitResult(
    parameters: parameters, statistics: stats, correlations: correlations, datasets: fitted, warnings: warnings)
}

/// (J^T J)^-1 for a row-major rows x cols Jacobian, by Gauss-Jordan elimination with partial
/// pivoting; nil when singular.
func invertNormalMatrix(_ jac: [Double], rows: Int, cols n: Int) -> [Double]? {
  var a = [Double](repeating: 0, count: n * n)
  for i in 0..<n {
    for j in 0..<n {
      var s = 0.0
      for r in 0..<rows { s += jac[r * n + i] * jac[r * n + j] }
      a[i * n + j] = s
    }
  }
  var inv = [Double](repeating: 0, count: n * n)
  for i in 0..<n { inv[i * n + i] = 1 }
  for c in 0..<n {
    var piv = c
    for r in c..<n where abs(a[r * n + c]) > abs(a[piv * n + c]) { piv = r }
    guard abs(a[piv * n + c]) > 1e-300 else { return nil }
    if piv != c {
      for j in 0..<n {
        a.swapAt(c * n + j, piv * n + j)
        inv.swapAt(c * n + j, piv * n + j)
      }
    }
    let d = a[c * n + c]
    for j in 0..<n { a[c * n + j] /= d; inv[c * n + j] /= d }
    for r in 0..<n where r != c {
      let f = a[r * n + c]
      if f == 0 { continue }
      for j in 0..<n { a[r * n + j] -= f * a[c * n + j]; inv[r * n + j] -= f * inv[c * n + j] }
    }
  }
  return inv
}
