// PlotFactory: the figures of the processing pipeline (mu(E), chi(k), chi(R), overlays) from plain arrays.
import EXAFSKit
import Foundation

/// Ready-made figures for `exafs process` and `exafs compare`. They take plain arrays (all on
/// the grid of their first argument) so that they do not depend on the processing types.
public enum PlotFactory {
  /// Colours with fixed meanings across all figures.
  enum Palette {
    static let data = PlotColor(hex: 0x1F4E9A)
    static let preEdge = PlotColor(hex: 0x2CA02C)
    static let postEdge = PlotColor(hex: 0xFF7F0E)
    static let background = PlotColor(hex: 0xD62728)
    static let e0 = PlotColor(hex: 0x6A3D9A)
    static let secondary = PlotColor(hex: 0xFF7F0E)
    static let windows = [0xFF7F0E as UInt32, 0x2CA02C, 0x9467BD, 0x8C564B].map { PlotColor(hex: $0) }
  }

  /// mu(E) with the pre-edge line, the post-edge curve, the AUTOBK background and E0 (top left),
  /// the XANES region E0 - 30 ... E0 + 70 eV of the normalized and flattened spectrum (top right),
  /// the whole normalized and flattened spectrum (bottom left), and the derivative of the
  /// normalized mu(E) over the XANES region (bottom right).
  ///
  /// - Parameters:
  ///   - energy: incident energy, eV; every other array is on this grid (missing or shorter
  ///     arrays simply draw fewer points).
  ///   - mu: absorption mu(E), arbitrary units.
  ///   - preEdge: the pre-edge line evaluated on `energy`; nil to omit.
  ///   - postEdge: the post-edge (normalization) curve on `energy`; nil to omit.
  ///   - background: the AUTOBK background mu0(E) on `energy`; nil to omit.
  ///   - e0: edge energy, eV (marked with a vertical line in every panel).
  ///   - norm: normalized mu(E).
  ///   - flat: flattened mu(E); nil to omit.
  ///   - xanes: the XANES window relative to E0, eV (Athena's default plot range -30 ... 70 eV).
  ///   - title: figure title; lines after the first are drawn smaller (use them for parameters).
  /// The vertical range of the mu(E) panel follows mu and the background only, so pre- and
  /// post-edge curves extrapolated far from the data do not squash the spectrum.
  public static func muPlot(
    energy: [Double], mu: [Double], preEdge: [Double]?, postEdge: [Double]?, background: [Double]?, e0: Double,
    norm: [Double], flat: [Double]?, xanes: ClosedRange<Double> = -30...70, title: String
  ) -> Figure {
    var top = Axes(x: Axis("E (eV)", range: .data), y: Axis("μ(E)", range: muRange([mu, background ?? []])))
    top.series.append(LineSeries(x: energy, y: mu, label: "μ(E)", color: Palette.data, width: 1.8))
    if let preEdge {
      top.series.append(
        LineSeries(x: energy, y: preEdge, label: "pre-edge line", color: Palette.preEdge, dash: .dashed))
    }
    if let postEdge {
      top.series.append(
        LineSeries(x: energy, y: postEdge, label: "post-edge curve", color: Palette.postEdge, dash: .dashed))
    }
    if let background {
      top.series.append(LineSeries(x: energy, y: background, label: "background (AUTOBK)", color: Palette.background))
    }
    let e0Label = e0.isFinite ? "E0 = " + e0Text(e0) : nil
    top.markers = [MarkerLine(e0, label: e0Label, color: Palette.e0, dash: .dotted)]
    top.legend = .lowerRight

    var bottom = Axes(x: Axis("E (eV)", range: .data), y: Axis("normalized μ(E)", range: muRange([norm, flat ?? []])))
    bottom.series.append(LineSeries(x: energy, y: norm, label: "normalized", color: Palette.data, width: 1.8))
    if let flat {
      bottom.series.append(LineSeries(x: energy, y: flat, label: "flattened", color: Palette.secondary))
    }
    bottom.markers = [
      MarkerLine(0, orientation: .horizontal, color: .gray, width: 0.8, dash: .dotted),
      MarkerLine(1, orientation: .horizontal, color: .gray, width: 0.8, dash: .dotted),
      MarkerLine(e0, color: Palette.e0, dash: .dotted),
    ]
    bottom.legend = .lowerRight
    let (zoom, derivative) = xanesPanels(energy: energy, norm: norm, flat: flat, e0: e0, window: xanes)
    return Figure(
      width: 1300, height: 820, title: title, panels: [.axes(top), .axes(zoom), .axes(bottom), .axes(derivative)],
      columns: 2)
  }

