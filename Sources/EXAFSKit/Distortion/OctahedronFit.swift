// Fitting the octahedron model: a profile over the angle grid, a free fit, the angle's uncertainty from the chi-square profile.
import Foundation

/// Options of an octahedron fit.
public struct OctahedronFitOptions: Sendable, Codable, Equatable {
  /// The fit transform (defaults: k 3 ... 14, dk 1, hanning, k-weight 2, R 1.2 ... 5 Å in r space).
  public var transform: FitTransformParameters
  /// Fixed standard deviation of a Gaussian distribution of trans angles, degrees (0: one angle).
  public var angleSpread: Double = 0
  /// Starting values (the bend start comes from the grid profile).
  public var start = OctahedronParameters()

  public init() {
    var t = FitTransformParameters()
    t.kmin = 3; t.kmax = 14; t.dk = 1; t.window = .hanning; t.kweight = [2]; t.rmin = 1.2; t.rmax = 5
    transform = t
  }
}

/// A value with its one-sigma uncertainty; `uncertainty` nil when it cannot be estimated (`note` says why).
public struct MeasuredValue: Sendable, Codable, Equatable {
  public var value: Double
  public var uncertainty: Double?
  public var note: String?
  public init(value: Double, uncertainty: Double?, note: String? = nil) {
    self.value = value; self.uncertainty = uncertainty; self.note = note
  }
}

/// The trans angle: value, uncertainty and the one-sigma interval from the chi-square profile.
public struct FittedTransAngle: Sendable, Codable, Equatable {
  public var value: Double
  /// max(value - interval[0], interval[1] - value), degrees; nil when the interval reaches the grid's end.
  public var uncertainty: Double?
  /// Angles where the profiled chi-square rises by the reduced chi-square (Larch's one sigma), degrees.
  public var interval: [Double]
  public var method: String
  public var note: String?
}

/// One outer shell after the fit.
public struct FittedOuterShell: Sendable, Codable, Equatable {
  public var element: String
  public var count: Int
  public var distance: MeasuredValue
  public var sigma2: MeasuredValue
}

/// One point of the chi-square profile in the angle.
public struct AngleProfilePoint: Sendable, Codable, Equatable {
  public var transAngle: Double
  public var chiSquare: Double
  enum CodingKeys: String, CodingKey { case transAngle = "trans_angle", chiSquare = "chi_square" }
}

/// Everything an octahedron fit produces (NAME.octahedron.json plus the arrays).
public struct OctahedronFitResult: Sendable, Codable {
  public var absorber: String
  public var ligand: String
  public var edge: String
  public var source: String
  public var transAngle: FittedTransAngle
  public var bend: MeasuredValue
  public var angleSpread: Double
  public var bondLength: MeasuredValue
  public var sigma2FirstShell: MeasuredValue
  public var sigma2MS: MeasuredValue
  public var s02: MeasuredValue
  public var e0Shift: MeasuredValue
  public var outerShells: [FittedOuterShell]
  /// Every variable as in NAME.fit.json.
  public var parameters: [String: FittedParameter]
  public var statistics: FitStatistics
  public var correlations: [FitCorrelation]
  public var profile: [AngleProfilePoint]
  public var transform: FitTransformParameters
  public var grid: OctahedronGridSettings
  /// Number of FEFF paths at each grid angle.
  public var pathsPerAngle: [Int]
  public var warnings: [String]
  /// k grid, data, model and the groups of the model (not in the JSON).
  public var k: [Double] = []
  public var data: [Double] = []
  public var model: [Double] = []
  /// chi(k) of each path group (`groupNames`, and `ligand_ms`'s parts `ligand_ms_focused`, `ligand_ms_triangles`).
  public var groups: [String: [Double]] = [:]
  /// Morlet map shares of the path groups in the hinge window and at (k 6, R 4.2) (NAME.octahedron.json `wavelet`).
  public var wavelet: OctahedronWaveletRecord?

