// Linear least squares by singular value decomposition (GSL), with the parameter covariance.
import CGSL

/// Solution of min |A c - b|^2 for a tall design matrix A given by columns.
struct LinearLeastSquaresSolution: Sendable {
  /// Best coefficients c.
  var coefficients: [Double]
  /// (A^T A)^-1, the unscaled covariance (multiply by chi-square / (n - p) for lmfit's scaled one).
  var unscaledCovariance: [[Double]]
  /// |A c - b|^2 at the solution.
  var chiSquare: Double
}

/// Solves min |A c - b|^2 with GSL's one-sided Jacobi SVD, A = U S V^T, so that c = V S^-1 U^T b and
/// (A^T A)^-1 = V S^-2 V^T (accurate to about machine precision times the condition number of A,
/// not its square as the normal equations would be).
/// - Parameters:
///   - columns: the p columns of A, each `b.count` long.
///   - b: the target.
/// - Throws: `.numerical` when A is rank deficient (a singular value below 1e-12 of the largest):
///   two standards that are the same spectrum, or a column of zeros.
func solveLinearLeastSquares(columns: [[Double]], b: [Double]) throws -> LinearLeastSquaresSolution {
  _ = gslErrorHandlerOff
  let n = b.count
  let p = columns.count
  guard p > 0, n >= p, columns.allSatisfy({ $0.count == n }) else {
    throw EXAFSError.numerical("least squares with \(p) unknowns needs at least \(p) points, got \(n)")
  }
  let a = gsl_matrix_alloc(n, p)!
  let v = gsl_matrix_alloc(p, p)!
  let s = gsl_vector_alloc(p)!
  defer { gsl_matrix_free(a); gsl_matrix_free(v); gsl_vector_free(s) }
  for j in 0..<p {
    for i in 0..<n { gsl_matrix_set(a, i, j, columns[j][i]) }
  }
  guard gsl_linalg_SV_decomp_jacobi(a, v, s) == GSL_SUCCESS else {
    throw EXAFSError.numerical("the singular value decomposition of the design matrix failed")
  }
  let sigma = (0..<p).map { gsl_vector_get(s, $0) }
  let largest = sigma.max() ?? 0
  guard largest > 0, sigma.allSatisfy({ $0 > 1e-12 * largest && $0.isFinite }) else {
    throw EXAFSError.numerical(
      "the standards are linearly dependent (singular values \(sigma.map { fmt($0) }.joined(separator: ", ")))")
  }
  // u^T b, where a now holds U.
  var utb = [Double](repeating: 0, count: p)
  for j in 0..<p {
    var sum = 0.0
    for i in 0..<n { sum += gsl_matrix_get(a, i, j) * b[i] }
    utb[j] = sum / sigma[j]
  }
  var c = [Double](repeating: 0, count: p)
  var cov = [[Double]](repeating: [Double](repeating: 0, count: p), count: p)
  for r in 0..<p {
    for k in 0..<p {
      let vrk = gsl_matrix_get(v, r, k)
      c[r] += vrk * utb[k]
      for q in 0..<p { cov[r][q] += vrk * gsl_matrix_get(v, q, k) / (sigma[k] * sigma[k]) }
    }
  }
  var chi2 = 0.0
  for i in 0..<n {
    var r = -b[i]
    for j in 0..<p { r += columns[j][i] * c[j] }
    chi2 += r * r
  }
  return LinearLeastSquaresSolution(coefficients: c, unscaledCovariance: cov, chiSquare: chi2)
}
