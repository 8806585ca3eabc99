// `exafs feff CLUSTER -o DIR`: FEFF6 paths of a small cluster (XYZ or feff.inp) with Debian's feff6l.
import ArgumentParser
import EXAFSKit
import Foundation

struct Feff: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Run FEFF6 (feff6l) on a cluster and list its scattering paths.",
    discussion: """
      CLUSTER is an XYZ file (element symbol and x y z in Å per line, absorber first) or a feff.inp \
      (passed through unchanged). Writes DIR/feff.inp, DIR/feffNNNN.dat and DIR/paths.json.
      """)

  @Argument(help: "Cluster file: XYZ (absorber first) or feff.inp.") var cluster: String
  @Option(name: [.short, .customLong("output")], help: "Output folder (created if missing).") var outdir: String
  @Option(help: "Absorption edge: K, L1, L2, L3 (default L3).") var edge: String = "L3"
  @Option(help: "Longest half path length, Å (default 5).") var rmax: Double = 5
  @Option(help: "Most legs per path (default 4).") var nleg: Int = 4
  @Option(help: "FEFF6 executable (default: /usr/bin/feff6l, else feff6l in PATH).") var feff: String?

  func validate() throws {
    if !["K", "L1", "L2", "L3"].contains(edge.uppercased()) { throw ValidationError("--edge must be K, L1, L2 or L3") }
    if !(rmax > 0 && rmax <= 12) { throw ValidationError("--rmax must be between 0 and 12 Å") }
    if !(2...8).contains(nleg) { throw ValidationError("--nleg must be 2 ... 8") }
  }

  func run() throws {
    var p = FeffRunParameters()
    p.edge = edge; p.rmax = rmax; p.nleg = nleg; p.executable = feff
    do {
      let inp = try feffInput(clusterPath: cluster, parameters: p)
      try createDirectory(outdir)
      let paths = try runFeff(input: inp, outdir: outdir, parameters: p)
      print("file           reff    degen  nleg  importance  atoms")
      for s in paths {
        print(String(format: "%@  %7.4f  %6.2f  %4d  %9.2f  %@", s.file, s.reff, s.degen, s.nleg, s.importance ?? .nan, s.atoms.joined(separator: "-")))
      }
      print("Wrote \(paths.count) paths and paths.json to \(outdir)")
    } catch let error as EXAFSError {
      printError("error: \(error.description)")
      throw ExitCode.failure
    }
  }
}
