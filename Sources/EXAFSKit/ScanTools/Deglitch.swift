// Deglitch: remove points of mu(E) in given energy ranges, or points that stand out from a local smooth fit.
import Foundation

/// What to remove from a scan, and how outliers are found.
///
/// As in Athena, removed points are dropped, not replaced: the data are resampled onto the k grid
/// later anyway.
public struct DeglitchParameters: Sendable, Codable, Equatable {
  /// Energy ranges whose points are removed, eV (absolute).
  public var remove: [EnergyRange] = []
  /// Also remove outliers found automatically (`findGlitches`).
  public var automatic = false
  /// Outlier threshold: |standardized residual| > sigma x robust noise.
  public var sigma: Double = 5
  /// Points on each side of a point used to predict it (the local fit uses 2 x neighbours points).
  public var neighbours: Int = 4
  /// Degree of the local polynomial.
  public var degree: Int = 2
  /// Half-width, in points, of the window over which the robust noise (MAD) is measured.
  public var noiseWindow: Int = 25
  /// Largest fraction of the points removed automatically; flagging stops there (with a note).
  public var maxFraction: Double = 0.05

  public init() {}

  /// Throws `.invalidParameter` for settings that cannot work.
  public func validated() throws -> DeglitchParameters {
    guard sigma.isFinite, sigma >= 2 else {
      throw EXAFSError.invalidParameter("sigma", "the outlier threshold must be at least 2 (noise units), got \(sigma)")
    }
    guard (0...3).contains(degree), neighbours >= degree + 1, neighbours <= 25 else {
      throw EXAFSError.invalidParameter(
        "neighbours", "use a polynomial degree of 0-3 and degree+1 to 25 neighbours, got \(degree) and \(neighbours)")
    }
    guard noiseWindow >= 5, maxFraction > 0, maxFraction <= 0.5 else {
      throw EXAFSError.invalidParameter("noiseWindow", "the noise window needs >= 5 points and 0 < maxFraction <= 0.5")
    }
    return self
  }
}

/// One point taken out of a scan.
public struct RemovedPoint: Sendable, Codable, Equatable {
  /// Energy of the point, eV.
  public var energy: Double
  /// mu at the point.
  public var mu: Double
  /// How far the point stood from its local fit, in robust noise units; nil for a point in a `--remove` range.
  public var score: Double?

  /// Creates the value from its parts (memberwise).
  public init(energy: Double, mu: Double, score: Double? = nil) {
    self.energy = energy
    self.mu = mu
    self.score = score
  }
}

/// A deglitched scan and what was taken out of it.
public struct DeglitchResult: Sendable, Equatable {
  /// The scan without the removed points (a note lists how many were removed).
  public var spectrum: XASSpectrum
  /// The removed points in energy order.
  public var removed: [RemovedPoint]
  /// Notes for the user (e.g. that automatic flagging stopped at its limit).
  public var notes: [String]

  /// Creates the value from its parts (memberwise).
  public init(spectrum: XASSpectrum, removed: [RemovedPoint], notes: [String]) {
    self.spectrum = spectrum
    self.removed = removed
    self.notes = notes
  }
}

/// Removes the points of `spectrum` inside `parameters.remove`, then (with `automatic`) the outliers
/// `findGlitches` flags among the rest.
///
/// - Throws: `.invalidParameter` for bad parameters; `.unusableData` (naming the file) when fewer
///   than 20 points would remain.
public func deglitch(_ spectrum: XASSpectrum, parameters: DeglitchParameters = .init()) throws -> DeglitchResult {
  let p = try parameters.validated()
  var keep = spectrum.energy.indices.filter { i in !p.remove.contains { $0.contains(spectrum.energy[i]) } }
  var removed = Set(spectrum.energy.indices).subtracting(keep).map {
    RemovedPoint(energy: spectrum.energy[$0], mu: spectrum.mu[$0], score: nil)
  }
  var notes: [String] = []
  if p.automatic {
    let found = findGlitches(energy: keep.map { spectrum.energy[$0] }, mu: keep.map { spectrum.mu[$0] }, parameters: p)
    notes = found.notes
    let flagged = Set(found.indices)
    for (j, score) in zip(found.indices, found.scores) {
      removed.append(RemovedPoint(energy: spectrum.energy[keep[j]], mu: spectrum.mu[keep[j]], score: score))
    }
    keep = keep.enumerated().filter { !flagged.contains($0.offset) }.map(\.element)
  }
  removed.sort { $0.energy < $1.energy }
  guard keep.count >= SpectrumReader.minimumPoints else {
    throw EXAFSError.unusableData(
      SourceLocation(file: spectrum.source),
      "deglitching '\(spectrum.name)' would leave only \(keep.count) points; "
        + "at least \(SpectrumReader.minimumPoints) are needed")
  }
  var out = spectrum.keeping(keep)
  if !removed.isEmpty {
    let energies = removed.map { ScanText.number($0.energy) }.joined(separator: ", ")
    out.notes.append("deglitched: \(removed.count) points removed at \(energies) eV")
  }
  return DeglitchResult(spectrum: out, removed: removed, notes: notes)
}

