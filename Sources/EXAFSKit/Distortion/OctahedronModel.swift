// The octahedron's chi(k) as a smooth function of the trans angle: path sums at the grid angles blended by Catmull-Rom weights.
import Foundation

/// Values of the octahedron model's parameters.
public struct OctahedronParameters: Sendable, Codable, Equatable {
  public var s02: Double = 1
  public var e0: Double = 0
  /// Change of the M-X bond length from the FEFF reference, Å.
  public var deltaR: Double = 0
  public var sigma2FirstShell: Double = 0.003
  public var sigma2MS: Double = 0.005
  /// Bend = 180 - trans angle, degrees (the model is even in it).
  public var bend: Double = 0
  /// Standard deviation of a Gaussian distribution of bends, degrees (0: one angle).
  public var spread: Double = 0
  /// Per outer shell: change of its distance from the reference, Å, and its sigma2, Å^2.
  public var shellDeltaR: [Double] = []
  public var shellSigma2: [Double] = []
  public init() {}
}

/// chi(k) of the octahedron for given parameters.
///
/// At each grid node the paths are summed with the EXAFS equation (`FeffPath.chi`) and these path
/// parameters: first shell deltar = deltaR, sigma2 = sigma2FirstShell; outer shell j deltar =
/// shellDeltaR[j], sigma2 = shellSigma2[j]; multiple scattering among ligands deltar = deltaR reff / R0
/// (the cage expands uniformly), sigma2 = sigma2MS; multiple scattering visiting shell j deltar =
/// reff (deltaR / R0 + shellDeltaR[j] / Rj) / 2, sigma2 = sigma2MS; S0^2 and E0 on every path.
/// Between nodes the node sums are blended with Catmull-Rom (cubic Hermite) weights in the bend, so
/// chi and its derivative are continuous in the angle; below bend 0 the grid is mirrored (the
/// geometry at bend -b is the one at b), above the last node it is extended linearly. A spread s
/// averages the model over bends b + s x_i with Gaussian weights (x_i = -3 ... 3 in steps of 0.5).
public struct OctahedronModel: Sendable {
  public let grid: OctahedronPathGrid

  public init(grid: OctahedronPathGrid) { self.grid = grid }

  /// Weights of the grid nodes for the bend distribution of `p` (sum 1).
  public func nodeWeights(bend: Double, spread: Double) -> [Double] {
    Self.nodeWeights(bends: grid.bends, bend: bend, spread: spread)
  }

  /// Node weights on equally spaced `bends` starting at 0 (see the type's description).
  static func nodeWeights(bends b: [Double], bend: Double, spread: Double) -> [Double] {
    let n = b.count
    let h = b.count > 1 ? b[1] - b[0] : 1
    var w = [Double](repeating: 0, count: n)
    var samples: [(Double, Double)] = [(bend, 1)]
    if spread > 1e-9 {
      let xs = stride(from: -3.0, through: 3.0001, by: 0.5).map { $0 }
      let g = xs.map { exp(-0.5 * $0 * $0) }
      let total = g.reduce(0, +)
      samples = zip(xs, g).map { (bend + spread * $0, $1 / total) }
    }
    func add(_ node: Int, _ value: Double) {
      if node < 0 {
        add(-node, value)  // mirror: bend -b is the geometry of b
      } else if node >= n {
        // linear extension beyond the last node: ghost = 2 last - previous
        add(n - 1, value * Double(node - n + 2))
        add(n - 2, -value * Double(node - n + 1))
      } else {
        w[node] += value
      }
    }
    for (s, weight) in samples {
      var x = abs(s)
      x = min(x, b[n - 1])
      var i = Int((x / h).rounded(.down))
      if i >= n - 1 { i = n - 2 }
      let t = (x - b[i]) / h
      let t2 = t * t, t3 = t2 * t
      add(i - 1, weight * (-t3 + 2 * t2 - t) / 2)
      add(i, weight * (3 * t3 - 5 * t2 + 2) / 2)
      add(i + 1, weight * (-3 * t3 + 4 * t2 + t) / 2)
      add(i + 2, weight * (t3 - t2) / 2)
    }
    return w
  }

  /// The path parameters of a path with `role` and half length `reff`.
  func pathParameters(_ role: OctahedronPathRole, reff: Double, _ p: OctahedronParameters) -> PathParameters {
    let r0 = grid.reference.bondLength
    var out = PathParameters(s02: p.s02, e0: p.e0)
    switch role {
    case .firstShell:
      out.deltar = p.deltaR; out.sigma2 = p.sigma2FirstShell
    case .outerShell(let j):
      out.deltar = p.shellDeltaR[j]; out.sigma2 = p.shellSigma2[j]
    case .ligandMS:
      out.deltar = p.deltaR * reff / r0; out.sigma2 = p.sigma2MS
    case .outerMS(let j):
      out.deltar = reff * (p.deltaR / r0 + p.shellDeltaR[j] / grid.reference.shells[j].distance) / 2
      out.sigma2 = p.sigma2MS
    }
    return out
  }

  /// Groups of the model chi(k): first shell, each outer shell, ligand multiple scattering, and
  /// multiple scattering with outer-shell atoms (summed over shells), weighted over the nodes.
  /// With `splitLigandMS` the ligand multiple scattering is split by path length into
  /// `ligand_ms_focused` (reff >= 1.85 R0: the nearly collinear M-X-M-X, X-M-X' paths at about 2 R0,
  /// R0 (1 + sin(theta/2)) >= 1.94 R0 down to 140 degrees) and `ligand_ms_triangles` (the M-X-X'
  /// triangles over cis ligands at about (1 + 1/sqrt 2) R0 = 1.71 R0); the two sum to `ligand_ms`.
  public func groups(k: [Double], parameters p: OctahedronParameters, splitLigandMS: Bool = false) -> [(name: String, chi: [Double])] {
    let w = nodeWeights(bend: p.bend, spread: p.spread)
    let nShells = grid.reference.shells.count
    let r0 = grid.reference.bondLength
    let extra = splitLigandMS ? 1 : 0
    var sums = [[Double]](repeating: [Double](repeating: 0, count: k.count), count: 3 + nShells + extra)
    for (node, weight) in w.enumerated() where abs(weight) > 1e-12 {
      for op in grid.paths[node] {
        let g: Int
        switch op.role {
        case .firstShell: g = 0
        case .outerShell(let j): g = 1 + j
        case .ligandMS: g = 1 + nShells + (splitLigandMS && op.path.file.reff < 1.85 * r0 ? 1 : 0)
        case .outerMS: g = 2 + nShells + extra
        }
        let chi = op.path.chi(k: k, parameters: pathParameters(op.role, reff: op.path.file.reff, p)).chi
        for i in 0..<k.count { sums[g][i] += weight * chi[i] }
      }
    }
    var names = ["first_shell"]
    for s in grid.reference.shells { names.append("shell_\(s.element)\(s.count)") }
    names += splitLigandMS ? ["ligand_ms_focused", "ligand_ms_triangles", "outer_ms"] : ["ligand_ms", "outer_ms"]
    return zip(names, sums).map { ($0, $1) }
  }

  /// chi(k) of the model at `k`.
  public func chi(k: [Double], parameters p: OctahedronParameters) -> [Double] {
    var total = [Double](repeating: 0, count: k.count)
    for g in groups(k: k, parameters: p) { for i in 0..<k.count { total[i] += g.chi[i] } }
    return total
  }
}
