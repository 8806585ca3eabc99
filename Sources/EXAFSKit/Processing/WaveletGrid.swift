// Text grids of a wavelet map: gnuplot's "nonuniform matrix" and k-R-value triplets.
import Foundation

/// Layout of the exported wavelet map.
public enum WaveletGridFormat: String, Sendable, Codable, CaseIterable {
  /// First row `N k1 ... kN`, then one row per R: `R_i z_i1 ... z_iN`
  /// (gnuplot: `plot 'NAME.wavelet' nonuniform matrix with image`).
  case matrix
  /// `k R value` triplets, a blank line between R blocks (gnuplot pm3d/splot, Origin XYZ).
  case xyz
}

/// Which quantity of the complex map is written.
public enum WaveletPart: String, Sendable, Codable, CaseIterable {
  case mag, re, im
}

extension WaveletMap {
  /// Values of `part` at every point, row-major (rows = R).
  public func values(_ part: WaveletPart) -> [Double] {
    switch part {
    case .mag: return magnitude
    case .re: return re
    case .im: return im
    }
  }

  /// One row of `part` (row-major index row * k.count + col) into `line` (k.count values).
  func rowValues(_ part: WaveletPart, row: Int, into line: inout [Double]) {
    let nk = k.count
    re.withUnsafeBufferPointer { a in
      im.withUnsafeBufferPointer { b in
        line.withUnsafeMutableBufferPointer { out in
          let base = row * nk
          switch part {
          case .mag: for j in 0..<nk { out[j] = (a[base + j] * a[base + j] + b[base + j] * b[base + j]).squareRoot() }
          case .re: for j in 0..<nk { out[j] = a[base + j] }
          case .im: for j in 0..<nk { out[j] = b[base + j] }
          }
        }
      }
    }
  }

  /// One value of `part`.
  func value(_ part: WaveletPart, row: Int, col: Int) -> Double {
    switch part {
    case .mag: return magnitude(row: row, col: col)
    case .re: return re[row * k.count + col]
    case .im: return im[row * k.count + col]
    }
  }

  /// The map as text in `format`, with `#` comment lines naming every parameter.
  public func gridText(format: WaveletGridFormat, part: WaveletPart, title: String) -> String {
    String(decoding: gridData(format: format, part: part, title: title), as: UTF8.self)
  }

  /// The map as UTF-8 text in `format` (see `gridText`), built without per-number Strings.
  public func gridData(format: WaveletGridFormat, part: WaveletPart, title: String) -> Data {
    let p = parameters
    var lines: [String] = []
    lines.append("# \(title)")
    var desc = "# wavelet = \(p.kind.rawValue)"
    switch p.kind {
    case .morlet: desc += ", eta = \(p.eta), sigma = \(p.sigma), normalization = \(p.normalization.rawValue)"
    case .cauchy: desc += ", order = \(p.cauchyOrder.map(String.init) ?? "number of R points (Larch)")"
    }
    lines.append(desc)
    lines.append("# kweight = \(p.kweight); quantity = \(part.rawValue) of W(k, R) of k^\(p.kweight) chi(k) (6 significant digits); k in 1/Angstrom, R in Angstrom (phase-uncorrected)")
    lines.append("# \(k.count) k points (\(fmtGrid(k.first)) ... \(fmtGrid(k.last))), \(r.count) R points (\(fmtGrid(r.first)) ... \(fmtGrid(r.last)))")
    let space = UInt8(ascii: " "), newline = UInt8(ascii: "\n")
    let out = NumberTextBuffer(capacity: 12 * (r.count * k.count + k.count + r.count) + 1024)
    switch format {
    case .matrix:
      lines.append("# gnuplot: plot 'FILE' nonuniform matrix with image; first row: N k_1 ... k_N, then R_i z_i1 ... z_iN")
      out.append(lines.joined(separator: "\n") + "\n")
      out.append(String(k.count))
      k.withUnsafeBufferPointer { out.append($0, separator: space, digits: 8) }
      out.append(byte: newline)
      // One row at a time (|W| computed per row, not as a whole second map).
      var line = [Double](repeating: 0, count: k.count)
      for row in 0..<r.count {
        rowValues(part, row: row, into: &line)
        out.append(r[row])
        line.withUnsafeBufferPointer { out.append($0, separator: space, digits: 6) }
        out.append(byte: newline)
      }
    case .xyz:
      lines.append("# k R \(part.rawValue)")
      out.append(lines.joined(separator: "\n") + "\n")
      for row in 0..<r.count {
        for col in 0..<k.count {
          out.append(k[col])
          out.append(byte: space)
          out.append(r[row])
          out.append(byte: space)
          out.append(value(part, row: row, col: col), digits: 6)
          out.append(byte: newline)
        }
        out.append(byte: newline)
      }
    }
    return out.takeData()
  }
}

private func fmtGrid(_ v: Double?) -> String { v.map { String(format: "%.4g", $0) } ?? "-" }
