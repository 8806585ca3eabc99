// Principal component analysis of a set of spectra, as Larch's pca_train, with IND and Malinowski's F-test.
import Foundation

/// A trained principal component model (Larch's `pca_train` result).
public struct PrincipalComponentModel: Sendable, Equatable {
  /// Names of the spectra, in the order of `data`.
  public var names: [String]
  /// The space of the spectra.
  public var space: MixtureSpace
  /// Fit range limits given (absolute, eV or 1/Å), kept for target transformations.
  public var xmin: Double?
  public var xmax: Double?
  /// Common abscissa: the first spectrum's points in [xmin, xmax].
  public var x: [Double]
  /// The spectra on `x`, one row each.
  public var data: [[Double]]
  /// Mean spectrum (average of the rows).
  public var mean: [Double]
  /// Components, most important first, each `x.count` long (not unit length: Larch's scaling).
  public var components: [[Double]]
  /// Eigenvalues of the correlation matrix, largest first.
  public var eigenvalues: [Double]
  /// eigenvalue / sum of eigenvalues.
  public var variances: [Double]
  /// Malinowski's indicator function as Larch computes it; `ind[n]` belongs to n components
  /// (n = 1 ... count-1), `ind[0]` repeats `ind[1]`.
  public var ind: [Double]
  /// Number of components where IND is smallest (Larch's `nsig`).
  public var indComponents: Int
  /// Malinowski's F-test, one entry per factor 1 ... (number of non-zero eigenvalues - 1).
  public var fTest: [FTestResult]

  /// Number of factors by the F-test at `level`: the last factor whose significance is below
  /// `level` (Malinowski tests from the smallest eigenvalue up; every factor above the first
  /// significant one is kept). At least 1.
  public func fTestComponents(level: Double = 0.05) -> Int {
    max(1, fTest.last { $0.significance < level }?.factor ?? 1)
  }
}

/// One factor of Malinowski's F-test (J. Chemometrics 3 (1988) 49).
public struct FTestResult: Sendable, Codable, Equatable {
  /// Factor number, 1-based.
  public var factor: Int
  /// F(1, s - factor) of the factor's reduced eigenvalue against the remaining ones.
  public var f: Double
  /// Probability of an F this large from noise alone (the factor is significant when small).
  public var significance: Double
}

/// Trains a principal component model on the rows of `matrix`, as Larch's `pca_train`:
///
/// 1. Y (spectra x points); subtract the mean spectrum; centre each spectrum on its own mean over
///    the points and divide it by its standard deviation (population), giving Z (points x spectra).
/// 2. Eigen-decompose C = Z^T Z / s (s spectra; cyclic Jacobi, exact to rounding).
/// 3. Component j = -Z v_j / s for eigenvector v_j, ordered by decreasing eigenvalue. The sign of an
///    eigenvector is arbitrary (LAPACK's choice in Larch): components are compared up to sign.
/// 4. IND(r) = sqrt(p * sum_{i>=r} lambda_i / (s - r - 1)) / (s - r - 1)^2 (p points), Larch's
///    indexing; the number of components is the index of its minimum.
/// 5. Malinowski's F-test on the s - 1 non-zero eigenvalues (the mean removal makes the last zero):
///    F(1, s' - j) = [sum_{i>j} w_i / w_j] lambda_j / sum_{i>j} lambda_i, w_i = (p - i + 1)(s - i + 1).
/// - Throws: `.invalidParameter` for fewer than 3 spectra; `.unusableData` for a flat spectrum.
public func trainPrincipalComponents(_ matrix: MixtureMatrix, space: MixtureSpace, xmin: Double?, xmax: Double?)
  throws -> PrincipalComponentModel
{
  let s = matrix.rows.count
  let p = matrix.x.count
  guard s >= 3 else {
    throw EXAFSError.invalidParameter("spectra", "principal components need at least 3 spectra, got \(s)")
  }
  var mean = [Double](repeating: 0, count: p)
  for row in matrix.rows { for i in 0..<p { mean[i] += row[i] / Double(s) } }
  // Z as columns: z[j] is spectrum j, centred and scaled.
  var z: [[Double]] = []
  for (j, row) in matrix.rows.enumerated() {
    let d = zip(row, mean).map { $0 - $1 }
    let m = d.reduce(0, +) / Double(p)
    let sd = (d.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(p)).squareRoot()
    // Rounding noise of a spectrum equal to the mean must not be scaled up into a "component".
    let size = row.map(abs).max() ?? 0
    guard sd > 1e-12 * size, sd.isFinite else {
      throw EXAFSError.unusableData(
        SourceLocation(file: matrix.names[j]),
        "equals the mean of all the spectra in the range: are the spectra identical?")
    }
    z.append(d.map { ($0 - m) / sd })
  }
  var c = [[Double]](repeating: [Double](repeating: 0, count: s), count: s)
  for a in 0..<s {
    for b in a..<s {
      var sum = 0.0
      for i in 0..<p { sum += z[a][i] * z[b][i] }
      c[a][b] = sum / Double(s)
      c[b][a] = c[a][b]
    }
  }
  let (values, vectors) = symmetricEigen(c)
  let order = values.indices.sorted { values[$0] > values[$1] }
  let eigenvalues = order.map { values[$0] }
  let components = order.map { k -> [Double] in
    (0..<p).map { i in
      var sum = 0.0
      for j in 0..<s { sum += z[j][i] * vectors[j][k] }
      return -sum / Double(s)
    }
  }
  let total = eigenvalues.reduce(0, +)
  var ind: [Double] = []
  for r in 0..<(s - 1) {
    let nr = Double(s - r - 1)
    let value = (Double(p) * eigenvalues[r...].reduce(0, +) / nr).squareRoot() / (nr * nr)
    if r == 0 { ind.append(value) }
    ind.append(value)
  }
  let nsig = ind.indices.min { ind[$0] < ind[$1] } ?? 0
  return PrincipalComponentModel(
    names: matrix.names, space: space, xmin: xmin, xmax: xmax, x: matrix.x, data: matrix.rows, mean: mean,
    components: components, eigenvalues: eigenvalues, variances: eigenvalues.map { $0 / total }, ind: ind,
    indComponents: nsig, fTest: malinowskiFTest(eigenvalues: Array(eigenvalues.dropLast()), points: p))
}

