// The E0 method as a processing parameter (`e0_method`): the word on the command line, and how the pipeline applies it.
import Foundation

/// The four E0 methods Athena offers, by the words of the `e0_method` parameter.
public enum E0MethodChoice: String, Sendable, Codable, CaseIterable {
  /// Maximum of the smoothed derivative (Larch's `find_e0`; the default).
  case derivative
  /// Zero crossing of the second derivative next to the derivative maximum.
  case zeroCrossing = "zero-crossing"
  /// Where the normalized mu(E) first reaches half the edge step.
  case halfStep = "half-step"
  /// The tabulated edge energy nearest to the derivative maximum (Athena's "atomic").
  case tabulated

  /// E0 of `spectrum` by this method, eV.
  ///
  /// `tabulated` takes the K, L1, L2 or L3 energy of the Elam table nearest to the derivative
  /// maximum (as Athena guesses the element and edge from the data); the others are
  /// `findE0(_:method:normalization:)`.
  /// - Throws: `EXAFSError` from `findE0`, or `.unusableData` when no tabulated edge lies within
  ///   50 eV of the derivative maximum.
  public func e0(of spectrum: XASSpectrum, normalization: NormalizationParameters = .init()) throws -> Double {
    switch self {
    case .derivative: return try findE0(spectrum, method: .derivative)
    case .zeroCrossing: return try findE0(spectrum, method: .zeroCrossing)
    case .halfStep: return try findE0(spectrum, method: .halfStep, normalization: normalization)
    case .tabulated:
      let found = try findE0(spectrum, method: .derivative)
      guard let edge = nearestTabulatedEdge(to: found), abs(edge.energy - found) <= 50 else {
        throw EXAFSError.unusableData(
          SourceLocation(file: spectrum.source),
          "no tabulated edge within 50 eV of the derivative maximum (\(fmt(found)) eV); give e0 instead")
      }
      return edge.energy
    }
  }
}

/// The tabulated edge (element symbol, edge name, energy in eV) nearest to `energy`; nil for an
/// empty table or a non-finite energy.
public func nearestTabulatedEdge(to energy: Double) -> (element: String, edge: String, energy: Double)? {
  guard energy.isFinite else { return nil }
  var best: (String, String, Double)?
  for row in edgeEnergyTable {
    for (edge, value) in [("K", row.k), ("L1", row.l1), ("L2", row.l2), ("L3", row.l3)] {
      guard let value else { continue }
      if let b = best, abs(b.2 - energy) <= abs(value - energy) { continue }
      best = (row.symbol, edge, value)
    }
  }
  return best.map { (element: $0.0, edge: $0.1, energy: $0.2) }
}
