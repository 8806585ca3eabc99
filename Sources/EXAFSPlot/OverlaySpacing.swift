// OverlaySpacing: how the curves of an overlay are separated vertically (Athena's stacked plots and y offsets).
import Foundation

/// Vertical separation of the curves of an overlay.
public enum OverlaySpacing: Sendable, Codable, Equatable {
  /// Every curve as it is (one line on another).
  case none
  /// Each curve shifted up by the largest peak-to-peak span of the visible curves, so that
  /// none overlaps the next.
  case stack
  /// Each curve shifted up by this many y units from the previous one.
  case offset(Double)

  /// The shift between neighbouring curves, y units, for curves with these visible values.
  public func step(for curves: [[Double]]) -> Double {
    switch self {
    case .none: return 0
    case .offset(let d): return d.isFinite ? d : 0
    case .stack:
      let spans = curves.compactMap { c -> Double? in
        let f = c.filter(\.isFinite)
        guard let lo = f.min(), let hi = f.max() else { return nil }
        return hi - lo
      }
      return (spans.max() ?? 0) * 1.05
    }
  }
}
