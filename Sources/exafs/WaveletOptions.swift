// Command-line options for wavelet maps and hinge-path metrics.
import ArgumentParser
import EXAFSKit

/// Options for the wavelet map of k^w chi(k) and its export.
struct WaveletOptions: ParsableArguments {
  @Option(help: "Wavelet map: morlet, cauchy or none (default none; morlet when --hinge asks for metrics).")
  var wavelet: String?
  @Option(help: "Morlet frequency parameter eta (default 10). Resolution depends on eta*sigma.")
  var eta: Double?
  @Option(help: "Morlet Gaussian half-width sigma (default 1).")
  var sigma: Double?
  @Option(help: "Wavelet k range start, 1/Å (default: start of the data).")
  var waveletKmin: Double?
  @Option(help: "Wavelet k range end, 1/Å (default: end of the data).")
  var waveletKmax: Double?
  @Option(help: "Largest R of the map, Å (default 6; 10 for cauchy, as Larch's cauchy_wavelet).")
  var waveletRmax: Double?
  @Option(help: "R step of the map, Å (default pi/(0.05*2048) = 0.0307).")
  var waveletRstep: Double?
  @Option(help: "Text layout of NAME.wavelet: matrix (gnuplot nonuniform matrix) or xyz (k R value).")
  var gridFormat: String = "matrix"
  @Option(help: "Quantity written: mag, re or im (default mag).")
  var waveletPart: String = "mag"
  @Flag(inversion: .prefixedNo, help: "Write the map as NAME.wavelet (--no-wavelet-grid: keep only metrics and images).")
  var waveletGrid = true

  func validate() throws {
    if let wavelet, !["morlet", "cauchy", "none"].contains(wavelet.lowercased()) {
      throw ValidationError("--wavelet must be morlet, cauchy or none; got '\(wavelet)'")
    }
    if let eta, !(eta > 0 && eta <= 100) { throw ValidationError("--eta must be > 0 (typically 4-15); got \(eta)") }
    if let sigma, !(sigma > 0 && sigma <= 20) { throw ValidationError("--sigma must be > 0 (typically 0.4-2); got \(sigma)") }
    if let a = waveletKmin, let b = waveletKmax, a >= b {
      throw ValidationError("--wavelet-kmax (\(b)) must be larger than --wavelet-kmin (\(a))")
    }
    if let r = waveletRmax, !(r > 0.2 && r <= 15) { throw ValidationError("--wavelet-rmax must be between 0.2 and 15 Å; got \(r)") }
    if let s = waveletRstep, !(s >= 0.005 && s <= 1) { throw ValidationError("--wavelet-rstep must be between 0.005 and 1 Å; got \(s)") }
    if WaveletGridFormat(rawValue: gridFormat) == nil { throw ValidationError("--grid-format must be matrix or xyz; got '\(gridFormat)'") }
    if WaveletPart(rawValue: waveletPart) == nil { throw ValidationError("--wavelet-part must be mag, re or im; got '\(waveletPart)'") }
  }

  /// The wavelet parameters asked for (nil: no map), with the FT's k-weight.
  func parameters(kweight: Double, hingeRequested: Bool) -> WaveletParameters? {
    let kind = wavelet?.lowercased() ?? (hingeRequested ? "morlet" : "none")
    guard kind != "none" else { return nil }
    var p = WaveletParameters()
    p.kind = kind == "cauchy" ? .cauchy : .morlet
    if let eta { p.eta = eta }
    if let sigma { p.sigma = sigma }
    p.kweight = kweight
    p.kmin = waveletKmin
    p.kmax = waveletKmax
    if p.kind == .cauchy { p.rmax = 10 }  // Issue 17: Larch's cauchy_wavelet default rmax_out (its order = R points).
    if let waveletRmax { p.rmax = waveletRmax }
    p.rstep = waveletRstep
    return p
  }

  var export: WaveletExport {
    var e = WaveletExport()
    e.format = WaveletGridFormat(rawValue: gridFormat) ?? .matrix
    e.part = WaveletPart(rawValue: waveletPart) ?? .mag
    e.writeGrid = waveletGrid
    return e
  }
}

/// Options for the hinge-path metrics of octahedral distortion.
struct HingeOptions: ParsableArguments {
  @Option(help: "Compute hinge-path metrics with a preset: \(HingeParameters.presetNames.joined(separator: ", ")).")
  var hinge: String?
  @Option(help: "First-shell window kmin:kmax,rmin:rmax (1/Å, Å); overrides the preset.")
  var shell1Window: String?
  @Option(help: "Hinge window kmin:kmax,rmin:rmax (1/Å, Å); overrides the preset.")
  var hingeWindow: String?
  @Option(help: "Noise realizations for the uncertainty (default 40).")
  var realizations: Int?

  func validate() throws {
    if let hinge, HingeParameters.preset(hinge) == nil {
      throw ValidationError("unknown --hinge preset '\(hinge)'; known: \(HingeParameters.presetNames.joined(separator: ", "))")
    }
    if (shell1Window == nil) != (hingeWindow == nil), hinge == nil {
      throw ValidationError("give both --shell1-window and --hinge-window, or a --hinge preset")
    }
    if let realizations, !(0...10000).contains(realizations) {
      throw ValidationError("--realizations must be 0 ... 10000")
    }
    do { _ = try parameters() } catch let error as EXAFSError { throw ValidationError(error.description) }
  }

  var requested: Bool { hinge != nil || hingeWindow != nil }

  /// The hinge parameters asked for (nil: no metrics).
  func parameters() throws -> HingeParameters? {
    guard requested else { return nil }
    var p = hinge.flatMap(HingeParameters.preset)
      ?? HingeParameters(shell1: MapWindow(kmin: 0, kmax: 1, rmin: 0, rmax: 1), hinge: MapWindow(kmin: 0, kmax: 1, rmin: 0, rmax: 1))
    if let shell1Window { p.shell1 = try MapWindow(parsing: shell1Window, option: "--shell1-window") }
    if let hingeWindow { p.hinge = try MapWindow(parsing: hingeWindow, option: "--hinge-window") }
    if let realizations { p.realizations = realizations }
    return p
  }
}

/// Options for the pictures.
struct PlotCommandOptions: ParsableArguments {
  @Flag(help: "Also draw images: NAME.mu, NAME.chik, NAME.chir, and NAME.wavelet when a map is computed.")
  var plot = false
  @Option(help: "Image format: png, svg or pdf (default png).")
  var plotFormat: String = "png"

  func validate() throws {
    if PlotFormat(rawValue: plotFormat.lowercased()) == nil {
      throw ValidationError("--plot-format must be png, svg or pdf; got '\(plotFormat)'")
    }
  }

  func options(always: Bool = false) -> PlotOptions {
    PlotOptions(lineplots: plot || always, format: PlotFormat(rawValue: plotFormat.lowercased()) ?? .png)
  }
}
