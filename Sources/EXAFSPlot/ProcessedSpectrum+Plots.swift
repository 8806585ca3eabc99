// The pictures of one processed spectrum: mu(E) with its background, k^w chi(k) with the window,
// |chi(R)| with the analysis windows, and the wavelet map with the hinge window outlined.
import EXAFSKit
import Foundation

/// Which figures to draw, in which format, and how overlays separate their curves.
public struct PlotOptions: Sendable, Codable, Equatable {
  /// Draw the figures: mu(E) (with XANES and derivative panels), chi(k), chi(k) at k-weights
  /// 1, 2, 3, chi(R), and the wavelet map when one is computed.
  /// Off by default in batches: drawing costs more than processing (about 50 ms per image).
  public var lineplots: Bool = false
  /// File format of every figure.
  public var format: PlotFormat = .png
  /// Vertical separation of the curves where several spectra share one axes (comparison overlays).
  public var overlaySpacing: OverlaySpacing = .none
  /// Also draw chi(q), the back transform (NAME.chiq.png), with the line plots.
  public var chiq: Bool = false
  public init(lineplots: Bool = false, format: PlotFormat = .png, overlaySpacing: OverlaySpacing = .none, chiq: Bool = false) {
    self.lineplots = lineplots
    self.format = format
    self.overlaySpacing = overlaySpacing
    self.chiq = chiq
  }
}

extension ProcessedSpectrum {
  /// Map rows as `z[iR][ik]` for plotting.
  static func rows(_ map: WaveletMap, _ values: [Double]) -> [[Double]] {
    (0..<map.r.count).map { row in Array(values[(row * map.k.count)..<((row + 1) * map.k.count)]) }
  }

  /// Title line with the parameters of the map.
  var waveletSubtitle: String {
    guard let p = wavelet?.parameters else { return "" }
    let kRange = "k = \(fmt(p.kmin ?? 0))…\(fmt(p.kmax ?? 0)) Å⁻¹"
    switch p.kind {
    case .morlet:
      return "Morlet η = \(fmt(p.eta)), σ = \(fmt(p.sigma)), k-weight \(fmt(p.kweight)), \(p.normalization.rawValue) normalization, \(kRange)"
    case .cauchy:
      return "Cauchy (Larch convention), k-weight \(fmt(p.kweight)), \(kRange)"
    }
  }

  /// Windows of the hinge metrics as k-R outlines.
  var hingeOutlines: [(label: String, kmin: Double, kmax: Double, rmin: Double, rmax: Double)] {
    guard let h = hinge?.parameters else { return [] }
    return [
      ("first shell", h.shell1.kmin, h.shell1.kmax, h.shell1.rmin, h.shell1.rmax),
      ("hinge", h.hinge.kmin, h.hinge.kmax, h.hinge.rmin, h.hinge.rmax),
    ]
  }

  /// File name -> figure for every picture asked for.
  public func figures(_ options: PlotOptions) -> [(name: String, figure: Figure)] {
    var out: [(String, Figure)] = []
    let ext = options.format.rawValue
    if options.lineplots {
      if let n = normalized {
        let p = n.parameters
        let subtitle = "E0 = \(PlotFactory.e0Text(n.e0)), edge step \(fmt(n.edgeStep)), pre-edge \(fmt(p.pre1 ?? 0))…\(fmt(p.pre2 ?? 0)) eV, "
          + "norm \(fmt(p.norm1 ?? 0))…\(fmt(p.norm2 ?? 0)) eV (nnorm \(p.nnorm ?? 0)), rbkg \(fmt(settings.autobk.rbkg)) Å"
        out.append((
          "\(name).mu.\(ext)",
          PlotFactory.muPlot(
            energy: n.spectrum.energy, mu: n.spectrum.mu, preEdge: n.preEdge, postEdge: n.postEdge,
            background: chik.background, e0: n.e0, norm: n.norm, flat: n.flat, title: "\(name)\n\(subtitle)")
        ))
      }
      let f = chir.parameters
      let ftLine = "\(f.window.rawValue) window k = \(fmt(f.kmin))…\(fmt(f.kmax ?? 0)) Å⁻¹, dk = \(fmt(f.dk)), k-weight \(fmt(f.kweight))"
      out.append((
        "\(name).chik.\(ext)",
        PlotFactory.chikPlot(k: chir.k, kwchi: chir.kwchi, window: chir.window, kweight: f.kweight, title: "\(name)\n\(ftLine)")
      ))
      let chiOnGrid = linearInterpolate(x: chik.k, y: chik.chi, at: chir.k)
      out.append((
        "\(name).kweights.\(ext)",
        PlotFactory.kweightPlot(
          k: chir.k, chi: chiOnGrid, window: chir.window, title: "\(name): χ(k) weighted by k, k², k³\n\(ftLine)")
      ))
      var windows: [(label: String, rmin: Double, rmax: Double)] = []
      if let h = hinge?.parameters {
        windows = [("first shell", h.shell1.rmin, h.shell1.rmax), ("hinge", h.hinge.rmin, h.hinge.rmax)]
      }
      out.append((
        "\(name).chir.\(ext)",
        PlotFactory.chirPlot(
          r: chir.r, mag: chir.mag, re: chir.re, windows: windows, kweight: f.kweight, rmax: 6,
          title: "\(name)\n\(ftLine)", phaseCorrected: chir.phaseCorrection)
      ))
      if options.chiq {
        let q = chiq
        let b = settings.backTransform
        let window = ftWindow(q.q, xmin: f.kmin, xmax: f.kmax ?? 0, dx: f.dk, dx2: f.dk2 ?? f.dk, kind: f.window)
        out.append((
          "\(name).chiq.\(ext)",
          PlotFactory.chiqPlot(
            q: q.q, re: q.re, mag: q.mag, k: chir.k, kwchi: chir.kwchi, window: window, kweight: f.kweight,
            title: "\(name): back transform χ(q)\n\(b.window.rawValue) R window \(fmt(b.rmin))…\(fmt(b.rmax)) Å, dr = \(fmt(b.dr)) Å; \(ftLine)")
        ))
      }
    }
    if options.lineplots, let map = wavelet {
      out.append((
        "\(name).wavelet.\(ext)",
        PlotFactory.waveletPlot(
          k: map.k, r: map.r, z: Self.rows(map, map.magnitude), title: "\(name): |W(k, R)|\n\(waveletSubtitle)",
          outlines: hingeOutlines)
      ))
    }
    return out
  }

  /// The rendered figures as files (name, bytes).
  public func plotFiles(_ options: PlotOptions) throws -> [OutputFile] {
    try figures(options).map { OutputFile(name: $0.name, contents: try PlotRenderer.render($0.figure, format: options.format)) }
  }
}
