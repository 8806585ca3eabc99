// The F distribution's upper tail, for Malinowski's F-test: regularized incomplete beta by continued fraction.
import Foundation

/// P(F > f) for the F distribution with `d1` and `d2` degrees of freedom:
/// I_x(d2/2, d1/2) with x = d2 / (d2 + d1 f) (Abramowitz & Stegun 26.6.2).
/// Accurate to about 1e-14 absolute (the continued fraction is iterated to 1e-15 relative).
public func fDistributionSurvival(_ f: Double, _ d1: Double, _ d2: Double) -> Double {
  guard f.isFinite else { return f > 0 ? 0 : 1 }
  if f <= 0 { return 1 }
  return regularizedIncompleteBeta(d2 / (d2 + d1 * f), d2 / 2, d1 / 2)
}

/// The regularized incomplete beta function I_x(a, b), by the continued fraction of
/// Abramowitz & Stegun 26.5.8 evaluated with the modified Lentz method (using the symmetry
/// I_x(a, b) = 1 - I_{1-x}(b, a) where the fraction converges faster).
func regularizedIncompleteBeta(_ x: Double, _ a: Double, _ b: Double) -> Double {
  if x <= 0 { return 0 }
  if x >= 1 { return 1 }
  if x > (a + 1) / (a + b + 2) { return 1 - regularizedIncompleteBeta(1 - x, b, a) }
  let logBeta: Double = lgamma(a) + lgamma(b) - lgamma(a + b)
  let logPowers: Double = a * log(x) + b * log(1 - x)
  let logFront = logPowers - logBeta
  let tiny = 1e-300
  var c = 1.0
  var d = 1 - (a + b) * x / (a + 1)
  if abs(d) < tiny { d = tiny }
  d = 1 / d
  var h = d
  for m in 1...500 {
    let m = Double(m)
    var num = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
    d = 1 + num * d
    if abs(d) < tiny { d = tiny }
    c = 1 + num / c
    if abs(c) < tiny { c = tiny }
    d = 1 / d
    h *= d * c
    num = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
    d = 1 + num * d
    if abs(d) < tiny { d = tiny }
    c = 1 + num / c
    if abs(c) < tiny { c = tiny }
    d = 1 / d
    let delta = d * c
    h *= delta
    if abs(delta - 1) < 1e-15 { break }
  }
  return exp(logFront) * h / a
}