/// Points of mu(E) that stand out from a local polynomial fit to their neighbours.
///
/// 1. Each point i is predicted by a least-squares polynomial of degree `degree` through its
///    2 x `neighbours` nearest points (not itself; taken from one side at the ends). The residual
///    r_i = mu_i - prediction is divided by sqrt(1 + v_i), v_i the variance factor of the
///    prediction, so that every residual carries the same noise.
/// 2. Noise: s_i = 1.4826 x MAD of the residuals within +-`noiseWindow` points (robust to the
///    glitches themselves, and local, so noisy high-k data are judged by their own noise).
/// 3. Model error: m_i = mean |r_j| of the two neighbours j = i +- 1 predicted without point i.
///    Near a glitch the neighbours are predicted well once it is left out (m small); where the
///    polynomial cannot follow the data (a sharp edge sampled coarsely) they are not (m large).
/// 4. Score z_i = r_i / sqrt(s_i^2 + m_i^2). Points with |z| > `sigma` that have the largest |z|
///    among their `neighbours` on each side are removed, and the scores recomputed, until none is
///    flagged or `maxFraction` of the points has been removed.
///
/// - Returns: indices (into `energy`) of the flagged points, increasing, their scores, and notes.
public func findGlitches(
  energy: [Double], mu: [Double], parameters: DeglitchParameters = .init()
) -> (indices: [Int], scores: [Double], notes: [String]) {
  let p = parameters
  guard energy.count == mu.count else { return ([], [], ["energy and mu differ in length; nothing was flagged"]) }
  var active = Array(energy.indices)
  var flagged: [(index: Int, score: Double)] = []
  let limit = Int(p.maxFraction * Double(energy.count))
  let span = (mu.max() ?? 0) - (mu.min() ?? 0)
  let floor = max(1e-12 * span, Double.leastNormalMagnitude)
  var notes: [String] = []
  // Each round removes every separated outlier at once, so a few rounds suffice; 50 bounds the work.
  for _ in 0..<50 where active.count > 2 * p.neighbours + 2 {
    let fit = LocalFit(energy: energy, mu: mu, active: active, parameters: p)
    let residuals = active.indices.map { fit.residual(at: $0, without: nil) }
    let noise = localNoise(residuals, halfWidth: p.noiseWindow)
    let scores = active.indices.map { j -> Double in
      let near = [j - 1, j + 1].filter { active.indices.contains($0) }.map { abs(fit.residual(at: $0, without: j)) }
      let model = near.reduce(0, +) / Double(max(1, near.count))
      return residuals[j] / max(floor, (noise[j] * noise[j] + model * model).squareRoot())
    }
    var round: [Int] = []
    for j in scores.indices where abs(scores[j]) > p.sigma {
      let lo = max(0, j - p.neighbours), hi = min(scores.count - 1, j + p.neighbours)
      if (lo...hi).allSatisfy({ abs(scores[$0]) <= abs(scores[j]) }) { round.append(j) }
    }
    if round.isEmpty { break }
    if flagged.count + round.count > limit {
      notes.append(
        "automatic deglitching stopped at its limit of \(limit) points "
          + "(\(ScanText.number(p.maxFraction * 100))% of the data); "
          + "the data may be less smooth than the local fit allows, try a larger sigma")
      round = Array(round.sorted { abs(scores[$0]) > abs(scores[$1]) }.prefix(max(0, limit - flagged.count)))
    }
    flagged += round.map { (active[$0], scores[$0]) }
    let drop = Set(round)
    active = active.enumerated().filter { !drop.contains($0.offset) }.map(\.element)
    if !notes.isEmpty { break }
  }
  flagged.sort { $0.index < $1.index }
  return (flagged.map(\.index), flagged.map(\.score), notes)
}

