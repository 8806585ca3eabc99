// The files `exafs process` writes for one spectrum: NAME.nor, NAME.chik, NAME.chir, NAME.json.
import Foundation

/// A JSON scalar for the summary (numbers, text, integers, null).
public enum JSONScalar: Sendable, Codable, Equatable {
  case number(Double)
  case text(String)
  case null

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.singleValueContainer()
    switch self {
    case .number(let v):
      if v.isFinite { try c.encode(v) } else { try c.encodeNil() }
    case .text(let s): try c.encode(s)
    case .null: try c.encodeNil()
    }
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.singleValueContainer()
    if c.decodeNil() { self = .null } else if let v = try? c.decode(Double.self) { self = .number(v) } else {
      self = .text(try c.decode(String.self))
    }
  }
}

/// One parameter in the summary: its value and where it came from.
public struct ParameterRecord: Sendable, Codable, Equatable {
  public var value: JSONScalar
  public var source: ParameterSource
}

/// The machine-readable summary `NAME.json`.
public struct ProcessingSummary: Sendable, Codable {
  public var name: String
  public var source: String
  public var tool: [String: String]
  public var kind: String
  public var e0: Double?
  public var edge_step: Double?
  public var kmax_data: Double?
  public var first_shell: [String: Double]?
  public var parameters: [String: ParameterRecord]
  public var metadata: [String: String]
  public var notes: [String]
  public var warnings: [String]
  public var wavelet: WaveletParameters?
  public var hinge: HingeMetrics?
}

extension ProcessedSpectrum {
  /// Every parameter used, by canonical name, with its source.
  public var parameterRecords: [String: ParameterRecord] {
    let s = settings
    func rec(_ name: String, _ v: Double?) -> (String, ParameterRecord) {
      (name, ParameterRecord(value: v.map(JSONScalar.number) ?? .null, source: s.sources[name] ?? .default))
    }
    func text(_ name: String, _ v: String) -> (String, ParameterRecord) {
      (name, ParameterRecord(value: .text(v), source: s.sources[name] ?? .default))
    }
    var list: [(String, ParameterRecord)] = []
    if normalized != nil {
      let n = s.normalization
      let a = s.autobk
      list += [
        rec("e0", n.e0), rec("pre1", n.pre1), rec("pre2", n.pre2), rec("norm1", n.norm1), rec("norm2", n.norm2),
        rec("nnorm", n.nnorm.map(Double.init)), rec("rbkg", a.rbkg), rec("bkg_kweight", a.kweight),
        rec("bkg_kmin", a.kmin), rec("bkg_kmax", a.kmax), rec("bkg_dk", a.dk), text("bkg_window", a.window.rawValue),
        rec("clamp_lo", a.clampLo), rec("clamp_hi", a.clampHi), rec("nclamp", Double(a.nclamp)),
        rec("nknots", a.nknots.map(Double.init)),
      ]
    }
    let f = s.fourier
    list += [
      rec("kmin", f.kmin), rec("kmax", f.kmax), rec("dk", f.dk), rec("dk2", f.dk2 ?? f.dk),
      text("window", f.window.rawValue), rec("kweight", f.kweight), rec("rmax_out", f.rmaxOut),
      rec("nfft", Double(f.nfft)), rec("kstep", f.kstep),
    ]
    return Dictionary(list, uniquingKeysWith: { a, _ in a })
  }

  /// The largest |chi(R)| between rmin and rmax (Å): R of the maximum and its height.
  public func chirPeak(rmin: Double, rmax: Double) -> (r: Double, mag: Double)? {
    chir.peak(rmin: rmin, rmax: rmax)
  }

  /// The summary written to NAME.json.
  public var summary: ProcessingSummary {
    let rmin = normalized != nil ? settings.autobk.rbkg : 1.0
    let peak = chirPeak(rmin: rmin, rmax: 3.5)
    return ProcessingSummary(
      name: name, source: source, tool: ["name": "exafs (EXAFSKit)", "version": exafsKitVersion],
      kind: normalized != nil ? "mu" : "chi", e0: normalized?.e0, edge_step: normalized?.edgeStep,
      kmax_data: chik.k.last, first_shell: peak.map { ["r": $0.r, "mag": $0.mag] },
      parameters: parameterRecords, metadata: metadata, notes: notes, warnings: warnings,
      wavelet: wavelet?.parameters, hinge: hinge)
  }

  /// File name -> contents of every output of this spectrum.
  public func outputFiles() throws -> [(name: String, contents: Data)] {
    var files: [(String, Data)] = []
    let header = [
      "EXAFSKit \(exafsKitVersion): \(name) from \(source)",
    ]
    if let n = normalized {
      let bkg = chik.background ?? n.spectrum.mu
      let text = ColumnFileWriter.format(
        header: header + [
          "e0 = \(n.e0) eV, edge_step = \(n.edgeStep)",
          "norm = (mu - pre_edge)/edge_step; flat: post-edge curvature removed; bkg: AUTOBK mu0(E) in mu units",
        ],
        names: ["energy", "mu", "norm", "flat", "bkg", "pre_edge", "post_edge"],
        columns: [n.spectrum.energy, n.spectrum.mu, n.norm, n.flat, bkg, n.preEdge, n.postEdge])
      files.append(("\(name).nor", Data(text.utf8)))
    }
    let f = chir.parameters
    let chiOnGrid = linearInterpolate(x: chik.k, y: chik.chi, at: chir.k)
    let chikText = ColumnFileWriter.format(
      header: header + [
        "k in 1/Angstrom; kwchi = k^\(f.kweight) chi(k); window: \(f.window.rawValue) kmin=\(f.kmin) kmax=\(f.kmax ?? 0) dk=\(f.dk)",
      ],
      names: ["k", "chi", "kwchi", "window"], columns: [chir.k, chiOnGrid, chir.kwchi, chir.window])
    files.append(("\(name).chik", Data(chikText.utf8)))
    let chirText = ColumnFileWriter.format(
      header: header + [
        "r in Angstrom (phase-uncorrected); FT of k^\(f.kweight) chi(k), \(f.window.rawValue) window k=\(f.kmin)..\(f.kmax ?? 0), dk=\(f.dk); phase in radians",
      ],
      names: ["r", "mag", "re", "im", "phase"], columns: [chir.r, chir.mag, chir.re, chir.im, chir.phase])
    files.append(("\(name).chir", Data(chirText.utf8)))
    if let map = wavelet, settings.waveletExport.writeGrid {
      let data = map.gridData(
        format: settings.waveletExport.format, part: settings.waveletExport.part,
        title: "EXAFSKit \(exafsKitVersion): wavelet map of \(name) from \(source)")
      files.append(("\(name).wavelet", data))
    }
    files.append(contentsOf: try plotFiles(settings.plots))
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    files.append(("\(name).json", try encoder.encode(summary)))
    return files
  }
}