  enum CodingKeys: String, CodingKey {
    case absorber, ligand, edge, source, transAngle = "trans_angle", bend, angleSpread = "angle_spread"
    case bondLength = "bond_length", sigma2FirstShell = "sigma2_first_shell", sigma2MS = "sigma2_ms", s02
    case e0Shift = "e0_shift", outerShells = "outer_shells", parameters, statistics, correlations, profile
    case transform, grid, pathsPerAngle = "paths_per_angle", warnings, wavelet
  }
}

/// The least-squares problem: variables s02, e0, deltaR, sigma2 first shell, sigma2 MS, [bend], then
/// per shell deltaR and sigma2.
final class OctahedronProblem: LeastSquaresModel {
  let model: OctahedronModel
  let data: PreparedDataset
  let fixedBend: Double?
  let spread: Double
  let residualCount: Int

  /// Model chi is computed on data.k[lo..<hi] only (the k window is zero outside), zero elsewhere.
  let lo: Int, hi: Int
  let kWindowed: [Double]
  /// Forward differences while fitting (half the cost), central differences for the covariance.
  var forwardDifferences = false

  init(model: OctahedronModel, data: PreparedDataset, fixedBend: Double?, spread: Double) {
    self.model = model; self.data = data; self.fixedBend = fixedBend; self.spread = spread
    residualCount = data.residualCount
    let t = data.transform
    // one point more below the window: FeffPath.chi extrapolates its first point
    lo = max(0, Int(((t.kmin - t.dk) / t.kstep).rounded(.down)) - 2)
    hi = min(data.k.count, Int(((t.kmax + (t.dk2 ?? t.dk)) / t.kstep).rounded(.up)) + 2)
    kWindowed = Array(data.k[lo..<hi])
  }

  /// Model chi(k) on the data grid (zero outside the k window's support).
  func modelChi(_ p: OctahedronParameters) -> [Double] {
    var out = [Double](repeating: 0, count: data.k.count)
    let part = model.chi(k: kWindowed, parameters: p)
    for i in part.indices.dropFirst() { out[lo + i] = part[i] }
    return out
  }

  var names: [String] {
    var n = ["s02", "e0", "delta_r", "sigma2_first_shell", "sigma2_ms"]
    if fixedBend == nil { n.append("bend") }
    for s in model.grid.reference.shells { n += ["delta_r_\(s.element)\(s.count)", "sigma2_\(s.element)\(s.count)"] }
    return n
  }

  func parameters(_ x: [Double]) -> OctahedronParameters {
    var p = OctahedronParameters()
    p.s02 = x[0]; p.e0 = x[1]; p.deltaR = x[2]; p.sigma2FirstShell = x[3]; p.sigma2MS = x[4]
    var i = 5
    if let b = fixedBend { p.bend = b } else { p.bend = x[5]; i = 6 }
    p.spread = spread
    p.shellDeltaR = []; p.shellSigma2 = []
    for _ in model.grid.reference.shells {
      p.shellDeltaR.append(x[i]); p.shellSigma2.append(x[i + 1]); i += 2
    }
    return p
  }

  func vector(_ p: OctahedronParameters) -> [Double] {
    var x = [p.s02, p.e0, p.deltaR, p.sigma2FirstShell, p.sigma2MS]
    if fixedBend == nil { x.append(p.bend) }
    for j in model.grid.reference.shells.indices { x += [p.shellDeltaR[j], p.shellSigma2[j]] }
    return x
  }

  func residualVector(_ x: [Double], dataOnly: Bool = false) -> [Double] {
    var out: [Double] = []
    out.reserveCapacity(residualCount)
    data.residual(model: dataOnly ? nil : modelChi(parameters(x)), into: &out)
    return out
  }

  func residuals(_ p: UnsafeBufferPointer<Double>, into r: UnsafeMutableBufferPointer<Double>) {
    let out = residualVector(Array(p))
    for i in 0..<r.count { r[i] = out[i] }
  }

