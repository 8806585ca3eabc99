// Fitting FEFF paths to chi(k) data (Larch's feffit): residual, GSL Levenberg-Marquardt, statistics.
import Foundation

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
  let chiSquare = chi2raw * nIdp / Double(resid.count)
  guard let errors = FitUncertainties(problem: problem, x: x, errorScale: chi2raw / (nIdp - Double(nvar))) else {
    throw EXAFSError.numerical("\(model.source): the fit's normal matrix is singular (a parameter has no effect on the fit)")
  }
  let logl = nIdp * log(chiSquare / nIdp)
  let stats = FitStatistics(
    chiSquare: chiSquare, reducedChiSquare: chiSquare / (nIdp - Double(nvar)),
    rFactor: chi2raw / dataOnly.reduce(0) { $0 + $1 * $1 }, nIndependent: nIdp, nVariables: nvar,
    nDataPoints: resid.count, epsilonK: prepared.map { $0.epsilonK[0] }, epsilonR: prepared.map { $0.epsilonR[0] },
    aic: logl + 2 * Double(nvar), bic: logl + log(nIdp) * Double(nvar), iterations: fit.iterations,
    converged: fit.converged)
  var warnings: [String] = []
  if !space.unused.isEmpty {
    warnings.append("guess parameters used by no expression were fixed: \(space.unused.joined(separator: ", "))")
  }
  if !fit.converged { warnings.append("the fit stopped at its iteration limit (\(fit.iterations) iterations)") }
  return FitResult(
    parameters: fittedParameters(model: model, space: space, errors: errors), statistics: stats,
    correlations: errors.correlations(names: space.variables, above: 0.8),
    datasets: fittedDatasets(problem: problem, model: model, errors: errors), warnings: warnings)
}

/// Covariance at the best fit and the uncertainties derived from it.
struct FitUncertainties {
  /// Best-fit variables.
  let x: [Double]
  /// (J^T J)^-1 (unscaled) and the scaled covariance errorScale (J^T J)^-1, row-major.
  let covariance: [Double]
  let scaled: [Double]
  /// One-sigma uncertainties of the variables.
  let sigma: [Double]

  init?(problem: FeffitProblem, x: [Double], errorScale: Double) {
    let n = x.count
    guard let cov = invertNormalMatrix(problem.jacobianMatrix(x), rows: problem.residualCount, cols: n) else { return nil }
    self.x = x
    covariance = cov
    scaled = cov.map { $0 * errorScale }
    sigma = (0..<n).map { max(cov[$0 * n + $0] * errorScale, 0).squareRoot() }
  }

  /// sqrt(g^T C_s g) for a function of the variables, g by central differences (steps 1e-3 sigma).
  func propagate(_ f: ([Double]) -> Double) -> Double {
    let n = x.count
    var g = [Double](repeating: 0, count: n)
    for j in 0..<n {
      let h = sigma[j] > 0 ? 1e-3 * sigma[j] : 1e-8
      var xp = x, xm = x
      xp[j] += h
      xm[j] -= h
      g[j] = (f(xp) - f(xm)) / (2 * h)
    }
    var s = 0.0
    for i in 0..<n { for j in 0..<n { s += g[i] * scaled[i * n + j] * g[j] } }
    return max(s, 0).squareRoot()
  }

  /// Variable pairs with |C_ij / sqrt(C_ii C_jj)| above `limit`, largest first.
  func correlations(names: [String], above limit: Double) -> [FitCorrelation] {
    let n = x.count
    var out: [FitCorrelation] = []
    for i in 0..<n {
      for j in (i + 1)..<max(i + 1, n) {
        let c = covariance[i * n + j] / (covariance[i * n + i] * covariance[j * n + j]).squareRoot()
        if abs(c) > limit { out.append(FitCorrelation(first: names[i], second: names[j], value: c)) }
      }
    }
    return out.sorted { abs($0.value) > abs($1.value) }
  }
}

/// Every guess (varied or fixed as unused) and expr parameter with its value and uncertainty.
private func fittedParameters(model: FitModel, space: ParameterSpace, errors: FitUncertainties)
  -> [String: FittedParameter]
{
  let best = space.values(errors.x)
  var out: [String: FittedParameter] = [:]
  for (i, n) in space.variables.enumerated() {
    out[n] = FittedParameter(value: errors.x[i], uncertainty: errors.sigma[i], initial: space.start[i], expr: nil)
  }
  for n in space.unused { out[n] = FittedParameter(value: best[n] ?? 0, uncertainty: 0, initial: best[n], expr: nil) }
  for p in model.parameters {
    guard case .expr(_, let text) = p.kind else { continue }
    out[p.name] = FittedParameter(
      value: best[p.name] ?? .nan, uncertainty: errors.propagate { space.values($0)[p.name] ?? .nan }, initial: nil,
      expr: text)
  }
  return out
}

/// Arrays and evaluated paths of every dataset at the best fit.
private func fittedDatasets(problem: FeffitProblem, model: FitModel, errors: FitUncertainties) -> [FittedDataset] {
  let space = problem.space
  let best = space.values(errors.x)
  return problem.datasets.enumerated().map { d, ds in
    var pathChi: [[Double]] = []
    var paths: [FittedPath] = []
    for p in model.datasets[d].paths {
      let pp = p.parameters(best)
      pathChi.append(p.path.chi(k: ds.k, parameters: pp).chi)
      let f = p.path.file
      paths.append(
        FittedPath(
          dataset: ds.name, feff: p.feff, label: f.label, reff: f.reff, degen: pp.degen ?? f.degen, nleg: f.nleg,
          s02: pp.s02, e0: pp.e0, deltar: pp.deltar, sigma2: pp.sigma2, third: pp.third, fourth: pp.fourth, ei: pp.ei,
          r: f.reff + pp.deltar, rUncertainty: errors.propagate { p.parameters(space.values($0)).deltar },
          sigma2Uncertainty: errors.propagate { p.parameters(space.values($0)).sigma2 }))
    }
    return FittedDataset(
      name: ds.name, source: ds.source, transform: ds.transform, k: ds.k, data: ds.chi,
      model: problem.modelChi(d, values: best), pathChi: pathChi, paths: paths, epsilonK: ds.epsilonK,
      epsilonR: ds.epsilonR, nIndependent: ds.nIndependent)
  }
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