  /// The XANES zoom (normalized and flattened mu(E) over E0 + `window`) and the derivative
  /// d(norm)/dE over the same range (central differences on the data grid).
  static func xanesPanels(
    energy: [Double], norm: [Double], flat: [Double]?, e0: Double, window: ClosedRange<Double>
  ) -> (zoom: Axes, derivative: Axes) {
    let lo = e0 + window.lowerBound, hi = e0 + window.upperBound
    let inside = energy.indices.filter { $0 < norm.count && energy[$0] >= lo && energy[$0] <= hi }
    let e = inside.map { energy[$0] }
    let n = inside.map { norm[$0] }
    let f = flat.map { fl in inside.compactMap { $0 < fl.count ? fl[$0] : nil } }
    let xRange: AxisRange = e0.isFinite ? .fixed(lo, hi) : .data
    var zoom = Axes(
      title: "XANES: E0 − \(trimmed(-window.lowerBound)) … E0 + \(trimmed(window.upperBound)) eV",
      x: Axis("E (eV)", range: xRange), y: Axis("normalized μ(E)", range: muRange([n, f ?? []])))
    zoom.series.append(LineSeries(x: e, y: n, label: "normalized", color: Palette.data, width: 1.8))
    if let f { zoom.series.append(LineSeries(x: e, y: f, label: "flattened", color: Palette.secondary)) }
    zoom.markers = [
      MarkerLine(1, orientation: .horizontal, color: .gray, width: 0.8, dash: .dotted),
      MarkerLine(e0, color: Palette.e0, dash: .dotted),
    ]
    zoom.legend = .lowerRight
    let d = gradient(energy, norm)
    let dInside = inside.map { d[$0] }
    var derivative = Axes(
      title: "Derivative", x: Axis("E (eV)", range: xRange), y: Axis("d μ(E)/dE (normalized, eV⁻¹)", range: muRange([dInside])))
    derivative.series.append(LineSeries(x: e, y: dInside, label: "d norm/dE", color: Palette.data, width: 1.8))
    derivative.markers = [
      MarkerLine(0, orientation: .horizontal, color: .gray, width: 0.8, dash: .solid),
      MarkerLine(e0, label: e0.isFinite ? "E0 = " + e0Text(e0) : nil, color: Palette.e0, dash: .dotted),
    ]
    derivative.legend = .upperRight
    return (zoom, derivative)
  }

  /// dy/dx by central differences (one-sided at the ends); non-finite where neighbours coincide.
  static func gradient(_ x: [Double], _ y: [Double]) -> [Double] {
    let n = min(x.count, y.count)
    guard n >= 2 else { return [Double](repeating: .nan, count: n) }
    return (0..<n).map { i in
      let a = max(i - 1, 0), b = min(i + 1, n - 1)
      let dx = x[b] - x[a]
      return dx != 0 ? (y[b] - y[a]) / dx : .nan
    }
  }

  /// chi(q), the back transform of the R window, over the k-weighted chi(k) it filters, with
  /// the forward k window (Athena's q-space plot).
  ///
  /// - Parameters:
  ///   - q: wavenumber of chi(q), 1/Å.
  ///   - re: Re chi(q); `mag`: |chi(q)| (the envelope).
  ///   - k: wavenumber of `kwchi`, 1/Å; `kwchi`: k^w chi(k), not windowed; nil to omit.
  ///   - window: the forward k window on `q`; nil to omit.
  ///   - kweight: w, for the axis label.
  ///   - title: figure title (extra lines: parameters).
  public static func chiqPlot(
    q: [Double], re: [Double], mag: [Double], k: [Double]?, kwchi: [Double]?, window: [Double]?, kweight: Double,
    title: String
  ) -> Figure {
    let qmax = min(q.last ?? 20, (k?.last ?? 20) + 1)
    var axes = Axes(x: Axis("q (Å⁻¹)", range: .fixed(0, qmax)), y: Axis(chiKLabel(kweight: kweight).replacingOccurrences(of: "χ(k)", with: "χ(q)")))
    if let k, let kwchi {
      axes.series.append(LineSeries(x: k, y: kwchi, label: chiKLabel(kweight: kweight, withUnits: false), color: .gray, width: 1))
    }
    if let window {
      let peak = mag.filter(\.isFinite).max() ?? 1
      axes.series.append(
        LineSeries(x: q, y: window.map { $0 * (peak > 0 ? peak : 1) }, label: "FT window (scaled)", color: Palette.windows[0], width: 1.2))
    }
    axes.series.append(LineSeries(x: q, y: mag, label: "|χ(q)|", color: Palette.data, width: 1.2, dash: .dashed))
    axes.series.append(LineSeries(x: q, y: re, label: "Re χ(q)", color: Palette.data, width: 1.8))
    axes.markers = [MarkerLine(0, orientation: .horizontal, color: .gray, width: 0.8, dash: .solid)]
    axes.legend = .upperRight
    return Figure(width: 900, height: 560, title: title, panels: [.axes(axes)])
  }