  /// Central differences; steps 1e-5 |x| (1e-5 at 0), the bend 0.01 degree.
  func jacobianMatrix(_ x: [Double]) -> [Double] {
    let n = x.count, m = residualCount
    var jac = [Double](repeating: 0, count: m * n)
    let bendIndex = fixedBend == nil ? 5 : -1
    let r0 = forwardDifferences ? residualVector(x) : []
    for j in 0..<n {
      let h = j == bendIndex ? 0.01 : (x[j] == 0 ? 1e-5 : 1e-5 * abs(x[j]))
      var xp = x, xm = x
      xp[j] += h; xm[j] -= h
      if forwardDifferences {
        let rp = residualVector(xp)
        for i in 0..<m { jac[i * n + j] = (rp[i] - r0[i]) / h }
      } else {
        let rp = residualVector(xp), rm = residualVector(xm)
        for i in 0..<m { jac[i * n + j] = (rp[i] - rm[i]) / (2 * h) }
      }
    }
    return jac
  }

  func jacobian(_ p: UnsafeBufferPointer<Double>, into j: UnsafeMutableBufferPointer<Double>) {
    let jac = jacobianMatrix(Array(p))
    for i in 0..<j.count { j[i] = jac[i] }
  }

  func solve(start: OctahedronParameters, maxIterations: Int = 200) throws -> (OctahedronParameters, chi2: Double, iterations: Int, converged: Bool) {
    forwardDifferences = true
    defer { forwardDifferences = false }
    let fit = try leastSquaresFit(self, start: vector(start), xtol: 1e-9, gtol: 1e-10, ftol: 1e-11, maxIterations: maxIterations)
    let r = residualVector(fit.parameters)
    return (parameters(fit.parameters), r.reduce(0) { $0 + $1 * $1 }, fit.iterations, fit.converged)
  }
}

