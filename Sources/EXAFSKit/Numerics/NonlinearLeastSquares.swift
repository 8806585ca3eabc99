// Nonlinear least squares through GSL's trust-region solver (Levenberg-Marquardt).
import CGSL

/// A residual model: given parameters, fill residuals and (optionally) the Jacobian.
public protocol LeastSquaresModel {
  /// Number of residuals.
  var residualCount: Int { get }
  /// Residuals r(p), written into `r` (`residualCount` values).
  func residuals(_ p: UnsafeBufferPointer<Double>, into r: UnsafeMutableBufferPointer<Double>)
  /// Jacobian dr_i/dp_j, row-major (`residualCount` x p.count).
  func jacobian(_ p: UnsafeBufferPointer<Double>, into j: UnsafeMutableBufferPointer<Double>)
}

/// Outcome of a least-squares fit.
package struct LeastSquaresResult: Sendable {
  /// Best-fit parameters.
  public var parameters: [Double]
  /// Sum of squared residuals at the best fit.
  public var chiSquare: Double
  /// Number of iterations taken.
  public var iterations: Int
  /// Whether GSL reported convergence (false: stopped at the iteration limit).
  public var converged: Bool
}

private final class ModelBox {
  let model: any LeastSquaresModel
  init(_ model: any LeastSquaresModel) { self.model = model }
}

/// Minimizes sum r_i(p)^2 from `start` with GSL's `gsl_multifit_nlinear` (trust region with
/// Levenberg-Marquardt steps), using the model's analytic Jacobian.
/// - Parameters:
///   - xtol, gtol, ftol: GSL convergence tolerances (relative step, gradient, residual change).
///   - maxIterations: iteration limit.
package func leastSquaresFit(
  _ model: any LeastSquaresModel, start: [Double], xtol: Double = 1e-10, gtol: Double = 1e-12,
  ftol: Double = 1e-12, maxIterations: Int = 200
) throws -> LeastSquaresResult {
  _ = gslErrorHandlerOff
  let n = model.residualCount
  let p = start.count
  guard n >= p, p > 0 else {
    throw EXAFSError.numerical("least-squares fit has \(p) parameters but only \(n) residuals")
  }
  let box = ModelBox(model)
  var fdf = gsl_multifit_nlinear_fdf()
  fdf.f = { x, params, f in
    guard let x, let params, let f else { return Int32(GSL_EINVAL) }
    let box = Unmanaged<ModelBox>.fromOpaque(params).takeUnretainedValue()
    let p = Int(x.pointee.size)
    let n = Int(f.pointee.size)
    let xp = UnsafeBufferPointer(start: x.pointee.data, count: p)
    let fp = UnsafeMutableBufferPointer(start: f.pointee.data, count: n)
    box.model.residuals(xp, into: fp)
    return fp.allSatisfy { $0.isFinite } ? Int32(GSL_SUCCESS) : Int32(GSL_EDOM)
  }
  fdf.df = { x, params, jac in
    guard let x, let params, let jac else { return Int32(GSL_EINVAL) }
    let box = Unmanaged<ModelBox>.fromOpaque(params).takeUnretainedValue()
    let p = Int(x.pointee.size)
    let n = Int(jac.pointee.size1)
    let xp = UnsafeBufferPointer(start: x.pointee.data, count: p)
    // GSL matrices are row-major with tda == size2 for freshly allocated ones.
    let jp = UnsafeMutableBufferPointer(start: jac.pointee.data, count: n * p)
    box.model.jacobian(xp, into: jp)
    return Int32(GSL_SUCCESS)
  }
  fdf.fvv = nil
  fdf.n = n
  fdf.p = p
  let unmanaged = Unmanaged.passRetained(box)
  defer { unmanaged.release() }
  fdf.params = unmanaged.toOpaque()

  var fparams = gsl_multifit_nlinear_default_parameters()
  fparams.trs = exafs_gsl_nlinear_trs_lm()
  guard let work = gsl_multifit_nlinear_alloc(exafs_gsl_nlinear_trust(), &fparams, n, p) else {
    throw EXAFSError.numerical("could not allocate the least-squares workspace")
  }
  defer { gsl_multifit_nlinear_free(work) }
  let x0 = gsl_vector_alloc(p)!
  defer { gsl_vector_free(x0) }
  for (i, v) in start.enumerated() { gsl_vector_set(x0, i, v) }
  var status = gsl_multifit_nlinear_init(x0, &fdf, work)
  guard status == GSL_SUCCESS else {
    throw EXAFSError.numerical("least-squares start point gives non-finite residuals")
  }
  var info: Int32 = 0
  status = gsl_multifit_nlinear_driver(maxIterations, xtol, gtol, ftol, nil, nil, &info, work)
  let xbest = gsl_multifit_nlinear_position(work)!
  let fbest = gsl_multifit_nlinear_residual(work)!
  let params = (0..<p).map { gsl_vector_get(xbest, $0) }
  var chisq = 0.0
  for i in 0..<n {
    let v = gsl_vector_get(fbest, i)
    chisq += v * v
  }
  guard params.allSatisfy({ $0.isFinite }) else {
    throw EXAFSError.numerical("least-squares fit diverged to non-finite parameters")
  }
  return LeastSquaresResult(
    parameters: params, chiSquare: chisq, iterations: Int(gsl_multifit_nlinear_niter(work)),
    converged: status == GSL_SUCCESS)
}
