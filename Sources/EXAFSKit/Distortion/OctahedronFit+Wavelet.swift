// Morlet maps of an octahedron fit: data, model, residual and each path group, and how much of the model's |W| each group makes in the hinge window and at (k 6, R 4.2).
import Foundation

/// One group's part of the model's map at a point or over a window.
public struct WaveletGroupShare: Sendable, Codable, Equatable {
  /// |W_g| at the point, or the sum of |W_g| dk dR over the window (|W| Å⁻¹ Å).
  public var magnitude: Double
  /// magnitude / the model's magnitude (same point or window; 0 where the model's is 0); the shares need not sum to 1
  /// because the groups' W are complex and interfere.
  public var share: Double
  /// Re(W_g conj(W_model)) / |W_model|² (summed over the window's cells): the part of the model's W along
  /// its own phase; these sum to 1 over the groups exactly.
  public var projection: Double
}

/// |W| of data, model and residual and each group's share at one cell of the map.
public struct WaveletSpot: Sendable, Codable, Equatable {
  /// The cell's k (1/Å) and R (Å): the map's grid point nearest to the one asked for.
  public var k: Double
  public var r: Double
  public var data: Double
  public var model: Double
  public var residual: Double
  public var groups: [String: WaveletGroupShare]
}

/// Shares over a k-R window: the integrals of |W| and, at the model's largest |W| in it, the cell.
public struct WaveletWindowShares: Sendable, Codable, Equatable {
  public var window: MapWindow
  /// Where the window came from (`tacl6`: the hinge preset of `process --hinge`).
  public var preset: String?
  /// Sum of |W| dk dR over the window's cells for data, model and residual.
  public var data: Double
  public var model: Double
  public var residual: Double
  /// Each group's integral, its share of the model's integral and its projection.
  public var groups: [String: WaveletGroupShare]
  /// The cell of the model's largest |W| in the window.
  public var modelMaximum: WaveletSpot

  enum CodingKeys: String, CodingKey {
    case window, preset, data, model, residual, groups, modelMaximum = "model_maximum"
  }
}

/// NAME.octahedron.json `wavelet`: which path groups make the model's map where the hinge feature is.
public struct OctahedronWaveletRecord: Sendable, Codable, Equatable {
  /// The Morlet parameters of every map (those of `process --wavelet morlet`, on the fit's k range and k-weight).
  public var parameters: WaveletParameters
  /// The groups (a partition of the model's paths).
  public var groupNames: [String]
  /// The hinge window of the `tacl6` preset (k 3–10 1/Å, R 3.9–4.6 Å).
  public var hingeWindow: WaveletWindowShares
  /// The cell nearest to (k 6 1/Å, R 4.2 Å), where the published analysis puts the focused MS feature.
  public var point: WaveletSpot

  enum CodingKeys: String, CodingKey { case parameters, groupNames = "group_names", hingeWindow = "hinge_window", point }
}

extension OctahedronFitResult {
  /// The Morlet parameters of the maps (`FitTransformParameters.waveletParameters`).
  public var waveletParameters: WaveletParameters { transform.waveletParameters }

  /// The maps of data, model, residual (data − model) and each group of `waveletGroupNames`.
  /// - Throws: `EXAFSError.invalidParameter` when the fit's k range has too few points for a map.
  public func waveletMaps() throws -> ModelWaveletMaps {
    try ModelWaveletMaps(
      k: k, data: data, model: model,
      groups: waveletGroupNames.map { ($0, groups[$0] ?? [Double](repeating: 0, count: k.count)) }, parameters: waveletParameters)
  }