/// Fits the octahedron model to chi(k) data.
///
/// 1. Coarse profile: at every second grid node (and the last) the other variables are fitted (each start from the
///    previous node's result). 2. Free fit with the bend varied, from the best node. 3. The angle's
///    one-sigma interval: the chi-square profile (other variables refitted at fixed bends in 1
///    degree steps outward from the best fit) crosses chi2_min (1 + 1/(N_idp - N_var)), the rise at
///    which Larch's covariance-based sigma would fall for a linear model. The other uncertainties and
///    the correlations come from the covariance (J^T J)^-1 chi2/(N_idp - N_var) as in `feffit`; near
///    180 degrees (bend below 0.5 degree) where chi is flat in the bend they are taken at the fixed
///    best bend.
/// - Throws: `.invalidParameter` when there are not more independent points than variables;
///   `.unusableData` when the fit range is outside the data; `.numerical` for a singular fit.
public func fitOctahedron(grid: OctahedronPathGrid, data: FitData, options: OctahedronFitOptions) throws -> OctahedronFitResult {
  let prepared = try PreparedDataset(
    entry: "octahedron", name: data.name, source: data.source, k: data.k, chi: data.chi, transform: options.transform)
  let model = OctahedronModel(grid: grid)
  let shells = grid.reference.shells
  var start = options.start
  start.spread = options.angleSpread
  if start.shellDeltaR.count != shells.count { start.shellDeltaR = shells.map { _ in 0 } }
  if start.shellSigma2.count != shells.count { start.shellSigma2 = shells.map { _ in 0.01 } }
  let nIdp = prepared.nIndependent
  let nvar = 6 + 2 * shells.count
  guard Double(nvar) < nIdp else {
    throw EXAFSError.invalidParameter(
      "octahedron", "\(nvar) variables but only \(String(format: "%.2f", nIdp)) independent points; widen the k or R range")
  }
  // 1. profile over the grid nodes
  var profile: [AngleProfilePoint] = []
  var best: (OctahedronParameters, Double)?
  var current = start
  for (i, b) in grid.bends.enumerated() where i % 2 == 0 || i == grid.bends.count - 1 {
    let problem = OctahedronProblem(model: model, data: prepared, fixedBend: b, spread: options.angleSpread)
    // Two starts per node: the previous node's result, and the user's start. A warm start alone can
    // carry a runaway sigma2 (e.g. sigma2_ms 0.8 with strong noise) from node to node.
    let warm = try? problem.solve(start: current, maxIterations: 60)
    let cold = i == 0 ? nil : try? problem.solve(start: start, maxIterations: 60)
    guard let s = [warm, cold].compactMap({ $0 }).min(by: { $0.chi2 < $1.chi2 }) else { continue }
    current = s.0
    profile.append(AngleProfilePoint(transAngle: 180 - b, chiSquare: s.chi2))
    if best == nil || s.chi2 < best!.1 { best = (s.0, s.chi2) }
  }
  guard var bestStart = best?.0 else { throw EXAFSError.numerical("\(data.source): the octahedron fit failed at every grid angle") }
  // 2. free fit from the best node (off 0, where the gradient in the bend vanishes)
  let step = grid.bends[1] - grid.bends[0]
  if bestStart.bend < step / 4 { bestStart.bend = step / 2 }
  let free = OctahedronProblem(model: model, data: prepared, fixedBend: nil, spread: options.angleSpread)
  let fit = try free.solve(start: bestStart)
  var bestP = fit.0
  var chi2min = fit.1
  if let b = best, b.1 < chi2min { bestP = b.0; chi2min = b.1 }
  bestP.bend = abs(bestP.bend)
  let bendMax = grid.bends.last!
  var warnings: [String] = []
  if bestP.bend > bendMax - 1e-6 {
    bestP.bend = bendMax
    warnings.append("the best angle is at the end of the grid (\(180 - bendMax) degrees); extend it with a smaller --min-angle")
  }
  let rise = chi2min / (nIdp - Double(nvar))
  // 3. fine profile outward from the best bend
  func profileAt(_ b: Double, from p: OctahedronParameters) -> (OctahedronParameters, Double)? {
    let problem = OctahedronProblem(model: model, data: prepared, fixedBend: b, spread: options.angleSpread)
    guard let s = try? problem.solve(start: p) else { return nil }
    return (s.0, s.chi2)
  }
  var fine: [AngleProfilePoint] = [AngleProfilePoint(transAngle: 180 - bestP.bend, chiSquare: chi2min)]
  let fineStep = 1.0
  func crossing(direction: Double) -> Double? {
    var prev = (bestP.bend, chi2min)
    var p = bestP
    var b = bestP.bend
    for _ in 0..<200 {
      b += direction * fineStep
      if b < 0 { return 0 }  // the interval reaches 180 degrees
      if b > bendMax + 1e-9 { return nil }
      guard let s = profileAt(b, from: p) else { return nil }
      p = s.0
      fine.append(AngleProfilePoint(transAngle: 180 - b, chiSquare: s.1))
      if s.1 - chi2min >= rise {
        // sqrt(chi2 - chi2min) is linear in the distance for a parabolic profile: interpolate that
        let r0 = max(prev.1 - chi2min, 0).squareRoot(), r1 = (s.1 - chi2min).squareRoot()
        let f = r1 > r0 ? (rise.squareRoot() - r0) / (r1 - r0) : 1
        return prev.0 + f * (b - prev.0)
      }
      prev = (b, s.1)
    }
    return nil
  }
  let upperBend = crossing(direction: 1)
  let lowerBend = bestP.bend < 1e-9 ? 0 : crossing(direction: -1)
  let angle = 180 - bestP.bend
  var angleU: Double?
  var note: String?
  var interval: [Double] = []
  if let ub = upperBend, let lb = lowerBend {
    interval = [180 - ub, 180 - lb]
    angleU = max(angle - interval[0], interval[1] - angle)
    if lb == 0 { note = "the one-sigma interval reaches 180 degrees (a straight octahedron is consistent with the data)" }
  } else {
    interval = [180 - (upperBend ?? bendMax), 180 - (lowerBend ?? 0)]
    note = "not estimable: the chi-square profile does not rise by one sigma within the angle grid"
    warnings.append("the trans angle's uncertainty is not estimable within the grid (180 ... \(180 - bendMax) degrees)")
  }
  // covariance for the other parameters and the correlations
  let useFixed = bestP.bend < 0.5
  let covProblem = OctahedronProblem(
    model: model, data: prepared, fixedBend: useFixed ? bestP.bend : nil, spread: options.angleSpread)
  let x = covProblem.vector(bestP)
  let names = covProblem.names
  guard let cov = invertNormalMatrix(covProblem.jacobianMatrix(x), rows: covProblem.residualCount, cols: x.count) else {
    throw EXAFSError.numerical("\(data.source): the octahedron fit's normal matrix is singular (a parameter has no effect)")
  }
  let scale = chi2min / (nIdp - Double(nvar))
  let n = x.count
  let sigma = (0..<n).map { max(cov[$0 * n + $0] * scale, 0).squareRoot() }
  var correlations: [FitCorrelation] = []
  for i in 0..<n {
    for j in (i + 1)..<max(i + 1, n) {
      let c = cov[i * n + j] / (cov[i * n + i] * cov[j * n + j]).squareRoot()
      if abs(c) > 0.8 { correlations.append(FitCorrelation(first: names[i], second: names[j], value: c)) }
    }
  }
  correlations.sort { abs($0.value) > abs($1.value) }
  var parameters: [String: FittedParameter] = [:]
  for (i, name) in names.enumerated() {
    parameters[name] = FittedParameter(value: x[i], uncertainty: sigma[i], initial: free.vector(bestStart)[free.names.firstIndex(of: name)!], expr: nil)
  }
  if useFixed {
    parameters["bend"] = FittedParameter(value: bestP.bend, uncertainty: angleU ?? 0, initial: bestStart.bend, expr: "profile")
  }
  func measured(_ name: String, offset: Double = 0) -> MeasuredValue {
    let p = parameters[name]!
    return MeasuredValue(value: p.value + offset, uncertainty: p.uncertainty)
  }
  let resid = free.residualVector(free.vector(bestP))
  let dataOnly = free.residualVector(free.vector(bestP), dataOnly: true)
  let chiSquare = chi2min * nIdp / Double(resid.count)
  let logl = nIdp * log(chiSquare / nIdp)
  let stats = FitStatistics(
    chiSquare: chiSquare, reducedChiSquare: chiSquare / (nIdp - Double(nvar)),
    rFactor: chi2min / dataOnly.reduce(0) { $0 + $1 * $1 }, nIndependent: nIdp, nVariables: nvar,
    nDataPoints: resid.count, epsilonK: [prepared.epsilonK[0]], epsilonR: [prepared.epsilonR[0]],
    aic: logl + 2 * Double(nvar), bic: logl + log(nIdp) * Double(nvar), iterations: fit.iterations, converged: fit.converged)
  if !fit.converged { warnings.append("the free fit stopped at its iteration limit (\(fit.iterations) iterations)") }
  let outer = shells.enumerated().map { j, s in
    FittedOuterShell(
      element: s.element, count: s.count, distance: measured("delta_r_\(s.element)\(s.count)", offset: s.distance),
      sigma2: measured("sigma2_\(s.element)\(s.count)"))
  }
  var groups = model.groups(k: prepared.k, parameters: bestP, splitLigandMS: true)
  if let f = groups.first(where: { $0.name == "ligand_ms_focused" }), let t = groups.first(where: { $0.name == "ligand_ms_triangles" }) {
    groups.append(("ligand_ms", zip(f.chi, t.chi).map { $0 + $1 }))
  }
  var result = OctahedronFitResult(
    absorber: grid.reference.absorber, ligand: grid.reference.ligand, edge: grid.settings.edge, source: data.source,
    transAngle: FittedTransAngle(value: angle, uncertainty: angleU, interval: interval, method: "chi-square profile", note: note),
    bend: MeasuredValue(value: bestP.bend, uncertainty: angleU, note: note), angleSpread: options.angleSpread,
    bondLength: measured("delta_r", offset: grid.reference.bondLength), sigma2FirstShell: measured("sigma2_first_shell"),
    sigma2MS: measured("sigma2_ms"), s02: measured("s02"), e0Shift: measured("e0"), outerShells: outer,
    parameters: parameters, statistics: stats, correlations: correlations,
    profile: (profile + fine).sorted { $0.transAngle > $1.transAngle }, transform: options.transform,
    grid: grid.settings, pathsPerAngle: grid.paths.map(\.count), warnings: warnings)
  result.k = prepared.k
  result.data = prepared.chi
  result.model = model.chi(k: prepared.k, parameters: bestP)
  result.groups = Dictionary(uniqueKeysWithValues: groups.map { ($0.name, $0.chi) })
  let maps = try result.waveletMaps()
  result.wavelet = result.waveletRecord(maps)
  return result
}
