// The octahedron model's options, shared by `exafs octahedron` and `exafs compare --octahedron`.
import ArgumentParser
import EXAFSKit
import Foundation

/// The MX6 model, its FEFF angle grid and the fit transform (Docs/distortion.md).
struct OctahedronModelOptions: ParsableArguments {
  @Option(help: "Absorbing element M (required for an octahedron fit).") var absorber: String?
  @Option(help: "Ligand element X (six at --bond; required for an octahedron fit).") var ligand: String?
  @Option(help: "Absorption edge: K, L1, L2 or L3.") var edge = "L3"
  @Option(help: "M-X distance of the FEFF reference, Å (the fit refines it).") var bond = 2.35
  @Option(help: "Outer shell ELEMENT:N:R (N = 6 axes, 8 cube corners, 12 cube edges; repeatable), e.g. Na:8:3.9.")
  var shell: [String] = []
  @Option(help: "Most bent trans angle of the FEFF grid, degrees.") var minAngle = 140.0
  @Option(help: "Step of the FEFF angle grid, degrees.") var angleStep = 2.5
  @Option(help: "Fixed standard deviation of a Gaussian distribution of trans angles, degrees.") var angleSpread = 0.0
  @Option(help: "FEFF RMAX, Å.") var feffRmax = 5.0
  @Option(help: "FEFF NLEG.") var nleg = 4
  @Option(help: "FEFF executable (default /usr/bin/feff6l).") var feff: String?
  @Option(help: "Cache folder of FEFF runs (default ~/.cache/exafs/octahedron).") var cache: String?
  @Option(help: "Fit k range start, 1/Å.") var fitKmin = 3.0
  @Option(help: "Fit k range end, 1/Å.") var fitKmax = 14.0
  @Option(help: "k window taper, 1/Å.") var fitDk = 1.0
  @Option(help: "k-weight of the fit.") var fitKweight = 2.0
  @Option(help: "Fit R range start, Å.") var fitRmin = 1.2
  @Option(help: "Fit R range end, Å.") var fitRmax = 5.0

  /// Checks the ranges (always) and, when `required`, that --absorber and --ligand are given.
  func check(required: Bool, command: String) throws {
    if required, absorber == nil || ligand == nil {
      throw ValidationError("\(command) needs --absorber and --ligand (e.g. --absorber Ta --ligand Cl)")
    }
    guard angleStep > 0, minAngle >= 90, minAngle <= 180 - angleStep else {
      throw ValidationError("--min-angle must be 90 ... 180 - --angle-step and --angle-step positive")
    }
    guard angleSpread >= 0 else { throw ValidationError("--angle-spread must not be negative") }
    guard fitKmin < fitKmax, fitRmin < fitRmax, bond > 0.5 else { throw ValidationError("need --fit-kmin < --fit-kmax, --fit-rmin < --fit-rmax and a --bond above 0.5 Å") }
    _ = try shells()
  }

  /// The parsed --shell values.
  /// - Throws: `ValidationError` naming the bad value.
  func shells() throws -> [OuterShell] {
    do { return try shell.map { try OuterShell(parsing: $0) } } catch let e as EXAFSError {
      throw ValidationError(e.description)
    }
  }

  /// The FEFF grid (run or read from the cache) for the reference geometry at 180 degrees.
  /// - Throws: `ValidationError` for a bad --shell; the grid's `EXAFSError`s.
  func grid() throws -> OctahedronPathGrid {
    let geometry = OctahedronGeometry(
      absorber: absorber ?? "", ligand: ligand ?? "", bondLength: bond, transAngle: 180, shells: try shells())
    var settings = OctahedronGridSettings()
    settings.minAngle = minAngle
    settings.step = angleStep
    settings.edge = edge
    settings.rmax = feffRmax
    settings.nleg = nleg
    settings.executable = feff
    settings.cacheDirectory = cache ?? Self.defaultCache()
    return try OctahedronPathGrid(reference: geometry, settings: settings)
  }

  /// The fit options (transform, angle spread; the M-X distance starts at the FEFF reference).
  func fitOptions() -> OctahedronFitOptions {
    var options = OctahedronFitOptions()
    options.transform.kmin = fitKmin; options.transform.kmax = fitKmax; options.transform.dk = fitDk
    options.transform.kweight = [fitKweight]; options.transform.rmin = fitRmin; options.transform.rmax = fitRmax
    options.angleSpread = angleSpread
    options.start.deltaR = 0
    return options
  }

  static func defaultCache() -> String {
    let env = ProcessInfo.processInfo.environment
    let base = env["XDG_CACHE_HOME"] ?? ((env["HOME"] ?? NSTemporaryDirectory()) as NSString).appendingPathComponent(".cache")
    return ((base as NSString).appendingPathComponent("exafs") as NSString).appendingPathComponent("octahedron")
  }
}