/// Leave-out predictions of mu from local polynomials over the points still in use.
private struct LocalFit {
  let energy: [Double]
  let mu: [Double]
  /// Indices into `energy` of the points in use, increasing.
  let active: [Int]
  let parameters: DeglitchParameters

  /// (mu - prediction) / sqrt(1 + v) at position `j` of `active`, predicted from its nearest
  /// 2 x neighbours positions other than `j` and `skip`.
  func residual(at j: Int, without skip: Int?) -> Double {
    let others = neighbourPositions(of: j, skipping: skip).map { active[$0] }
    let center = energy[active[j]]
    let width = others.map { abs(energy[$0] - center) }.max() ?? 1
    let size = parameters.degree + 1
    // Normal equations in u = (E - E_j) / width; the prediction at u = 0 is the constant term.
    var a = [Double](repeating: 0, count: size * size)
    var b = [Double](repeating: 0, count: size)
    var powers = [Double](repeating: 1, count: size)
    for k in others {
      let u = width > 0 ? (energy[k] - center) / width : 0
      for m in 1..<max(1, size) { powers[m] = powers[m - 1] * u }
      for r in 0..<size {
        b[r] += powers[r] * mu[k]
        for c in 0..<size { a[r * size + c] += powers[r] * powers[c] }
      }
    }
    var unit = [Double](repeating: 0, count: size)
    unit[0] = 1
    guard let coefficients = solveSmall(a, b, size), let inverse = solveSmall(a, unit, size) else { return 0 }
    return (mu[active[j]] - coefficients[0]) / (1 + max(0, inverse[0])).squareRoot()
  }

  /// The `2 h` positions nearest to `j` (h = neighbours on each side, more from one side at the ends).
  private func neighbourPositions(of j: Int, skipping skip: Int?) -> [Int] {
    let h = parameters.neighbours
    var left: [Int] = [], right: [Int] = []
    var k = j - 1
    while k >= 0 && left.count < 2 * h {
      if k != skip { left.append(k) }
      k -= 1
    }
    k = j + 1
    while k < active.count && right.count < 2 * h {
      if k != skip { right.append(k) }
      k += 1
    }
    let nl = min(left.count, max(h, 2 * h - right.count))
    let nr = min(right.count, 2 * h - nl)
    return left.prefix(nl).reversed() + right.prefix(nr)
  }
}

/// 1.4826 x median(|r - median(r)|) over +-halfWidth positions around each position.
private func localNoise(_ r: [Double], halfWidth: Int) -> [Double] {
  let n = r.count
  return (0..<n).map { j in
    var lo = j - halfWidth, hi = j + halfWidth
    if lo < 0 { hi -= lo; lo = 0 }
    if hi > n - 1 { lo -= hi - (n - 1); hi = n - 1 }
    let window = Array(r[max(0, lo)...hi])
    let center = median(window)
    return 1.4826 * median(window.map { abs($0 - center) })
  }
}

/// Median of a non-empty array (mean of the two middle values for an even count).
private func median(_ values: [Double]) -> Double {
  guard !values.isEmpty else { return .nan }
  let sorted = values.sorted()
  let m = sorted.count / 2
  return sorted.count % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2
}

/// Solves the small dense system a x = b (row-major, `size` x `size`) by Gaussian elimination with
/// partial pivoting; nil when it is singular.
private func solveSmall(_ a: [Double], _ b: [Double], _ size: Int) -> [Double]? {
  var m = a, x = b
  for col in 0..<size {
    guard let pivot = (col..<size).max(by: { abs(m[$0 * size + col]) < abs(m[$1 * size + col]) }),
      abs(m[pivot * size + col]) > 1e-300
    else { return nil }
    if pivot != col {
      for c in 0..<size { m.swapAt(pivot * size + c, col * size + c) }
      x.swapAt(pivot, col)
    }
    for r in (col + 1)..<size {
      let f = m[r * size + col] / m[col * size + col]
      for c in col..<size { m[r * size + c] -= f * m[col * size + c] }
      x[r] -= f * x[col]
    }
  }
  for r in stride(from: size - 1, through: 0, by: -1) {
    var s = x[r]
    for c in (r + 1)..<size { s -= m[r * size + c] * x[c] }
    x[r] = s / m[r * size + r]
  }
  return x
}
