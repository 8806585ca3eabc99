// Writing an octahedron fit: NAME.octahedron.json, NAME.octahedron.chik and NAME.octahedron.chir.
import Foundation

extension OctahedronFitResult {
  /// Names of the model's groups in output order.
  public var groupNames: [String] {
    var n = ["first_shell"]
    for s in outerShells { n.append("shell_\(s.element)\(s.count)") }
    return n + ["ligand_ms", "outer_ms"]
  }

  /// The groups of the wavelet maps: a partition of the model (they sum to it), with `ligand_ms`
  /// split into its focused (about 2 R0) and triangle (about 1.71 R0) paths.
  public var waveletGroupNames: [String] {
    var n = ["first_shell"]
    for s in outerShells { n.append("shell_\(s.element)\(s.count)") }
    return n + ["ligand_ms_focused", "ligand_ms_triangles", "outer_ms"]
  }

  /// chi(R) of `chi` on the fit's k grid with the fit transform (first k-weight), up to `rmaxOut`.
  public func transformed(_ chi: [Double], rmaxOut: Double = 10) -> ChiR {
    var p = FTParameters()
    p.kmin = transform.kmin; p.kmax = transform.kmax; p.dk = transform.dk; p.dk2 = transform.dk2
    p.window = transform.window; p.kweight = transform.kweight[0]; p.rmaxOut = rmaxOut
    p.nfft = transform.nfft; p.kstep = transform.kstep
    return FourierTransform.forward(k: k, chi: chi, parameters: p)
  }

  /// Text of NAME.octahedron.chik: k, data, model, each group's chi(k), then ligand_ms's two parts.
  public func chikText() -> String {
    var lines = ["# exafs octahedron: chi(k) of data, model and path groups (\(source))"]
    let columns = groupNames + ["ligand_ms_focused", "ligand_ms_triangles"]
    lines.append("# k data model " + columns.joined(separator: " "))
    for i in k.indices {
      var row = [k[i], data[i], model[i]]
      for g in columns { row.append(groups[g]?[i] ?? 0) }
      lines.append(row.map { String(format: "%.10g", $0) }.joined(separator: " "))
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// Text of NAME.octahedron.chir: R, |chi(R)| of data and model, Re and Im of both, |chi(R)| of each group.
  public func chirText() -> String {
    let d = transformed(data), m = transformed(model)
    let gs = groupNames.map { transformed(groups[$0] ?? []).mag }
    let dm = d.mag, mm = m.mag
    var lines = ["# exafs octahedron: chi(R) (k-weight \(transform.kweight[0]), window \(transform.window.rawValue), k \(transform.kmin)-\(transform.kmax)) (\(source))"]
    lines.append("# r data_mag data_re data_im model_mag model_re model_im " + groupNames.map { "\($0)_mag" }.joined(separator: " "))
    for i in d.r.indices {
      var row = [d.r[i], dm[i], d.re[i], d.im[i], mm[i], m.re[i], m.im[i]]
      for g in gs { row.append(i < g.count ? g[i] : 0) }
      lines.append(row.map { String(format: "%.10g", $0) }.joined(separator: " "))
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// Writes NAME.octahedron.json, .chik and .chir into `outdir` (each atomically, all built first).
  /// - Throws: `.numerical` when a value is not finite (nothing is written then).
  @discardableResult
  public func write(to outdir: String, name: String) throws -> [String] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    let json: Data
    do { json = try encoder.encode(self) } catch {
      throw EXAFSError.numerical("\(source): the octahedron fit could not be encoded (a value is not finite): \(error)")
    }
    let base = (outdir as NSString).appendingPathComponent(name)
    let files: [(String, Data)] = [
      (base + ".octahedron.json", json), (base + ".octahedron.chik", Data(chikText().utf8)),
      (base + ".octahedron.chir", Data(chirText().utf8)),
    ]
    for (path, content) in files { try AtomicWriter.write(content, to: path) }
    return files.map(\.0)
  }
}
