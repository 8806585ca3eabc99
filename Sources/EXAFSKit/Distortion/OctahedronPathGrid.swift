// FEFF paths of the octahedron on a grid of trans angles, one FEFF6 run per angle, cached on disk by a hash of feff.inp.
import Foundation

/// The role of a path in the octahedron model (which fit parameters act on it).
public enum OctahedronPathRole: Sendable, Equatable, Codable {
  /// Absorber-ligand single scattering.
  case firstShell
  /// Single scattering to outer shell `index`.
  case outerShell(Int)
  /// Multiple scattering among the absorber and ligands only.
  case ligandMS
  /// Multiple scattering that visits an atom of outer shell `index`.
  case outerMS(Int)
}

/// One FEFF path at one grid angle with its role.
public struct OctahedronPath: Sendable {
  public let path: FeffPath
  public let role: OctahedronPathRole
}

/// Settings of the angle grid and its FEFF runs.
public struct OctahedronGridSettings: Sendable, Codable, Equatable {
  /// Most bent trans angle of the grid, degrees (default 140; the grid starts at 180) and the step (2.5).
  public var minAngle: Double = 140
  public var step: Double = 2.5
  /// FEFF edge (default L3), RMAX in Å (default 5) and NLEG (default 4).
  public var edge: String = "L3"
  public var rmax: Double = 5
  public var nleg: Int = 4
  /// FEFF executable (default /usr/bin/feff6l, then feff6l in PATH).
  public var executable: String?
  /// Folder of the cache of FEFF runs (one subfolder per feff.inp hash); nil: a temporary folder
  /// removed after the run.
  public var cacheDirectory: String?

  public init() {}

  /// The grid's bends 180 - angle, degrees, from 0 upwards.
  public var bends: [Double] {
    let n = Int(((180 - minAngle) / step + 1e-9).rounded(.down))
    return (0...max(n, 1)).map { Double($0) * step }
  }
}

/// The octahedron's FEFF paths at every grid angle.
public struct OctahedronPathGrid: Sendable {
  /// The geometry at 180 degrees (bond length and shells as the FEFF reference).
  public let reference: OctahedronGeometry
  public let settings: OctahedronGridSettings
  /// Bends (180 - angle, degrees) of the grid nodes, 0, step, 2 step, ...
  public let bends: [Double]
  /// Paths of each node.
  public let paths: [[OctahedronPath]]
  /// How many nodes came from the cache and how many were run now.
  public let cachedRuns: Int
  public let newRuns: Int

  /// Runs FEFF (or reads the cache) for every grid angle.
  /// - Throws: the errors of `runFeff`; `.invalidParameter("angle_grid", ...)` for a grid without
  ///   two angles.
  public init(reference: OctahedronGeometry, settings: OctahedronGridSettings) throws {
    guard settings.step > 0, settings.minAngle >= 90, settings.minAngle <= 180 - settings.step else {
      throw EXAFSError.invalidParameter(
        "angle_grid", "needs 90 <= min angle <= 180 - step and a positive step (got min \(settings.minAngle), step \(settings.step))")
    }
    self.reference = reference
    self.settings = settings
    bends = settings.bends
    let fm = FileManager.default
    let cache: String
    var temporary: String?
    if let c = settings.cacheDirectory {
      cache = c
    } else {
      cache = fm.temporaryDirectory.appendingPathComponent("exafs-octahedron-\(UUID().uuidString)").path
      temporary = cache
    }
    defer { if let temporary { try? fm.removeItem(atPath: temporary) } }
    try fm.createDirectory(atPath: cache, withIntermediateDirectories: true)
    var feffParameters = FeffRunParameters()
    feffParameters.edge = settings.edge
    feffParameters.rmax = settings.rmax
    feffParameters.nleg = settings.nleg
    feffParameters.executable = settings.executable
    var all: [[OctahedronPath]] = []
    var cached = 0, fresh = 0
    for bend in bends {
      var g = reference
      g.transAngle = 180 - bend
      let inp = try g.feffInput(edge: settings.edge, rmax: settings.rmax, nleg: settings.nleg)
      let dir = (cache as NSString).appendingPathComponent(String(format: "%016llx", fnv1a64(inp)))
      if (try? String(contentsOfFile: (dir as NSString).appendingPathComponent("feff.inp"), encoding: .utf8)) == inp,
        fm.fileExists(atPath: (dir as NSString).appendingPathComponent("paths.json"))
      {
        cached += 1
      } else {
        let tmp = dir + ".tmp-\(UUID().uuidString)"
        try fm.createDirectory(atPath: tmp, withIntermediateDirectories: true)
        do {
          _ = try runFeff(input: inp, outdir: tmp, parameters: feffParameters)
        } catch {
          try? fm.removeItem(atPath: tmp)
          throw error
        }
        try? fm.removeItem(atPath: dir)
        try fm.moveItem(atPath: tmp, toPath: dir)
        fresh += 1
      }
      let names = try fm.contentsOfDirectory(atPath: dir).filter { $0.hasPrefix("feff") && $0.hasSuffix(".dat") && $0.count == 12 }.sorted()
      all.append(try names.map { name in
        let p = try FeffPath(path: (dir as NSString).appendingPathComponent(name))
        return OctahedronPath(path: p, role: Self.role(of: p.file, geometry: reference))
      })
    }
    paths = all
    cachedRuns = cached
    newRuns = fresh
  }

  /// The role of a path: single scattering to the ligand or to the outer shell of that element
  /// nearest in distance; multiple scattering among ligands, or visiting an outer shell (the first
  /// outer-shell atom met decides which).
  static func role(of f: FeffPathFile, geometry g: OctahedronGeometry) -> OctahedronPathRole {
    let ligand = g.ligand.lowercased()
    func shellIndex(_ a: FeffPathAtom) -> Int? {
      let r = (a.x * a.x + a.y * a.y + a.z_ * a.z_).squareRoot()
      let candidates = g.shells.indices.filter { g.shells[$0].element.lowercased() == a.symbol.lowercased() }
      return candidates.min { abs(g.shells[$0].distance - r) < abs(g.shells[$1].distance - r) }
    }
    let scatterers = f.atoms.dropFirst().filter { $0.ipot != 0 }
    if f.nleg == 2, let s = scatterers.first {
      if s.symbol.lowercased() == ligand, shellIndex(s) == nil || abs(f.reff - g.bondLength) < 0.3 { return .firstShell }
      if let i = shellIndex(s) { return .outerShell(i) }
      return .firstShell
    }
    for s in scatterers where s.symbol.lowercased() != ligand || abs((s.x * s.x + s.y * s.y + s.z_ * s.z_).squareRoot() - g.bondLength) > 0.3 {
      if let i = shellIndex(s) { return .outerMS(i) }
    }
    return .ligandMS
  }
}

/// 64-bit FNV-1a hash of the UTF-8 bytes of `text` (the cache key of a FEFF input).
func fnv1a64(_ text: String) -> UInt64 {
  var h: UInt64 = 0xcbf2_9ce4_8422_2325
  for b in text.utf8 {
    h ^= UInt64(b)
    h = h &* 0x0000_0100_0000_01b3
  }
  return h
}
