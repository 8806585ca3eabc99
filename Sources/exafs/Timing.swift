// `exafs timing FILE`: time of each pipeline stage for one spectrum (used by `make bench`).
import ArgumentParser
import EXAFSKit
import Foundation

struct Timing: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Time each stage of the pipeline on one spectrum (mean over repetitions, milliseconds).")

  @Argument(help: "Input file (its first spectrum is used).") var input: String
  @Option(help: "Repetitions per stage.") var repetitions: Int = 50
  @OptionGroup var inputOptions: InputOptions

  func validate() throws {
    if self.repetitions < 1 { throw ValidationError("--repetitions must be at least 1") }
  }

  func run() throws {
    let options = inputOptions.readOptions
    func time<T>(_ label: String, _ body: () throws -> T) rethrows -> T {
      var result = try body()  // warm-up (plans, caches)
      let start = DispatchTime.now().uptimeNanoseconds
      for _ in 0..<self.repetitions { result = try body() }
      let ms = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6 / Double(self.repetitions)
      print(label.padding(toLength: 32, withPad: " ", startingAt: 0) + String(format: "%9.3f ms", ms))
      return result
    }
    let inputs = try time("read", { try SpectrumReader.read(path: input, options: options) })
    guard case .mu(let spectrum) = inputs.first else {
      throw ValidationError("timing needs a mu(E) spectrum")
    }
    let normalized = try time("pre_edge (normalize)", { try normalize(spectrum) })
    let chik = try time("autobk", { try autobk(normalized) })
    var ft = FTParameters()
    ft.kmin = 2
    ft.kmax = max(3, (chik.k.last ?? 12) - 1)
    _ = time("xftf", { FourierTransform.forward(k: chik.k, chi: chik.chi, parameters: ft) })
    var morlet = WaveletParameters()
    morlet.rmax = 6
    _ = try time("morlet map (k 0-kmax, R 0-6)", { try WaveletTransform.map(chik, parameters: morlet) })
    var cauchy = WaveletParameters()
    cauchy.kind = .cauchy
    cauchy.rmax = 6
    _ = try time("cauchy map (Larch-compatible)", { try WaveletTransform.map(chik, parameters: cauchy) })
  }
}
