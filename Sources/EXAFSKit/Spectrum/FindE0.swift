// E0, the edge energy: the maximum of the smoothed derivative of mu(E), as Larch's find_e0.
import Foundation

/// Edge energy E0 (eV) of mu(E), following Larch's `find_e0`:
///
/// 1. a first estimate from the unsmoothed derivative d mu / dE: among points whose normalized
///    derivative exceeds 0.6 (and whose neighbours do too), the one with the largest derivative,
///    ignoring the first and last 2% of points;
/// 2. a refinement on +-75 points around it, with the derivative smoothed by a Lorentzian whose
///    width is the mean of the typical energy step and E0/25000 (both clipped to 0.01..1 eV).
/// An estimate within the first 5% of the points is treated as a glitch: the refinement then
/// searches from 20 points before it to the end.
/// - Parameters: energy (eV, strictly increasing) and mu, at least 10 points.
public func findE0(energy: [Double], mu: [Double]) -> Double {
  let n = energy.count
  guard n >= 10 else { return energy[n / 2] }
  let first = derivativeMaximum(energy: energy, mu: mu, estep: nil, smooth: false)
  var e1 = first.energy
  var istart = max(3, first.index - 75)
  var istop = min(first.index + 75, n - 3)
  if Double(first.index) < 0.05 * Double(n) {
    e1 = energy.reduce(0, +) / Double(n)
    istart = max(3, first.index - 20)
    istop = n - 3
  }
  let estep = 0.5 * (max(0.01, min(1.0, first.estep)) + max(0.01, min(1.0, e1 / 25000)))
  guard istop - istart >= 6 else { return e1 }
  let refined = derivativeMaximum(
    energy: Array(energy[istart..<istop]), mu: Array(mu[istart..<istop]), estep: estep, smooth: true)
  if refined.index < 1 { return energy[istart + 2] }
  return refined.energy
}

/// The typical energy step (eV): the mean of the 10 smallest steps after skipping the smallest 1%
/// (Larch's `find_energy_step`); for fewer than 100 points Larch's slice is empty and this is NaN,
/// which `findE0` then clips to 1 eV, exactly as Larch does.
func typicalEnergyStep(_ energy: [Double]) -> Double {
  let nskip = Int(0.01 * Double(energy.count))
  // Larch's ordering check keeps energy[0 ..< n-1]; then [nskip : -nskip] of that.
  guard nskip > 0, energy.count - 1 > 2 * nskip + 1 else { return .nan }
  let inner = Array(energy[nskip..<(energy.count - 1 - nskip)])
  var diffs = zip(inner.dropFirst(), inner).map { $0 - $1 }
  diffs.sort()
  let chosen = diffs.dropFirst(nskip).prefix(10)
  guard !chosen.isEmpty else { return .nan }
  return chosen.reduce(0, +) / Double(chosen.count)
}

private func derivativeMaximum(
  energy: [Double], mu: [Double], estep: Double?, smooth: Bool
) -> (energy: Double, index: Int, estep: Double) {
  // Larch drops the last point here (an artefact of its ordering check); we do the same.
  let en = Array(energy.dropLast())
  let m = Array(mu.dropLast())
  let n = en.count
  let step = estep ?? typicalEnergyStep(en)
  let nmin = max(3, Int(Double(n) * 0.02))
  var d = gradientRatio(m, en)
  if smooth { d = lorentzianSmooth(x: en, y: d, sigma: step, xstep: step) }
  for i in d.indices where !d[i].isFinite { d[i] = -1 }
  guard n > 2 * nmin + 1 else { return (en[n / 2], n / 2, step) }
  let inner = d[nmin..<(n - nmin)]
  let dmin = inner.min() ?? 0
  let ptp = max(1e-10, (inner.max() ?? 0) - dmin)
  for i in d.indices { d[i] = (d[i] - dmin) / ptp }
  var threshold = n > 20 ? 0.6 : 0.3
  var high = d.indices.filter { d[$0] > threshold }
  if high.count < 3 {
    for _ in 0..<2 where high.count <= 3 {
      threshold *= 0.5
      high = d.indices.filter { d[$0] > threshold }
    }
  }
  if high.count < 3 { high = Array(d.indices) }
  let isHigh = Set(high)
  var imax = 0
  var dmax = 0.0
  for i in high where i >= nmin && i <= n - nmin {
    if d[i] > dmax && isHigh.contains(i + 1) && isHigh.contains(i - 1) {
      imax = i
      dmax = d[i]
    }
  }
  return (en[imax], imax, step)
}

/// numpy.gradient(y) / numpy.gradient(x) with unit spacing: central differences inside,
/// one-sided differences at the ends.
func gradientRatio(_ y: [Double], _ x: [Double]) -> [Double] {
  let n = y.count
  guard n >= 2 else { return [Double](repeating: 0, count: n) }
  var out = [Double](repeating: 0, count: n)
  out[0] = (y[1] - y[0]) / (x[1] - x[0])
  out[n - 1] = (y[n - 1] - y[n - 2]) / (x[n - 1] - x[n - 2])
  if n > 2 {
    for i in 1..<(n - 1) { out[i] = (y[i + 1] - y[i - 1]) / (x[i + 1] - x[i - 1]) }
  }
  return out
}
