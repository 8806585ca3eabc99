// NiceTicks: axis tick positions on 1-2-5 steps and their labels.
import EXAFSKit
import Foundation

/// Tick positions a reader can use: multiples of 1, 2 or 5 times a power of ten.
public enum NiceTicks {
  /// The 1-2-5 step closest to `span / target` (for 0...10.3 and 6 ticks: 2).
  ///
  /// - Parameters:
  ///   - span: length of the axis range, axis units (> 0).
  ///   - target: wanted number of intervals (>= 1).
  /// - Returns: the step, axis units; 1 for an empty or non-finite span.
  public static func step(span: Double, target: Int) -> Double {
    guard span.isFinite, span > 0 else { return 1 }
    let raw = span / Double(max(target, 1))
    let magnitude = pow(10, (log10(raw)).rounded(.down))
    let fraction = raw / magnitude
    let nice: Double
    if fraction < 1.5 {
      nice = 1
    } else if fraction < 3.5 {
      nice = 2
    } else if fraction < 7.5 {
      nice = 5
    } else {
      nice = 10
    }
    return nice * magnitude
  }

  /// The multiples of a 1-2-5 step that lie in `lower...upper` (both included, within a
  /// millionth of the step).
  ///
  /// `ticks(lower: 0, upper: 10.3)` is `[0, 2, 4, 6, 8, 10]`. Values are computed as
  /// `i * step` and rounded to the step's decimals, so 0.1 steps give 0.3, not 0.30000000000000004.
  /// - Parameter target: wanted number of intervals; the result has roughly target + 1 ticks.
  public static func ticks(lower: Double, upper: Double, target: Int = 5) -> [Double] {
    guard lower.isFinite, upper.isFinite else { return [] }
    guard upper > lower else { return lower == upper ? [lower] : [] }
    let s = step(span: upper - lower, target: target)
    let tolerance = s * 1e-6
    let first = ((lower - tolerance) / s).rounded(.up)
    let last = ((upper + tolerance) / s).rounded(.down)
    guard last >= first, last - first < 1000 else { return [] }
    let scale = pow(10, Double(decimals(step: s)))
    return stride(from: first, through: last, by: 1).map { i in
      let v = i * s
      let rounded = (v * scale).rounded() / scale
      return rounded == 0 ? 0 : rounded  // no "-0"
    }
  }

  /// Digits after the decimal point needed to write multiples of `step` exactly (0 for steps >= 1).
  static func decimals(step: Double) -> Int {
    guard step.isFinite, step > 0 else { return 0 }
    return max(0, Int((-log10(step) - 1e-9).rounded(.up)))
  }

  /// The label of tick `value` on an axis with tick spacing `step`: fixed-point with just enough
  /// decimals ("0.5", "10", "8950"), or `1e-05`-style when the numbers are very large or small.
  /// Negative numbers start with the typographic minus sign U+2212.
  public static func label(_ value: Double, step: Double) -> String {
    guard value.isFinite else { return "" }
    if value == 0 { return "0" }
    let digits = decimals(step: step)
    let text: String
    if abs(value) >= 1e6 || digits > 5 {
      text = String(format: "%.3g", value)
    } else {
      text = String(format: "%.\(digits)f", value)
    }
    return text.hasPrefix("-") ? "\u{2212}" + text.dropFirst() : text
  }
}
