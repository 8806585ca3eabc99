// Figures of a comparison: overlays of mu(E), k^w chi(k) and |chi(R)|, and the wavelet maps side
// by side on one colour scale with their difference.
import EXAFSKit
import Foundation

extension Comparison {
  /// File stem -> figure: `overlay-mu`, `overlay-chik`, `overlay-chir`, and one
  /// `wavelet-OTHER-vs-REF` per other spectrum (reference, other and their difference).
  /// `spacing` separates the curves of the overlays (`--stack`, `--offset`).
  public static func figures(
    reference ref: ProcessedSpectrum, others: [ProcessedSpectrum], spacing: OverlaySpacing = .none
  ) -> [(name: String, figure: Figure)]
  {
    let all = [ref] + others
    var out: [(String, Figure)] = []
    let norms = all.compactMap { s in s.normalized.map { (s.name, $0.spectrum.energy, $0.flat) } }
    if norms.count == all.count {
      out.append((
        "overlay-mu",
        PlotFactory.overlay(
          series: norms.map { (label: $0.0, x: $0.1, y: $0.2) }, xLabel: "E (eV)", yLabel: "flattened μ(E)",
          spacing: spacing, title: "Normalized μ(E)\nreference \(ref.name)")
      ))
    }
    let kw = ref.chir.parameters.kweight
    out.append((
      "overlay-chik",
      PlotFactory.overlay(
        series: all.map { (label: $0.name, x: $0.chir.k, y: $0.chir.kwchi) }, xLabel: "k (Å⁻¹)",
        yLabel: PlotFactory.chiKLabel(kweight: kw), spacing: spacing, title: "k-weighted χ(k)\nreference \(ref.name)")
    ))
    var regions: [RegionMark] = []
    if let h = ref.hinge?.parameters {
      regions = [
        RegionMark(xmin: h.shell1.rmin, xmax: h.shell1.rmax, label: "first shell", fill: PlotColor(hex: 0xF28E2B, alpha: 0.12)),
        RegionMark(xmin: h.hinge.rmin, xmax: h.hinge.rmax, label: "hinge", fill: PlotColor(hex: 0x59A14F, alpha: 0.14)),
      ]
    }
    out.append((
      "overlay-chir",
      PlotFactory.overlay(
        series: all.map { (label: $0.name, x: $0.chir.r, y: $0.chir.mag) }, xLabel: "R (Å)",
        yLabel: PlotFactory.chiRLabel(kweight: kw), xRange: 0...6, regions: regions, spacing: spacing, title: "|χ(R)|\nreference \(ref.name)")
    ))
    if let refMap = ref.wavelet {
      for other in others {
        guard let map = other.wavelet, let diff = waveletDifference(refMap, map) else { continue }
        let nk = diff.k.count
        func cut(_ m: WaveletMap) -> [[Double]] {
          (0..<m.r.count).map { row in (0..<nk).map { m.magnitude(row: row, col: $0) } }
        }
        out.append((
          "wavelet-\(other.name)-vs-\(ref.name)",
          PlotFactory.waveletComparison(
            k: diff.k, r: diff.r, maps: [(ref.name, cut(refMap)), (other.name, cut(map))],
            title: "Wavelet maps on one colour scale, and their difference\n\(ref.waveletSubtitle)",
            outlines: ref.hingeOutlines)
        ))
      }
    }
    return out
  }
}