  /// k chi(k), k² chi(k) and k³ chi(k) in three panels, each with the FT window scaled to its
  /// largest value: the weight that balances low and high k is the one to choose.
  ///
  /// - Parameters:
  ///   - k: photoelectron wavenumber, 1/Å.
  ///   - chi: chi(k) on `k`, not k-weighted.
  ///   - window: the FT window on `k`; nil to omit.
  ///   - kweights: the weights shown, one panel each.
  ///   - title: figure title (extra lines: parameters).
  public static func kweightPlot(
    k: [Double], chi: [Double], window: [Double]?, kweights: [Double] = [1, 2, 3], title: String
  ) -> Figure {
    let panels: [Panel] = kweights.map { w in
      let y = zip(k, chi).map { pow($0, w) * $1 }
      var axes = Axes(x: Axis("k (Å⁻¹)", range: .data), y: Axis(chiKLabel(kweight: w)))
      if let window {
        let peak = y.filter(\.isFinite).map(abs).max() ?? 1
        let scale = peak > 0 ? peak : 1
        axes.series.append(
          LineSeries(x: k, y: window.map { $0 * scale }, label: "FT window (scaled)", color: Palette.windows[0], width: 1.2))
      }
      axes.series.append(LineSeries(x: k, y: y, label: chiKLabel(kweight: w, withUnits: false), color: Palette.data, width: 1.6))
      axes.markers = [MarkerLine(0, orientation: .horizontal, color: .gray, width: 0.8, dash: .solid)]
      axes.legend = .upperRight
      return .axes(axes)
    }
    return Figure(width: 900, height: 260 * Double(max(kweights.count, 1)) + 60, title: title, panels: panels)
  }

  /// k^w chi(k) with the Fourier-transform window, scaled to the largest |k^w chi(k)|.
  ///
  /// - Parameters:
  ///   - k: photoelectron wavenumber, 1/Å.
  ///   - kwchi: k-weighted chi(k) on `k`, Å^-w.
  ///   - window: the FT window on `k` (0...1); nil to omit.
  ///   - kweight: the weight w, used in the axis label.
  ///   - title: figure title (extra lines: parameters).
  public static func chikPlot(k: [Double], kwchi: [Double], window: [Double]?, kweight: Double, title: String) -> Figure
  {
    var axes = Axes(x: Axis("k (Å⁻¹)", range: .data), y: Axis(chiKLabel(kweight: kweight)))
    if let window {
      let peak = kwchi.filter(\.isFinite).map(abs).max() ?? 1
      let scale = peak > 0 ? peak : 1
      axes.series.append(
        LineSeries(
          x: k, y: window.map { $0 * scale }, label: "FT window (scaled)", color: Palette.windows[0], width: 1.4))
    }
    axes.series.append(
      LineSeries(
        x: k, y: kwchi, label: chiKLabel(kweight: kweight, withUnits: false),
        color: Palette.data, width: 1.8))
    axes.markers = [MarkerLine(0, orientation: .horizontal, color: .gray, width: 0.8, dash: .solid)]
    return Figure(width: 900, height: 560, title: title, panels: [.axes(axes)])
  }

  /// |chi(R)| and Re chi(R) with marked R windows (first shell, hinge ...).
  ///
  /// - Parameters:
  ///   - r: radial distance, Å (phase-uncorrected).
  ///   - mag: |chi(R)| on `r`, Å^-(w+1).
  ///   - re: Re chi(R) on `r`; nil to omit.
  ///   - windows: R ranges to shade, Å, with their legend labels.
  ///   - kweight: the k-weight w of the transform, for the units in the axis label.
  ///   - rmax: largest R shown, Å; nil: the whole grid.
  ///   - title: figure title (extra lines: parameters).
  ///   - phaseCorrected: the path whose phase was removed, when R is phase-corrected (the axis says so).
  public static func chirPlot(
    r: [Double], mag: [Double], re: [Double]?, windows: [(label: String, rmin: Double, rmax: Double)],
    kweight: Double = 2, rmax: Double? = 6, title: String, phaseCorrected: String? = nil
  ) -> Figure {
    let range = rmax.map { AxisRange(min: 0, max: $0, margin: 0) } ?? .data
    let units = "(Å\(superscript(-(kweight + 1))))"  // as chiRLabel
    let rLabel = phaseCorrected.map { "R (Å), phase-corrected with \($0)" } ?? "R (Å)"
    var axes = Axes(x: Axis(rLabel, range: range), y: Axis(re == nil ? "|χ(R)| \(units)" : "|χ(R)|, Re χ(R) \(units)"))
    for (i, w) in windows.enumerated() {
      let color = Palette.windows[i % Palette.windows.count]
      axes.regions.append(
        RegionMark(
          xmin: w.rmin, xmax: w.rmax, label: "\(w.label) (" + String(format: "%.2f–%.2f Å)", w.rmin, w.rmax),
          fill: color.withAlpha(0.14), stroke: color.withAlpha(0.8), width: 1))
    }
    if let re {
      axes.series.append(LineSeries(x: r, y: re, label: "Re χ(R)", color: PlotColor.gray, width: 1.2))
    }
    axes.series.append(LineSeries(x: r, y: mag, label: "|χ(R)|", color: Palette.data, width: 2))
    axes.markers = [MarkerLine(0, orientation: .horizontal, color: .gray, width: 0.8, dash: .solid)]
    return Figure(width: 900, height: 560, title: title, panels: [.axes(axes)])
  }

