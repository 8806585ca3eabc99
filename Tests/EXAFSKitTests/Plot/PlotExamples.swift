// Synthetic spectra and maps for the plot tests, and the example figures written for a look by eye.
import Foundation

@testable import EXAFSKit
@testable import EXAFSPlot
@testable import EXAFSReport

/// Made-up but realistic-looking data (a Cu K edge near 8979 eV) to draw.
enum PlotExamples {
  /// Energy grid 8800...9800 eV, 2 eV steps.
  static let energy = stride(from: 8800.0, through: 9800, by: 2).map { $0 }
  static let e0 = 8979.0

  /// mu(E): a sloping pre-edge, an arctan step of 1.2 and a damped oscillation above E0.
  static func mu(_ e: Double) -> Double {
    let pre = 0.15 - 2e-5 * (e - 8800)
    let step = 1.2 * (0.5 + atan((e - e0) / 3) / Double.pi)
    let k = e > e0 ? sqrt(0.2625 * (e - e0)) : 0
    let post = -3e-4 * max(e - e0, 0)
    let oscillation = e > e0 + 10 ? 0.12 * sin(2 * k * 2.55) * exp(-0.02 * k * k) : 0
    return pre + step * (1 + oscillation) + post
  }

  static func muFigure() -> Figure {
    let mu = energy.map(mu)
    let pre = energy.map { 0.15 - 2e-5 * ($0 - 8800) }
    let post = energy.map { 0.15 - 2e-5 * ($0 - 8800) + 1.2 - 3e-4 * ($0 - e0) }
    let background = energy.map { e in
      0.15 - 2e-5 * (e - 8800) + 1.2 * (0.5 + atan((e - e0) / 3) / Double.pi) - 3e-4 * max(e - e0, 0)
    }
    let norm = zip(mu, pre).map { ($0 - $1) / 1.2 }
    let flat = energy.indices.map { i in energy[i] > e0 ? norm[i] + 3e-4 * (energy[i] - e0) / 1.2 : norm[i] }
    return PlotFactory.muPlot(
      energy: energy, mu: mu, preEdge: pre, postEdge: post, background: background, e0: e0, norm: norm, flat: flat,
      title: "Cu foil (synthetic)\npre-edge -150…-30 eV, nnorm 2, rbkg 1.0 Å, kweight 2")
  }

  /// k grid 0...15 1/Å and k^2 chi(k) of two shells (2.55 Å and 3.6 Å).
  static let k = stride(from: 0.0, through: 15, by: 0.05).map { $0 }
  static func kwchi(_ k: Double) -> Double {
    k * k
      * (0.35 * sin(2 * k * 2.55 + 0.4) * exp(-0.01 * k * k) / max(k, 0.5)
        + 0.2 * sin(2 * k * 3.6) * exp(-0.02 * k * k) / max(k, 0.5))
  }

  static func chikFigure() -> Figure {
    let window = ftWindow(k, xmin: 3, xmax: 13, dx: 1, kind: .hanning)
    return PlotFactory.chikPlot(
      k: k, kwchi: k.map(kwchi), window: window, kweight: 2,
      title: "Cu foil (synthetic)\nk 3–13 Å⁻¹, dk 1, hanning, kweight 2")
  }

  static func chirFigure() -> Figure {
    let r = stride(from: 0.0, through: 8, by: 0.03).map { $0 }
    let peak = { (x: Double, r0: Double, a: Double, w: Double) in a * exp(-(x - r0) * (x - r0) / (2 * w * w)) }
    let mag = r.map { peak($0, 2.2, 1.6, 0.18) + peak($0, 3.3, 0.6, 0.2) + peak($0, 4.4, 0.35, 0.25) }
    let re = zip(r, mag).map { $1 * cos(9 * $0) }
    return PlotFactory.chirPlot(
      r: r, mag: mag, re: re, windows: [("first shell", 1.6, 2.7), ("hinge", 2.9, 3.8)], kweight: 2,
      title: "Cu foil (synthetic)\nk 3–13 Å⁻¹, kweight 2")
  }

  /// A wavelet-like map on k 0...15, R 0...6: a heavy scatterer ridge at high k and a light one at low k.
  static let mapK = stride(from: 0.0, through: 15, by: 0.05).map { $0 }
  static let mapR = stride(from: 0.0, through: 6, by: 0.02).map { $0 }
  static func map(shift: Double = 0, scale: Double = 1) -> [[Double]] {
    mapR.map { r in
      mapK.map { k in
        let a = scale * 1.8 * exp(-pow((r - 2.2 - shift) / 0.25, 2) - pow((k - 8) / 2.8, 2))
        let b = 0.9 * exp(-pow((r - 3.3) / 0.3, 2) - pow((k - 5) / 2.2, 2))
        return a + b + 0.02 * (1 + sin(k) * cos(3 * r))
      }
    }
  }

  static let hinge = [(label: "hinge", kmin: 3.0, kmax: 7.0, rmin: 2.9, rmax: 3.8)]

  static func waveletFigure() -> Figure {
    PlotFactory.waveletPlot(
      k: mapK, r: mapR, z: map(), title: "Cu foil (synthetic): Morlet |W(k, R)|\neta 4, sigma 1, kweight 2",
      outlines: hinge)
  }

  static func comparisonFigure() -> Figure {
    PlotFactory.waveletComparison(
      k: mapK, r: mapR, maps: [("A: Cu foil", map()), ("B: Cu foil, heated", map(shift: 0.05, scale: 0.8))],
      title: "Wavelet maps on one scale, and their difference\nMorlet, eta 4, sigma 1, kweight 2", outlines: hinge)
  }

  static func overlayFigure() -> Figure {
    PlotFactory.overlay(
      series: [("A", k, k.map(kwchi)), ("B", k, k.map { 0.8 * kwchi($0 + 0.05) })], xLabel: "k (Å⁻¹)",
      yLabel: "k² χ(k) (Å⁻²)", xRange: 0...14, title: "Overlay of two spectra")
  }

  /// Every example with its file name (without extension).
  static func all() -> [(String, Figure)] {
    [
      ("mu", muFigure()), ("chik", chikFigure()), ("chir", chirFigure()), ("wavelet", waveletFigure()),
      ("compare-wavelet", comparisonFigure()), ("overlay", overlayFigure()),
    ]
  }
}
