// First-shell fits recover known structures: the FEFF TaCl6 simulation (through process), real Ta
// metal and real K2PtCl6 (measured, read from ../shared/data/real when present).
import Foundation
import Testing

@testable import EXAFSKit
@testable import EXAFSPlot
@testable import EXAFSReport

struct FitRecoveryTests {
  func model(_ name: String) throws -> FitModel {
    try FitModel(path: fittingFixtures().appendingPathComponent("recovery/\(name).model.json").path)
  }

  /// ../shared/data/real/<file> beside the repository.
  static func realData(_ file: String) -> String {
    repositoryRoot().deletingLastPathComponent().appendingPathComponent("shared/data/real/\(file)").path
  }

  static let taMetal = realData("ta-l3/Ta-L3-Ta.xdi")
  static let k2ptcl6 = realData("l3-neighbours/Pt-L3-PotassiumHexaChloroPlatinate.xdi")

  /// The simulated transmission scan (S0^2 0.9, sigma2 0.004, Ta-Cl 2.37 A, noise 2e-4 in mu),
  /// processed with the pipeline's defaults: R and sigma2 within one uncertainty
  /// (reached: R = 2.3708 +- 0.0036, sigma2 = 0.00413 +- 0.00043, S0^2 0.957 +- 0.045).
  @Test func tacl6SimulationRecoversBondLengthAndDisorder() throws {
    let path = repositoryRoot().appendingPathComponent("SampleSpectra/simulated/tacl6_bend00_sim_transmission.dat").path
    let result = try feffit(model: try model("tacl6-first-shell"), data: [try FitData.read(path: path)])
    let p = try #require(result.datasets.first?.paths.first)
    #expect(abs(p.r - 2.37) <= p.rUncertainty, "R = \(p.r) +- \(p.rUncertainty)")
    #expect(abs(p.sigma2 - 0.004) <= p.sigma2Uncertainty, "sigma2 = \(p.sigma2) +- \(p.sigma2Uncertainty)")
    let amp = try #require(result.parameters["amp"])
    #expect(abs(amp.value - 0.9) <= 2 * amp.uncertainty, "S0^2 = \(amp.value) +- \(amp.uncertainty)")
  }

  /// bcc Ta (a = 3.3058 A): first shell at 2.86 A within 0.02 A (reached 2.850 +- 0.005).
  @Test(
    .enabled(
      if: FileManager.default.fileExists(atPath: taMetal),
      "skipped: ../shared/data/real/ta-l3/Ta-L3-Ta.xdi is absent (measured spectra are kept beside the repository, not in it)"))
  func tantalumMetalFirstShell() throws {
    let path = Self.taMetal
    let data = try FitData.read(path: path, options: ReadOptions(mu: "ln(i0/itrans)"))
    let result = try feffit(model: try model("ta-metal"), data: [data])
    let r = try #require(result.datasets.first?.paths.first).r
    #expect(abs(r - 2.86) <= 0.02, "Ta-Ta first shell R = \(r)")
  }

  /// K2PtCl6: Pt-Cl 2.32 A within 0.02 A (reached 2.314 +- 0.007).
  @Test(
    .enabled(
      if: FileManager.default.fileExists(atPath: k2ptcl6),
      "skipped: ../shared/data/real/l3-neighbours/Pt-L3-PotassiumHexaChloroPlatinate.xdi is absent (measured spectra are kept beside the repository, not in it)"))
  func potassiumHexachloroplatinateFirstShell() throws {
    let path = Self.k2ptcl6
    let data = try FitData.read(path: path, options: ReadOptions(mu: "ln(I0/It)"))
    let result = try feffit(model: try model("k2ptcl6"), data: [data])
    let r = try #require(result.datasets.first?.paths.first).r
    #expect(abs(r - 2.32) <= 0.02, "Pt-Cl R = \(r)")
  }
}