  /// Several spectra on one axes (for `exafs compare`).
  ///
  /// - Parameters:
  ///   - series: one curve per spectrum: legend label and values in the axis units.
  ///   - xLabel: horizontal axis label with units, e.g. "k (Å⁻¹)".
  ///   - yLabel: vertical axis label with units.
  ///   - xRange: visible x range; nil: the data's.
  ///   - regions: shaded windows (e.g. the first-shell R range).
  ///   - spacing: curves on one line (`.none`), stacked without overlap (`.stack`) or shifted by a
  ///     fixed step (`.offset(d)`); the i-th curve (from 0) is drawn `i` steps above the first
  ///     (Athena's y offset)
  ///     and its legend says by how much.
  ///   - title: figure title (extra lines: parameters).
  public static func overlay(
    series: [(label: String, x: [Double], y: [Double])], xLabel: String, yLabel: String,
    xRange: ClosedRange<Double>? = nil, regions: [RegionMark] = [], spacing: OverlaySpacing = .none, title: String
  ) -> Figure {
    let range = xRange.map { AxisRange.fixed($0.lowerBound, $0.upperBound) } ?? .data
    var axes = Axes(x: Axis(xLabel, range: range), y: Axis(yLabel), regions: regions)
    let step = spacing.step(for: series.map { visible($0.x, $0.y, in: xRange) })
    axes.series = series.enumerated().map { i, s in
      let shift = Double(i) * step
      let label = shift == 0 ? s.label : "\(s.label) (\(shift > 0 ? "+" : "−")\(String(format: "%.3g", abs(shift))))"
      return LineSeries(x: s.x, y: s.y.map { $0 + shift }, label: label, width: 1.6)
    }
    if step != 0 { axes.legend = .upperRight }
    return Figure(width: 900, height: spacing == .none ? 560 : 560 + 60 * Double(max(series.count - 2, 0)), title: title, panels: [.axes(axes)])
  }

  /// The y values whose x lies in `range` (all of them for nil).
  static func visible(_ x: [Double], _ y: [Double], in range: ClosedRange<Double>?) -> [Double] {
    guard let range else { return y }
    return zip(x, y).filter { range.contains($0.0) }.map(\.1)
  }

  // MARK: - Labels

  /// "k² χ(k) (Å⁻²)" for w = 2; "χ(k)" for w = 0; withUnits false drops the parenthesis.
  static func chiKLabel(kweight: Double, withUnits: Bool = true) -> String {
    if kweight == 0 { return "χ(k)" }
    let power = kweight == 1 ? "" : superscript(kweight)
    let base = "k\(power) χ(k)"
    return withUnits ? "\(base) (Å\(superscript(-kweight)))" : base
  }

  /// "|χ(R)| (Å⁻³)" for w = 2: the units of the transform of k^w chi(k).
  static func chiRLabel(kweight: Double, part: String = "|χ(R)|") -> String {
    "\(part) (Å\(superscript(-(kweight + 1))))"
  }

  /// E0 for titles and legends: always to 0.1 eV ("9880.5 eV", "10205.0 eV"), never in exponent form.
  public static func e0Text(_ e0: Double) -> String {
    e0.isFinite ? String(format: "%.1f eV", e0) : "not found"
  }

  /// `value` in superscript digits ("⁻³", "²"); non-integers as "^1.5".
  static func superscript(_ value: Double) -> String {
    guard value.isFinite, value == value.rounded(), abs(value) < 1e6 else { return "^" + trimmed(value) }
    let digits: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
    let text = String(Int(abs(value))).compactMap { $0.wholeNumberValue.map { digits[$0] } }
    return (value < 0 ? "⁻" : "") + String(text)
  }

  /// A number without trailing zeros ("1.5", "2").
  static func trimmed(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(format: "%g", value)
  }

  /// The y range for mu-like curves: their finite extent plus 5 %.
  static func muRange(_ arrays: [[Double]]) -> AxisRange {
    guard let (lo, hi) = PlotRenderer.extent(arrays) else { return .auto }
    let pad = (hi - lo) * 0.05
    return pad > 0 ? .fixed(lo - pad, hi + pad) : .auto
  }
}
