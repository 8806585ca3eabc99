// `exafs truncate FILE -o out.dat --emin E1 --emax E2`: keep only the points inside an energy range.
import ArgumentParser
import EXAFSKit
import Foundation

struct Truncate: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Keep only the points of a scan between --emin and --emax (absolute energies, eV).",
    discussion: "Output columns: energy mu (and i0 when known). merge, deglitch and rebin take --emin/--emax too.")

  @Argument(help: "The scan: a column or XDI file, or an Athena project narrowed to one group with --group.")
  var inputFile: String
  @Option(name: [.short, .customLong("output")], help: "Column file to write.")
  var output: String
  @OptionGroup var input: InputOptions
  @OptionGroup var range: EnergyRangeOptions

  func validate() throws {
    guard range.isSet else { throw ValidationError("give --emin and/or --emax (eV)") }
  }

  func run() throws {
    try checkOutputs(files: [("output", output)], inputs: [inputFile])
    try reportingErrors {
      let scan = try readOneScan(inputFile, options: input.readOptions)
      let cut = try range.apply(scan)
      let header = ["EXAFSKit \(exafsKitVersion): \(scan.name) truncated"] + provenance(scan) + range.headerLines
      try AtomicWriter.write(cut.columnFileText(header: header), to: output)
      print(
        "\(scan.name): kept \(cut.energy.count) of \(scan.energy.count) points, "
          + "\(scanText(cut.energy.first)) to \(scanText(cut.energy.last)) eV -> \(output)")
    }
  }
}