  /// The record of `maps` for the tacl6 hinge window and the point (k 6, R 4.2).
  public func waveletRecord(
    _ maps: ModelWaveletMaps, window: MapWindow = HingeParameters.preset("tacl6")!.hinge, preset: String? = "tacl6",
    point: (k: Double, r: Double) = (6, 4.2)
  ) -> OctahedronWaveletRecord {
    let m = maps.model
    func nearest(_ grid: [Double], _ x: Double) -> Int {
      grid.indices.min { abs(grid[$0] - x) < abs(grid[$1] - x) } ?? 0
    }
    func spot(row: Int, col: Int) -> WaveletSpot {
      let wm = m.value(row: row, col: col)
      let mm = m.magnitude(row: row, col: col)
      var shares: [String: WaveletGroupShare] = [:]
      for (name, g) in maps.groups {
        let wg = g.value(row: row, col: col)
        let mg = g.magnitude(row: row, col: col)
        shares[name] = WaveletGroupShare(
          magnitude: mg, share: mm > 0 ? mg / mm : 0, projection: mm > 0 ? (wg.re * wm.re + wg.im * wm.im) / (mm * mm) : 0)
      }
      return WaveletSpot(
        k: m.k[col], r: m.r[row], data: maps.data.magnitude(row: row, col: col), model: mm,
        residual: maps.residual.magnitude(row: row, col: col), groups: shares)
    }
    let rows = m.r.indices.filter { m.r[$0] >= window.rmin - 1e-9 && m.r[$0] <= window.rmax + 1e-9 }
    let cols = m.k.indices.filter { m.k[$0] >= window.kmin - 1e-9 && m.k[$0] <= window.kmax + 1e-9 }
    let cell = (m.k.count > 1 ? m.k[1] - m.k[0] : 0) * (m.r.count > 1 ? m.r[1] - m.r[0] : 0)
    func integral(_ w: WaveletMap) -> Double {
      var s = 0.0
      for i in rows { for j in cols { s += w.magnitude(row: i, col: j) } }
      return s * cell
    }
    var best = (row: rows.first ?? 0, col: cols.first ?? 0, value: -1.0)
    var norm = 0.0
    for i in rows {
      for j in cols {
        let v = m.magnitude(row: i, col: j)
        norm += v * v
        if v > best.value { best = (i, j, v) }
      }
    }
    let modelIntegral = integral(m)
    var shares: [String: WaveletGroupShare] = [:]
    for (name, g) in maps.groups {
      var projection = 0.0
      for i in rows {
        for j in cols {
          let a = g.value(row: i, col: j), b = m.value(row: i, col: j)
          projection += a.re * b.re + a.im * b.im
        }
      }
      let gi = integral(g)
      shares[name] = WaveletGroupShare(
        magnitude: gi, share: modelIntegral > 0 ? gi / modelIntegral : 0, projection: norm > 0 ? projection / norm : 0)
    }
    let windowShares = WaveletWindowShares(
      window: window, preset: preset, data: integral(maps.data), model: modelIntegral, residual: integral(maps.residual),
      groups: shares, modelMaximum: spot(row: best.row, col: best.col))
    return OctahedronWaveletRecord(
      parameters: m.parameters, groupNames: waveletGroupNames, hingeWindow: windowShares,
      point: spot(row: nearest(m.r, point.r), col: nearest(m.k, point.k)))
  }
}

extension OctahedronFitResult {
  /// Text of NAME.octahedron.wavelet: one line per map cell, `k R data model residual` and each
  /// group's |W| (xyz layout, rows of constant R separated by blank lines for gnuplot's pm3d).
  public func waveletGridText(_ maps: ModelWaveletMaps) -> String {
    let m = maps.model
    let p = m.parameters
    var lines = [
      "# exafs octahedron: Morlet |W(k, R)| of data, model, residual and path groups (\(source))",
      "# eta \(p.eta) sigma \(p.sigma) kweight \(p.kweight) k \(p.kmin ?? 0) ... \(p.kmax ?? 0) 1/A, normalization \(p.normalization.rawValue)",
      "# k r data model residual " + maps.groups.map(\.name).joined(separator: " "),
    ]
    lines.reserveCapacity(m.r.count * (m.k.count + 1) + 3)
    for i in m.r.indices {
      for j in m.k.indices {
        var row = [m.k[j], m.r[i], maps.data.magnitude(row: i, col: j), m.magnitude(row: i, col: j), maps.residual.magnitude(row: i, col: j)]
        for g in maps.groups { row.append(g.map.magnitude(row: i, col: j)) }
        lines.append(row.map { String(format: "%.8g", $0) }.joined(separator: " "))
      }
      lines.append("")
    }
    return lines.joined(separator: "\n") + "\n"
  }
}
