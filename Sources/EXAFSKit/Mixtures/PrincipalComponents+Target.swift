// Target transformation: how well the first n components (plus the mean) reproduce a candidate standard (Larch's pca_fit).

/// The reconstruction of one candidate standard from a principal component model.
public struct TargetTransformation: Sendable, Equatable {
  /// Name of the candidate.
  public var name: String
  /// Number of components used.
  public var componentCount: Int
  /// The candidate on the model's grid, times `scale`.
  public var data: [Double]
  /// mean + sum_j weights[j] component[j].
  public var fit: [Double]
  /// Weight of each component.
  public var weights: [Double]
  /// Sum of squared residuals |data - fit|^2 (Larch's `chi_square`).
  public var chiSquare: Double
  /// Scale applied to the candidate (Larch's `data_scale`; 1 without rescaling).
  public var scale: Double
  /// sum (data - fit)^2 / sum data^2.
  public var rFactor: Double
}

extension PrincipalComponentModel {
  /// Target transformation of `target` with the first `components` components, as Larch's
  /// `pca_fit(group, model, ncomps, rescale)`:
  ///
  /// the candidate's points in [xmin, xmax] are interpolated (cubic, as Larch) onto the model's grid;
  /// with `rescale` the scale s >= 0 minimizing |s y - mean - C w(s)|^2 (w(s) the least-squares
  /// weights) is applied first. That residual is linear in s, so s has the closed form
  /// <Q y, Q mean> / <Q y, Q y> with Q the projector onto the complement of the components (Larch
  /// reaches it with lmfit to its tolerance of 1e-5).
  /// - Throws: `.invalidParameter` for a component count outside 1 ... components.count, or a
  ///   candidate in another space; `.numerical` from the least squares.
  public func targetTransformation(_ target: MixtureSpectrum, components n: Int, rescale: Bool = true) throws
    -> TargetTransformation
  {
    guard (1...components.count).contains(n) else {
      throw EXAFSError.invalidParameter("components", "must be 1 ... \(components.count), got \(n)")
    }
    guard target.space == space else {
      throw EXAFSError.invalidParameter("space", "\(target.name) is \(target.space.rawValue), the model is \(space.rawValue)")
    }
    let own = try MixtureMatrix([target], xmin: xmin, xmax: xmax, minimumPoints: 2)
    var y = cubicInterpolate(x: own.x, y: own.rows[0], at: x)
    let columns = Array(components.prefix(n))
    var scale = 1.0
    if rescale {
      let qy = try solveLinearLeastSquares(columns: columns, b: y)
      let qm = try solveLinearLeastSquares(columns: columns, b: mean)
      let ry = residual(columns, qy.coefficients, y)
      let rm = residual(columns, qm.coefficients, mean)
      let yy = ry.reduce(0) { $0 + $1 * $1 }
      let ym = zip(ry, rm).reduce(0) { $0 + $1.0 * $1.1 }
      if yy > 0 { scale = max(0, ym / yy) }
      y = y.map { $0 * scale }
    }
    let solution = try solveLinearLeastSquares(columns: columns, b: zip(y, mean).map { $0 - $1 })
    var fit = mean
    for (j, c) in columns.enumerated() { for i in fit.indices { fit[i] += solution.coefficients[j] * c[i] } }
    let rNum = zip(y, fit).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
    let rDen = y.reduce(0) { $0 + $1 * $1 }
    return TargetTransformation(
      name: target.name, componentCount: n, data: y, fit: fit, weights: solution.coefficients,
      chiSquare: solution.chiSquare, scale: scale, rFactor: rDen > 0 ? rNum / rDen : .nan)
  }
}

/// b - sum_j c_j columns[j].
private func residual(_ columns: [[Double]], _ c: [Double], _ b: [Double]) -> [Double] {
  var r = b
  for (j, col) in columns.enumerated() { for i in r.indices { r[i] -= c[j] * col[i] } }
  return r
}
