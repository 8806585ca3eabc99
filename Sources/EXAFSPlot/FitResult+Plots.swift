// Figures of a fit: data, model and path contributions in k (k^w chi) and in R (|chi(R)|).
import EXAFSKit
import Foundation

extension FitResult {
  /// File stem -> figure for every dataset: `fit-k` and `fit-r` (with the dataset's name appended
  /// when there are several).
  public func figures() -> [(name: String, figure: Figure)] {
    var out: [(String, Figure)] = []
    for ds in datasets {
      let suffix = datasets.count == 1 ? "" : "_\(SpectrumReader.fileSafeName(ds.name))"
      let t = ds.transform
      let kw = t.kweight[0]
      func weighted(_ c: [Double]) -> [Double] { zip(ds.k, c).map { $1 * kWeightFactor($0, kw) } }
      let offset = -1.2 * (weighted(ds.data).map(abs).max() ?? 1)
      var kSeries: [(label: String, x: [Double], y: [Double])] = [
        ("data", ds.k, weighted(ds.data)), ("fit", ds.k, weighted(ds.model)),
      ]
      for (p, c) in zip(ds.paths, ds.pathChi) {
        kSeries.append(("\(p.label) \(fmt(p.reff)) Å (offset)", ds.k, weighted(c).map { $0 + offset }))
      }
      let stats = String(format: "R-factor %.4g, reduced χ² %.4g", statistics.rFactor, statistics.reducedChiSquare)
      out.append((
        "fit-k\(suffix)",
        PlotFactory.overlay(
          series: kSeries, xLabel: "k (Å⁻¹)", yLabel: PlotFactory.chiKLabel(kweight: kw), xRange: 0...(t.kmax + 2),
          title: "Fit of \(ds.name) in k\n\(stats)")
      ))
      var rSeries: [(label: String, x: [Double], y: [Double])] = []
      let dr = ds.transformed(ds.data, rmaxOut: 6)
      rSeries.append(("data", dr.r, dr.mag))
      let mr = ds.transformed(ds.model, rmaxOut: 6)
      rSeries.append(("fit", mr.r, mr.mag))
      for (p, c) in zip(ds.paths, ds.pathChi) {
        let pr = ds.transformed(c, rmaxOut: 6)
        rSeries.append(("\(p.label) \(fmt(p.reff)) Å", pr.r, pr.mag))
      }
      let region = RegionMark(xmin: t.rmin, xmax: t.rmax, label: "fit range", fill: PlotColor(hex: 0x4E79A7, alpha: 0.10))
      out.append((
        "fit-r\(suffix)",
        PlotFactory.overlay(
          series: rSeries, xLabel: "R (Å), not phase-corrected", yLabel: PlotFactory.chiRLabel(kweight: kw), xRange: 0...6, regions: [region],
          title: "Fit of \(ds.name) in R (k\(PlotFactory.superscript(kw)), k \(fmt(t.kmin))-\(fmt(t.kmax)) Å⁻¹)\n\(stats)")
      ))
    }
    return out
  }
}

extension FitResult {
  /// File stem -> figure for every dataset: `fit-wavelet` (Morlet maps of data, model and residual on
  /// one colour scale) and `fit-paths-wavelet` (the model's and each path's map), with the dataset's
  /// name appended when there are several. Parameters: `FitTransformParameters.waveletParameters`.
  /// - Throws: `EXAFSError.invalidParameter` when a fit's k range has too few points for a map.
  public func waveletFigures() throws -> [(name: String, figure: Figure)] {
    var out: [(String, Figure)] = []
    for ds in datasets {
      let suffix = datasets.count == 1 ? "" : "_\(SpectrumReader.fileSafeName(ds.name))"
      let maps = try ds.waveletMaps()
      let p = maps.model.parameters
      let subtitle = "Morlet η \(fmt(p.eta)), σ \(fmt(p.sigma)), k^\(fmt(p.kweight)), k \(fmt(p.kmin ?? 0))–\(fmt(p.kmax ?? 0)) Å⁻¹"
      out.append(("fit-wavelet\(suffix)", PlotFactory.waveletDataModelResidual(maps, title: "Fit of \(ds.name): Morlet maps on one colour scale\n\(subtitle)")))
      out.append(("fit-paths-wavelet\(suffix)", PlotFactory.waveletGroups(
        maps, title: "Morlet maps of the model and each path of \(ds.name)\n\(subtitle)")))
    }
    return out
  }
}
