// E0 as Athena offers it: derivative maximum, zero crossing of the second derivative, a fraction of the edge step, or the tabulated edge energy.
import Foundation

/// How E0 is chosen (Athena's `bkg_e0` algorithms; Larch's pre_edge knows only the derivative).
public enum E0Method: Sendable, Codable, Equatable {
  /// Maximum of the smoothed derivative d mu/dE (Larch's `find_e0`; Athena's "derivative").
  case derivative
  /// Zero of the second derivative nearest the derivative maximum, where d mu/dE turns over
  /// (Athena's "zero crossing").
  case zeroCrossing
  /// Energy where the normalized mu(E) first reaches `fraction` of the edge step, searching up
  /// from the pre-edge (Athena's "fraction of step", 0.5 = half step).
  case fractionOfStep(Double)
  /// The tabulated edge energy of `element` (symbol, e.g. "Ta") and `edge` (K, L1, L2, L3)
  /// (Athena's "atomic").
  case tabulated(element: String, edge: String)

  /// Half the edge step.
  public static let halfStep = E0Method.fractionOfStep(0.5)
}

/// E0 of `spectrum` (eV) by `method`.
///
/// - derivative: `findE0(energy:mu:)`.
/// - zeroCrossing: d1 = dmu/dE and d2 = d(d1)/dE by numpy's unit-spacing gradient (as Larch's
///   `dmude`); from the derivative maximum the nearest interval where d2 changes sign from + to -
///   (within 25 points), linearly interpolated.
/// - fractionOfStep(f): `normalize` with E0 from the derivative (and `normalization`'s other
///   parameters), then the first upward crossing of f by the normalized mu(E) at or below the
///   derivative maximum's energy + 25 eV, linearly interpolated. One pass: the normalization is not
///   redone at the new E0 (Athena's behaviour).
/// - tabulated: `tabulatedEdgeEnergy(element:edge:)`.
/// - Throws: `.unusableData` when no crossing is found, `.invalidParameter` for an unknown element
///   or edge, or a fraction outside (0, 1).
public func findE0(
  _ spectrum: XASSpectrum, method: E0Method, normalization: NormalizationParameters = .init()
) throws -> Double {
  let energy = spectrum.energy, mu = spectrum.mu
  let loc = SourceLocation(file: spectrum.source)
  switch method {
  case .derivative:
    guard energy.count >= 10 else { throw EXAFSError.unusableData(loc, "only \(energy.count) points; E0 needs 10") }
    return findE0(energy: energy, mu: mu)
  case .tabulated(let element, let edge):
    return try tabulatedEdgeEnergy(element: element, edge: edge)
  case .zeroCrossing:
    guard energy.count >= 10 else { throw EXAFSError.unusableData(loc, "only \(energy.count) points; E0 needs 10") }
    let e0 = findE0(energy: energy, mu: mu)
    let d2 = unitGradient(unitGradient(mu, over: energy), over: energy)
    let i0 = indexNearest(energy, e0)
    for offset in 0...25 {
      for i in [i0 + offset, i0 - offset - 1] where i >= 0 && i + 1 < energy.count {
        if d2[i] >= 0, d2[i + 1] < 0 {
          let t = d2[i] / (d2[i] - d2[i + 1])
          return energy[i] + t * (energy[i + 1] - energy[i])
        }
      }
    }
    throw EXAFSError.unusableData(loc, "no zero crossing of the second derivative within 25 points of E0 = \(fmt(e0)) eV")
  case .fractionOfStep(let fraction):
    guard fraction > 0, fraction < 1 else {
      throw EXAFSError.invalidParameter("e0_fraction", "must be between 0 and 1, got \(fraction)")
    }
    var parameters = normalization
    parameters.e0 = nil
    let normalized = try normalize(spectrum, parameters: parameters)
    let limit = normalized.e0 + 25
    let norm = normalized.norm
    // The last point below the fraction before the first point above it, up to E0 + 25 eV.
    guard let above = energy.indices.first(where: { norm[$0] >= fraction && energy[$0] <= limit }), above > 0 else {
      throw EXAFSError.unusableData(
        loc, "normalized mu(E) does not reach \(fmt(fraction)) of the edge step below \(fmt(limit)) eV")
    }
    let i = above - 1
    let t = (fraction - norm[i]) / (norm[above] - norm[i])
    return energy[i] + t * (energy[above] - energy[i])
  }
}

/// The tabulated edge energy (eV) of `element` (symbol, any case) and `edge` (K, L1, L2, L3),
/// from the Elam, Ravel & Sieber tables as in xraydb (`edgeEnergyTable`, Z = 3 ... 98).
/// - Throws: `.invalidParameter` for an unknown element or edge.
public func tabulatedEdgeEnergy(element: String, edge: String) throws -> Double {
  let symbol = element.trimmingCharacters(in: .whitespaces).lowercased()
  guard let row = edgeEnergyTable.first(where: { $0.symbol.lowercased() == symbol }) else {
    throw EXAFSError.invalidParameter("element", "unknown element '\(element)' (symbols of Z = 3 ... 98)")
  }
  let value: Double?
  switch edge.uppercased() {
  case "K": value = row.k
  case "L1": value = row.l1
  case "L2": value = row.l2
  case "L3": value = row.l3
  default:
    throw EXAFSError.invalidParameter("edge", "unknown edge '\(edge)'; use K, L1, L2 or L3")
  }
  guard let value else {
    throw EXAFSError.invalidParameter("edge", "no tabulated \(edge) edge for \(row.symbol)")
  }
  return value
}
