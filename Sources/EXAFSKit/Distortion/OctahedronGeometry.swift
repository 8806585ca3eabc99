// MX6 octahedron with a bent trans X-M-X angle plus symmetric outer shells, and its FEFF6 input.
import Foundation

/// An outer shell of `count` atoms of `element` at distance `distance` Å from the absorber, placed
/// symmetrically: 6 on the octahedron axes, 8 on the cube corners, 12 on the cube edge centres.
public struct OuterShell: Sendable, Codable, Equatable {
  public var element: String
  public var count: Int
  public var distance: Double

  public init(element: String, count: Int, distance: Double) {
    self.element = element; self.count = count; self.distance = distance
  }

  /// Parses `ELEMENT:N:R` (e.g. `Na:8:3.9`).
  /// - Throws: `.invalidParameter("shell", ...)` for another form, an unknown element, N not 6, 8 or
  ///   12, or R not in 2.5 ... 8 Å.
  public init(parsing text: String) throws {
    let w = text.split(separator: ":").map(String.init)
    guard w.count == 3, let n = Int(w[1]), let r = Double(w[2]) else {
      throw EXAFSError.invalidParameter("shell", "expected ELEMENT:N:R such as Na:8:3.9, not '\(text)'")
    }
    guard let z = atomicNumber(w[0]) else { throw EXAFSError.invalidParameter("shell", "unknown element '\(w[0])' in '\(text)'") }
    guard [6, 8, 12].contains(n) else {
      throw EXAFSError.invalidParameter("shell", "N must be 6 (axes), 8 (cube corners) or 12 (cube edges), not \(n) in '\(text)'")
    }
    guard r >= 2.5, r <= 8 else { throw EXAFSError.invalidParameter("shell", "R must be 2.5 ... 8 Å, not \(r) in '\(text)'") }
    self.init(element: elementSymbol(z), count: n, distance: r)
  }

  /// Unit vectors of the shell's sites.
  var directions: [(Double, Double, Double)] {
    switch count {
    case 6: return [(1, 0, 0), (-1, 0, 0), (0, 1, 0), (0, -1, 0), (0, 0, 1), (0, 0, -1)]
    case 8:
      let c = 1 / 3.0.squareRoot()
      var out: [(Double, Double, Double)] = []
      for sx in [1.0, -1] { for sy in [1.0, -1] { for sz in [1.0, -1] { out.append((sx * c, sy * c, sz * c)) } } }
      return out
    default:
      let c = 1 / 2.0.squareRoot()
      var out: [(Double, Double, Double)] = []
      for a in [1.0, -1] {
        for b in [1.0, -1] { out += [(a * c, b * c, 0), (a * c, 0, b * c), (0, a * c, b * c)] }
      }
      return out
    }
  }
}

/// An MX6 octahedron: absorber M at the origin, six ligands X at `bondLength`, every trans X-M-X
/// angle equal to `transAngle` degrees, and outer shells.
///
/// The trans pair along axis e_i (i = x, y, z) is bent by a = (180 - angle)/2 towards the cyclically
/// next axis e_(i+1): X = R (±cos a e_i + sin a e_(i+1)). Both ligands of a pair move the same way, so
/// the pair's angle is 180 - 2a = `transAngle`, the bond length stays R, and the three pairs are
/// images of each other under the three-fold rotation about [111]. The outer shells do not move.
public struct OctahedronGeometry: Sendable, Codable, Equatable {
  public var absorber: String
  public var ligand: String
  public var bondLength: Double
  public var transAngle: Double
  public var shells: [OuterShell]

  public init(absorber: String, ligand: String, bondLength: Double, transAngle: Double, shells: [OuterShell] = []) {
    self.absorber = absorber; self.ligand = ligand; self.bondLength = bondLength
    self.transAngle = transAngle; self.shells = shells
  }

  /// Atoms (element, x, y, z in Å), absorber first, then the six ligands, then the shells.
  public var atoms: [(element: String, x: Double, y: Double, z: Double)] {
    let a = (180 - transAngle) / 2 * Double.pi / 180
    var out: [(element: String, x: Double, y: Double, z: Double)] = [(absorber, 0, 0, 0)]
    for i in 0..<3 {
      for sign in [1.0, -1] {
        var v = [0.0, 0, 0]
        v[i] += sign * bondLength * cos(a)
        v[(i + 1) % 3] += bondLength * sin(a)
        out.append((ligand, v[0], v[1], v[2]))
      }
    }
    for s in shells {
      for d in s.directions { out.append((s.element, s.distance * d.0, s.distance * d.1, s.distance * d.2)) }
    }
    return out
  }

  /// The FEFF6 input (feff.inp) of the cluster: HOLE of `edge`, CONTROL 1 1 1 1, PRINT 0 0 0 0,
  /// RMAX `rmax`, NLEG `nleg`, one potential per element (absorber 0, ligand 1, shells next).
  /// - Throws: `.invalidParameter("edge", ...)` for an edge other than K, L1, L2, L3; unknown elements.
  public func feffInput(edge: String, rmax: Double, nleg: Int) throws -> String {
    guard let hole = ["K": 1, "L1": 2, "L2": 3, "L3": 4][edge.uppercased()] else {
      throw EXAFSError.invalidParameter("edge", "must be K, L1, L2 or L3, not \(edge)")
    }
    guard let za = atomicNumber(absorber) else { throw EXAFSError.invalidParameter("absorber", "unknown element '\(absorber)'") }
    guard atomicNumber(ligand) != nil else { throw EXAFSError.invalidParameter("ligand", "unknown element '\(ligand)'") }
    var species = [elementSymbol(atomicNumber(ligand)!)]
    for s in shells where !species.contains(s.element) { species.append(s.element) }
    var lines = [
      "TITLE \(absorber)\(ligand)6 octahedron, trans \(ligand)-\(absorber)-\(ligand) \(String(format: "%.4f", transAngle)) deg",
      "HOLE \(hole) 1.0", "CONTROL 1 1 1 1", "PRINT 0 0 0 0", "RMAX \(rmax)", "NLEG \(nleg)", "POTENTIALS",
      "  0 \(za) \(elementSymbol(za))",
    ]
    for (i, s) in species.enumerated() { lines.append("  \(i + 1) \(atomicNumber(s) ?? 0) \(s)") }
    lines.append("ATOMS")
    for (i, a) in atoms.enumerated() {
      let ipot = i == 0 ? 0 : (species.firstIndex(where: { $0.lowercased() == a.element.lowercased() }) ?? 0) + 1
      lines.append(String(format: "  %10.5f %10.5f %10.5f %d %@", a.x, a.y, a.z, ipot, a.element))
    }
    lines.append("END")
    return lines.joined(separator: "\n") + "\n"
  }
}
