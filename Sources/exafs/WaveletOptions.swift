// Command-line options for wavelet maps, hinge-path metrics and pictures.
import ArgumentParser
import EXAFSKit
import EXAFSPlot

/// The choice of `--wavelet`: a mother wavelet, or none.
enum WaveletChoice: String, CaseIterable, ExpressibleByArgument {
  case morlet, cauchy, none
}

extension WaveletGridFormat: ExpressibleByArgument {}
extension WaveletPart: ExpressibleByArgument {}
extension WaveletNormalization: ExpressibleByArgument {}
extension PlotFormat: ExpressibleByArgument {}

/// Options for the wavelet map of k^w chi(k) and its export.
struct WaveletOptions: ParsableArguments {
  @Option(help: "Wavelet map (default none; morlet when --hinge asks for metrics).")
  var wavelet: WaveletChoice?
  @Option(help: "Morlet frequency parameter eta (default 10). Resolution depends on eta*sigma.")
  var eta: Double?
  @Option(help: "Morlet Gaussian half-width sigma (default 1).")
  var sigma: Double?
  @Option(help: "Morlet normalization: funke (a^-1/2, default) or amplitude (a^-1).")
  var waveletNormalization: WaveletNormalization?
  @Option(help: "Wavelet k range start, 1/Å (default: the FT window's kmin).")
  var waveletKmin: Double?
  @Option(help: "Wavelet k range end, 1/Å (default: the FT window's kmax).")
  var waveletKmax: Double?
  @Option(help: "Largest R of the map, Å (default 6; 10 for cauchy, as Larch's cauchy_wavelet).")
  var waveletRmax: Double?
  @Option(help: "R step of the map, Å (default pi/(0.05*2048) = 0.0307).")
  var waveletRstep: Double?
  @Option(help: "Text layout of NAME.wavelet: matrix (gnuplot nonuniform matrix) or xyz (k R value).")
  var gridFormat: WaveletGridFormat = .matrix
  @Option(help: "Quantity written to NAME.wavelet.")
  var waveletPart: WaveletPart = .mag
  @Flag(inversion: .prefixedNo, help: "Write the map as NAME.wavelet (--no-wavelet-grid: keep only metrics and images).")
  var waveletGrid = true

  func validate() throws {
    if let p = parameters(kweight: 2, hingeRequested: true) {
      do { try p.validate() } catch let error as EXAFSError { throw ValidationError(error.commandLineDescription) }
    }
  }

  /// The wavelet parameters asked for (nil: no map), with the FT's k-weight.
  func parameters(kweight: Double, hingeRequested: Bool) -> WaveletParameters? {
    let kind = wavelet ?? (hingeRequested ? .morlet : WaveletChoice.none)
    guard kind != .none else { return nil }
    var p = WaveletParameters()
    p.kind = kind == .cauchy ? .cauchy : .morlet
    if let eta { p.eta = eta }
    if let sigma { p.sigma = sigma }
    if let waveletNormalization { p.normalization = waveletNormalization }
    p.kweight = kweight
    p.kmin = waveletKmin
    p.kmax = waveletKmax
    if p.kind == .cauchy { p.rmax = 10 }  // Issue 17: Larch's cauchy_wavelet default rmax_out (its order = R points).
    if let waveletRmax { p.rmax = waveletRmax }
    p.rstep = waveletRstep
    return p
  }

  var export: WaveletExport { WaveletExport(writeGrid: waveletGrid, format: gridFormat, part: waveletPart) }
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
    do { try parameters()?.validate() } catch let error as EXAFSError {
      throw ValidationError(error.commandLineDescription)
    }
  }

  var requested: Bool { hinge != nil || hingeWindow != nil }

  /// The hinge parameters asked for (nil: no metrics).
  func parameters() throws -> HingeParameters? {
    guard requested else { return nil }
    var p = hinge.flatMap(HingeParameters.preset)
      ?? HingeParameters(shell1: MapWindow(kmin: 0, kmax: 1, rmin: 0, rmax: 1), hinge: MapWindow(kmin: 0, kmax: 1, rmin: 0, rmax: 1))
    if let shell1Window { p.shell1 = try MapWindow(parsing: shell1Window, parameter: "shell1_window") }
    if let hingeWindow { p.hinge = try MapWindow(parsing: hingeWindow, parameter: "hinge_window") }
    if let realizations { p.realizations = realizations }
    return p
  }
}

/// Options for the pictures.
struct PlotCommandOptions: ParsableArguments {
  @Flag(help: "Also draw images: NAME.mu (with XANES and derivative panels), NAME.chik, NAME.kweights, NAME.chir, and NAME.wavelet when a map is computed.")
  var plot = false
  @Option(help: "Image format.")
  var plotFormat: PlotFormat = .png
  @OptionGroup var overlay: OverlayOptions

  var spacing: OverlaySpacing { overlay.spacing }

  func options(always: Bool = false) -> PlotOptions {
    PlotOptions(lineplots: plot || always, format: plotFormat, overlaySpacing: spacing)
  }
}

/// How the curves of overlays are separated: `--stack` or `--offset D`.
struct OverlayOptions: ParsableArguments {
  @Flag(help: "Overlays: stack the spectra one above the other, none overlapping the next.")
  var stack = false
  @Option(help: "Overlays: shift each spectrum up by this much from the previous one (y-axis units).")
  var offset: Double?

  func validate() throws {
    if stack, offset != nil { throw ValidationError("give --stack or --offset, not both") }
    if let offset, !offset.isFinite { throw ValidationError("--offset must be a number") }
  }

  var spacing: OverlaySpacing { stack ? .stack : offset.map(OverlaySpacing.offset) ?? OverlaySpacing.none }
}
