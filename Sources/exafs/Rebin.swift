// `exafs rebin FILE -o out.dat`: mu(E) onto the three-region EXAFS grid, as Larch's rebin_xafs.
import ArgumentParser
import EXAFSKit
import Foundation

struct Rebin: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Rebin a scan onto the usual EXAFS grid: pre-edge and XANES steps in energy, constant k step above.",
    discussion: """
      Follows Larch's rebin_xafs, with its defaults: pre-edge from the first point to E0-30 eV in 2 eV \
      steps, XANES to E0+15 eV in E0/25000 steps (rounded down to 0.05 eV), then a 0.05 1/Å k grid to \
      the end; each new point is the boxcar mean of the input points in its bin (linear interpolation \
      where a bin holds fewer than 3). Output columns: energy mu delta_mu (spread within each bin).
      """)

  @Argument(help: "The scan: a column or XDI file, or an Athena project narrowed to one group with --group.")
  var inputFile: String
  @Option(name: [.short, .customLong("output")], help: "Column file to write.")
  var output: String
  @Option(help: "Edge energy E0, eV (default: maximum of the smoothed derivative, as Larch's find_e0).")
  var e0: Double?
  @Option(help: "Start of the pre-edge region, eV relative to E0 (default: the first point).")
  var pre1: Double?
  @Option(help: "End of the pre-edge region, eV relative to E0.")
  var pre2: Double = -30
  @Option(help: "Pre-edge energy step, eV.")
  var preStep: Double = 2
  @Option(help: "XANES energy step, eV (default: 0.05 x max(1, int(E0/1250))).")
  var xanesStep: Double?
  @Option(help: "Start of the EXAFS region, eV relative to E0.")
  var exafs1: Double = 15
  @Option(help: "End of the EXAFS region, eV relative to E0 (default: the last point).")
  var exafs2: Double?
  @Option(help: "EXAFS k step, 1/Å.")
  var exafsKstep: Double = 0.05
  @Option(help: "Bin value: boxcar (mean), centroid or spline.")
  var method: String = "boxcar"
  @OptionGroup var input: InputOptions
  @OptionGroup var range: EnergyRangeOptions

  func validate() throws {
    guard RebinParameters.Method(rawValue: method.lowercased()) != nil else {
      throw ValidationError("--method must be boxcar, centroid or spline, got '\(method)'")
    }
    for (name, step) in [("--pre-step", preStep), ("--xanes-step", xanesStep ?? 1), ("--exafs-kstep", exafsKstep)]
    where !(step.isFinite && step > 0) {
      throw ValidationError("\(name) must be a positive step, got \(step)")
    }
  }

  var parameters: RebinParameters {
    var p = RebinParameters()
    p.e0 = e0
    p.pre1 = pre1
    p.pre2 = pre2
    p.preStep = preStep
    p.xanesStep = xanesStep
    p.exafs1 = exafs1
    p.exafs2 = exafs2
    p.exafsKstep = exafsKstep
    p.method = RebinParameters.Method(rawValue: method.lowercased()) ?? .boxcar
    return p
  }

  func run() throws {
    try checkOutputs(files: [("output", output)], inputs: [inputFile])
    try reportingErrors {
      let scan = try range.apply(readOneScan(inputFile, options: input.readOptions))
      let result = try rebin(scan, parameters: parameters)
      let p = result.parameters
      try AtomicWriter.write(result.columnFileText(extraHeader: provenance(scan) + range.headerLines), to: output)
      print(
        "\(scan.name): \(scan.energy.count) -> \(result.spectrum.energy.count) points (E0 = \(scanText(p.e0)) eV; "
          + "pre-edge \(scanText(p.preStep)) eV, XANES \(scanText(p.xanesStep)) eV, "
          + "EXAFS k \(scanText(p.exafsKstep)) 1/Å; "
          + "\(p.method.rawValue)) -> \(output)")
    }
  }
}
