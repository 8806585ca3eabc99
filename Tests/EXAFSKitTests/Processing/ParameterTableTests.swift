// The parameter table drives parsing, checks, NAME.json and the Athena names; these tests pin it.
import Foundation
import Testing

@testable import EXAFSKit
@testable import EXAFSPlot
@testable import EXAFSReport

struct ParameterTableTests {
  @Test func namesAreUniqueAndFlagsFollowLarchNames() {
    let names = ProcessingParameter.all.map(\.name)
    #expect(Set(names).count == names.count)
    let athena = ProcessingParameter.all.compactMap(\.athenaName)
    #expect(Set(athena).count == athena.count)
    #expect(ProcessingParameter.named("bkg_kweight")?.flag == "--bkg-kweight")
    #expect(ProcessingParameter.named("bkg_kweight")?.propertyName == "bkgKweight")
    #expect(ProcessingParameter.named("rmax_out")?.propertyName == "rmaxOut")
    #expect(AthenaParameters.rulesByName["bkg_kwindow"]?.canonicalName == "bkg_window")
  }

  @Test func everyParameterRoundTripsThroughSettings() throws {
    // Setting each parameter from text to a value inside its range reads back the same value.
    for p in ProcessingParameter.all {
      var s = ProcessingSettings()
      let text: String
      switch p.kind {
      case .window: text = "welch"
      case .choice(let words): text = words.last ?? ""
      case .integer: text = String(Int(p.range!.lowerBound) + 1)
      case .real: text = p.name == "e0" ? "9881.5" : (p.range!.lowerBound < 0 ? "-7.5" : "0.75")
      }
      try s.set(p.name, text: text, source: .commandLine)
      #expect(s.sources[p.name] == .commandLine)
      switch s[p] {
      case .window(let w): #expect(w == .welch, "\(p.name)")
      case .choice(let c): #expect(c == text, "\(p.name)")
      case .integer(let n): #expect(n.map(String.init) == text, "\(p.name)")
      case .real(let x): #expect(x == Double(text), "\(p.name)")
      }
    }
  }

  @Test func outOfRangeValuesNameTheParameter() {
    #expect(throws: EXAFSError.invalidParameter("rbkg", "must be > 0 and < 10 Å, got 12.0")) {
      _ = try ProcessingSettings.resolve(given: ["rbkg": "12"])
    }
    #expect(throws: EXAFSError.invalidParameter("nnorm", "must be 0 ... 5, got 7")) {
      _ = try ProcessingSettings.resolve(given: ["nnorm": "7"])
    }
    #expect(throws: EXAFSError.invalidParameter("bkg_window", "unknown window 'square'; use one of hanning, parzen, welch, kaiser, sine, gaussian")) {
      _ = try ProcessingSettings.resolve(given: ["bkg_window": "square"])
    }
    #expect(throws: EXAFSError.invalidParameter("kmax", "kmax (3.0) must be larger than kmin (5.0)")) {
      _ = try ProcessingSettings.resolve(given: ["kmin": "5", "kmax": "3"])
    }
  }

  @Test func processValidatesSettingsBeforeAnyWork() throws {
    // A library caller that sets a field directly gets the same typed error, not a trap.
    var settings = ProcessingSettings()
    settings.fourier.kmax = 1e300
    let chi = ChiSpectrum(name: "x", k: (0..<300).map { Double($0) * 0.05 }, chi: [Double](repeating: 0.01, count: 300), source: "x.chi")
    #expect(throws: EXAFSError.invalidParameter("kmax", "must be 0 ... 100 1/Å, got 1e+300")) {
      _ = try process(.chi(chi), settings: settings)
    }
  }

  @Test func athenaEncodingsDecodeAndEncode() throws {
    // Demeter: bkg_nnorm is a number of terms (3 = quadratic), clamps may be words, bkg_e0 = 0 is unset.
    let s = try ProcessingSettings.resolve(
      stored: AthenaParameters.interpret(
        ["bkg_nnorm": "3", "bkg_clamp2": "Strong", "bkg_e0": "0", "fft_kwindow": "kaiser-bessel", "bkg_kwindow": "welch"]
      ).values)
    #expect(s.normalization.nnorm == 2)
    #expect(s.autobk.clampHi == 24)
    #expect(s.normalization.e0 == nil && s.sources["e0"] == nil)
    #expect(s.fourier.window == .kaiser)
    #expect(s.autobk.window == .welch)
    #expect(s.sources["nnorm"] == .file)
    let nnorm = try #require(ProcessingParameter.named("nnorm"))
    #expect(nnorm.athenaText(.integer(2)) == "3")
    #expect(ProcessingParameter.named("window")?.athenaText(.window(.kaiser)) == "kaiser-bessel")
  }

  @Test func storedValueErrorsSayTheyCameFromTheFile() {
    #expect(throws: EXAFSError.invalidParameter("rbkg (stored in the file as bkg_rbkg)", "must be > 0 and < 10 Å, got 25.0")) {
      _ = try ProcessingSettings.resolve(stored: AthenaParameters.interpret(["bkg_rbkg": "25"]).values)
    }
  }

  @Test func docsTableIsTheGeneratedOne() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
    let doc = try String(contentsOf: root.appendingPathComponent("Docs/pipeline.md"), encoding: .utf8)
    #expect(doc.contains(ProcessingParameter.markdownTable), "Docs/pipeline.md: paste `exafs parameters --markdown` into §6")
  }
}
