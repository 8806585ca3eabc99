// Energy spacing checks of mu(E): near-duplicate energies merged (never given to the spline), stray far points rejected.
import Foundation

/// Thresholds of the spacing checks, relative to the scan's median energy step.
public enum EnergySpacing {
  /// Points closer than this fraction of the median step are one energy (two passes of one scan
  /// appended differ by 1e-4 eV; an interpolating spline through both explodes).
  public static let duplicateFraction = 0.01
  /// A first or last point separated from the rest by more than this many median steps is a stray
  /// point far outside the scan (a typo, 999999 eV), not data.
  public static let strayGapFactor = 100.0
  /// ... and by more than this many eV (a scan with a coarse pre-edge is not a stray point).
  public static let strayGapMinimum = 500.0

  /// Median of the steps of increasing `x` that exceed `floor`; nil when there are none.
  static func medianStep(_ x: [Double], above floor: Double = 0) -> Double? {
    var steps: [Double] = []
    steps.reserveCapacity(max(0, x.count - 1))
    for i in 1..<max(1, x.count) where x[i] - x[i - 1] > floor { steps.append(x[i] - x[i - 1]) }
    guard !steps.isEmpty else { return nil }
    steps.sort()
    return steps[steps.count / 2]
  }
}

extension XASSpectrum {
  /// Rejects a first or last point isolated far outside the scan (gap > `strayGapFactor` median
  /// steps and > `strayGapMinimum` eV), naming its line. `energy` must be sorted; `order[i]` is the
  /// original index of point i (for the line number).
  func rejectStrayPoints(order: [Int], lineNumbers: [Int]?, context: String?) throws {
    let n = energy.count
    guard n >= 4, let median = EnergySpacing.medianStep(energy) else { return }
    let limit = max(EnergySpacing.strayGapFactor * median, EnergySpacing.strayGapMinimum)
    for (index, gap) in [(0, energy[1] - energy[0]), (n - 1, energy[n - 1] - energy[n - 2])] where gap > limit {
      let original = order[index]
      let line = lineNumbers.flatMap { original < $0.count ? $0[original] : nil }
      let what =
        "energy \(ScanText.number(energy[index])) eV is \(ScanText.number(gap)) eV away from the rest of the scan "
        + "(\(ScanText.number(gap / median)) times the median step of \(ScanText.number(median)) eV): "
        + "a stray point, not data; remove it\(line == nil ? " (point \(original + 1)\(context.map { " of \($0)" } ?? ""))" : "")"
      throw EXAFSError.unusableData(SourceLocation(file: source, line: line), what)
    }
  }

  /// Merges runs of points whose energies are within `duplicateFraction` of the median step (of the
  /// steps above 1% of the mean step) of the
  /// first point of the run (energy, mu and i0 averaged), with a note; `energy` must be sorted.
  /// Exactly equal energies are the special case of a zero distance.
  mutating func mergeNearDuplicates() {
    guard energy.count >= 2 else { return }
    // The median of the steps above 1% of the mean step: with two passes interleaved, half of all
    // steps are the tiny offsets, and a plain median would be one of them.
    let mean = (energy[energy.count - 1] - energy[0]) / Double(energy.count - 1)
    let median = EnergySpacing.medianStep(energy, above: 0.01 * mean) ?? 0
    let tolerance = EnergySpacing.duplicateFraction * median
    var e: [Double] = [], m: [Double] = [], i: [Double] = [], size: [Double] = []
    var start = -Double.infinity
    var nearMerged = 0
    for k in energy.indices {
      let value = i0?[k] ?? 0
      if let _ = e.last, energy[k] - start <= tolerance {
        if energy[k] != start { nearMerged += 1 }
        e[e.count - 1] += energy[k]
        m[m.count - 1] += mu[k]
        i[i.count - 1] += value
        size[size.count - 1] += 1
      } else {
        start = energy[k]
        e.append(energy[k])
        m.append(mu[k])
        i.append(value)
        size.append(1)
      }
    }
    guard e.count < energy.count else { return }
    let merged = energy.count - e.count
    if nearMerged == 0 {
      notes.append("\(merged) points with repeated energies were merged (mu averaged)")
    } else {
      notes.append(
        "\(merged) points with repeated or nearly repeated energies (closer than \(ScanText.number(tolerance)) eV, "
          + "\(EnergySpacing.duplicateFraction * 100)% of the median step of \(ScanText.number(median)) eV; "
          + "two passes of one scan appended?) were merged (energy and mu averaged)")
    }
    energy = zip(e, size).map { $0 / $1 }
    mu = zip(m, size).map { $0 / $1 }
    if i0 != nil { i0 = zip(i, size).map { $0 / $1 } }
  }
}
