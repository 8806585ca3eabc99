// `exafs calibrate REF --e0 E | --element X [--edge K]`: the energy shift that puts a reference's E0 on its edge.
import ArgumentParser
import EXAFSKit
import Foundation

struct Calibrate: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Find the energy shift that puts a reference foil's E0 on its tabulated edge energy.",
    discussion: """
      E0 of the reference is the maximum of the smoothed derivative (as process finds it). The shift \
      eshift = tabulated - measured is printed and, with -o, written as JSON; apply it to the sample \
      with `exafs process SAMPLE --eshift-from FILE.json` (or --eshift VALUE). Edge energies come from \
      the Elam, Ravel & Sieber tables (as xraydb has them).
      """)

  @Argument(help: "Reference spectrum (e.g. the metal foil measured beside the sample).")
  var reference: String
  @Option(help: "Tabulated edge energy to calibrate to, eV.")
  var e0: Double?
  @Option(help: "Element of the reference's edge (symbol), to take the tabulated energy from the table.")
  var element: String?
  @Option(help: "Edge: K, L1, L2 or L3 (default K).")
  var edge: String = "K"
  @Option(name: [.short, .customLong("output")], help: "Write the calibration as JSON to this file.")
  var output: String?
  @OptionGroup var input: InputOptions

  func validate() throws {
    if (e0 == nil) == (element == nil) { throw ValidationError("give the tabulated edge as --e0 EV or --element X [--edge K]") }
    if let e0, !(e0 > 0 && e0 < 1e6) { throw ValidationError("--e0 must be an edge energy in eV, got \(e0)") }
  }

  func run() throws {
    try reportingErrors {
      let tabulated: Double
      let source: String
      if let e0 {
        tabulated = e0
        source = "given"
      } else {
        let symbol = element ?? ""
        tabulated = try tabulatedEdgeEnergy(element: symbol, edge: edge)
        source = "Elam, Ravel & Sieber tables: \(symbol) \(edge.uppercased())"
      }
      let scan = try readOneScan(reference, options: input.readOptions)
      let calibration = try Calibration.of(scan, tabulated: tabulated, source: source)
      print(
        "\(reference): E0 \(scanText(calibration.measuredE0)) eV, tabulated \(scanText(tabulated)) eV (\(source)): "
          + "eshift \(signed(calibration.eshift)) eV")
      if let output {
        try AtomicWriter.write(try calibration.json(), to: output)
        print("calibration: \(output) (use exafs process --eshift-from \(output))")
      }
    }
  }
}
