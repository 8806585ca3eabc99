// exafs: the command-line front end of EXAFSKit. One subcommand per file; no science here.
import ArgumentParser
import EXAFSKit

@main
struct EXAFSCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "exafs",
    abstract: "EXAFS processing: normalized mu(E), chi(k) and Fourier transforms, matching Larch.",
    discussion: """
      Exit status: 0 all inputs processed; 1 one or more inputs failed (each is reported with its \
      file, line and column); 64 invalid command line.
      """,
    version: exafsKitVersion,
    subcommands: [
      Process.self, Compare.self, Info.self, Parameters.self, View.self, Fit.self, Feff.self, Octahedron.self, LCF.self,
      PCA.self, Timing.self, Merge.self, Summary.self, Align.self, Calibrate.self, Deglitch.self, Rebin.self, Truncate.self,
    ]
  )

  static func main() {
    // Process-wide switches belong to the program, not the library.
    BatchMemory.keepFreedMemory()
    GSLErrorHandling.turnOffAbort()
    self.main(nil)
  }
}
