// `exafs deglitch FILE -o out.dat`: remove points in energy ranges and/or outliers flagged automatically.
import ArgumentParser
import EXAFSKit
import Foundation

struct Deglitch: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Remove glitches from a scan: points in given energy ranges, or outliers from a local smooth fit.",
    discussion: """
      Removed points are dropped, not replaced (as Athena does). --auto predicts every point from a \
      quadratic through its 8 nearest neighbours and removes a point whose residual exceeds --sigma \
      times the local robust noise (1.4826 MAD) and the neighbours' own misfit. Every removed point \
      is printed and listed in the output header. Output columns: energy mu (and i0 when known).
      """)

  @Argument(help: "The scan: a column or XDI file, or an Athena project narrowed to one group with --group.")
  var inputFile: String
  @Option(name: [.short, .customLong("output")], help: "Column file to write.")
  var output: String
  @Option(help: "Remove the points with energies in E1:E2, eV (absolute; repeatable).")
  var remove: [String] = []
  @Flag(help: "Also remove outliers found automatically.")
  var auto = false
  @Option(help: "Threshold of --auto in robust noise units, at least 2.")
  var sigma: Double = 5
  @OptionGroup var input: InputOptions
  @OptionGroup var range: EnergyRangeOptions

  func validate() throws {
    guard !remove.isEmpty || auto || range.isSet else {
      throw ValidationError("nothing to remove: give --remove E1:E2, --auto, or --emin/--emax")
    }
    guard sigma.isFinite, sigma >= 2 else { throw ValidationError("--sigma must be at least 2, got \(sigma)") }
    do {
      _ = try ranges()
    } catch let error as EXAFSError {
      throw ValidationError(error.commandLineDescription)
    }
  }

  func ranges() throws -> [EnergyRange] { try remove.map { try EnergyRange(parsing: $0) } }

  func run() throws {
    try checkOutputs(files: [("output", output)], inputs: [inputFile])
    try reportingErrors {
      let scan = try range.apply(readOneScan(inputFile, options: input.readOptions))
      var parameters = DeglitchParameters()
      parameters.remove = try ranges()
      parameters.automatic = auto
      parameters.sigma = sigma
      let result = try deglitch(scan, parameters: parameters)
      var header = ["EXAFSKit \(exafsKitVersion): \(scan.name) deglitched"] + provenance(scan) + range.headerLines
      if !parameters.remove.isEmpty {
        header.append("deglitch.ranges: " + parameters.remove.map(\.description).joined(separator: ", ") + " eV")
      }
      if auto { header.append("deglitch.auto: local quadratic, 2 x \(parameters.neighbours) neighbours, sigma \(sigma)") }
      header.append("deglitch.removed: \(result.removed.count) points")
      print("\(scan.name): removed \(result.removed.count) of \(scan.energy.count) points -> \(output)")
      for (i, point) in result.removed.enumerated() {
        let why = point.score.map { "outlier, \(String(format: "%+.1f", $0)) noise units" } ?? "in a --remove range"
        let line = "E = \(scanText(point.energy)) eV, mu = \(scanText(point.mu)) (\(why))"
        print("  \(line)")
        header.append("deglitch.point.\(i + 1): \(line)")
      }
      for note in result.notes {
        printError("note: \(note)")
        header.append("note. \(note)")
      }
      try AtomicWriter.write(result.spectrum.columnFileText(header: header), to: output)
    }
  }
}