/// Malinowski's F-test on eigenvalues `lambda` (largest first) of `points` x (lambda.count + 1) data.
func malinowskiFTest(eigenvalues lambda: [Double], points: Int) -> [FTestResult] {
  let s = lambda.count
  let r = Double(points), c = Double(s + 1)
  func w(_ i: Int) -> Double { (r - Double(i) + 1) * (c - Double(i) + 1) }
  guard s >= 2 else { return [] }
  return (1..<s).map { j in
    let rest = (j + 1...s).reduce(0.0) { $0 + lambda[$1 - 1] }
    let weights = (j + 1...s).reduce(0.0) { $0 + w($1) }
    let f = weights / w(j) * lambda[j - 1] / rest
    return FTestResult(factor: j, f: f, significance: fDistributionSurvival(f, 1, Double(s - j)))
  }
}

/// Eigenvalues and eigenvectors (as columns: `vectors[row][k]` belongs to `values[k]`) of a
/// symmetric matrix, by the cyclic Jacobi method (rotations until the off-diagonal sum of squares
/// is below 1e-30 of the total; accurate to rounding for the small matrices of a PCA).
func symmetricEigen(_ matrix: [[Double]]) -> (values: [Double], vectors: [[Double]]) {
  let n = matrix.count
  var a = matrix
  var v = (0..<n).map { i in (0..<n).map { $0 == i ? 1.0 : 0.0 } }
  let scale = a.joined().reduce(0) { $0 + $1 * $1 }
  for _ in 0..<100 {
    var off = 0.0
    for i in 0..<n { for j in 0..<n where i != j { off += a[i][j] * a[i][j] } }
    if off <= 1e-30 * scale || off == 0 { break }
    for p in 0..<n {
      for q in (p + 1)..<n where a[p][q] != 0 {
        let theta = (a[q][q] - a[p][p]) / (2 * a[p][q])
        let t = (theta >= 0 ? 1 : -1) / (abs(theta) + (theta * theta + 1).squareRoot())
        let cs = 1 / (t * t + 1).squareRoot(), sn = t * cs
        for k in 0..<n {
          let akp = a[k][p], akq = a[k][q]
          a[k][p] = cs * akp - sn * akq
          a[k][q] = sn * akp + cs * akq
        }
        for k in 0..<n {
          let apk = a[p][k], aqk = a[q][k]
          a[p][k] = cs * apk - sn * aqk
          a[q][k] = sn * apk + cs * aqk
        }
        for k in 0..<n {
          let vkp = v[k][p], vkq = v[k][q]
          v[k][p] = cs * vkp - sn * vkq
          v[k][q] = sn * vkp + cs * vkq
        }
      }
    }
  }
  return ((0..<n).map { a[$0][$0] }, v)
}
