// The files `exafs process` writes for one spectrum: NAME.nor, NAME.chik, NAME.chir, NAME.json.
import Foundation

/// One output file: its name (relative to the output folder) and contents.
public struct OutputFile: Sendable, Equatable {
  public var name: String
  public var contents: Data
  public init(name: String, contents: Data) {
    self.name = name
    self.contents = contents
  }
}

extension ProcessedSpectrum {
  /// Every processing parameter that applies to this input (all of them for mu(E), the Fourier
  /// transform's for chi(k)), by Larch name, with its value and source.
  public var parameterRecords: [String: ParameterRecord] {
    let stages: Set<ProcessingStage> = normalized != nil ? Set(ProcessingStage.allCases) : [.fourier, .backTransform]
    var records: [String: ParameterRecord] = [:]
    for p in ProcessingParameter.all where stages.contains(p.stage) {
      records[p.name] = ParameterRecord(value: JSONScalar(settings[p]), source: settings.sources[p.name] ?? .default)
    }
    return records
  }

  /// The result record (the contents of NAME.json).
  public var record: SpectrumRecord { SpectrumRecord(self) }

  /// The data files of this spectrum: NAME.nor (mu(E) input), NAME.chik, NAME.chir, NAME.wavelet
  /// (when a map was computed and `settings.waveletExport.writeGrid`), and NAME.json last.
  /// - Parameter record: this spectrum's `record`, when the caller has it already (it is derived
  ///   on each access of `record`).
  public func outputFiles(record: SpectrumRecord? = nil) throws -> [OutputFile] {
    var files: [OutputFile] = []
    let header = [
      "EXAFSKit \(exafsKitVersion): \(name) from \(source)",
    ]
    if let n = normalized {
      let bkg = chik.background ?? n.spectrum.mu
      let text = ColumnFileWriter.formatData(
        header: header + [
          "e0 = \(n.e0) eV, edge_step = \(n.edgeStep)",
          "norm = (mu - pre_edge)/edge_step; flat: post-edge curvature removed; bkg: AUTOBK mu0(E) in mu units",
        ],
        names: ["energy", "mu", "norm", "flat", "bkg", "pre_edge", "post_edge"],
        columns: [n.spectrum.energy, n.spectrum.mu, n.norm, n.flat, bkg, n.preEdge, n.postEdge])
      files.append(OutputFile(name: "\(name).nor", contents: text))
    }
    let f = chir.parameters
    let chiOnGrid = linearInterpolate(x: chik.k, y: chik.chi, at: chir.k)
    let chikText = ColumnFileWriter.formatData(
      header: header + [
        "k in 1/Angstrom; kwchi = k^\(f.kweight) chi(k); window: \(f.window.rawValue) kmin=\(f.kmin) kmax=\(f.kmax ?? 0) dk=\(f.dk)",
      ],
      names: ["k", "chi", "kwchi", "window"], columns: [chir.k, chiOnGrid, chir.kwchi, chir.window])
    files.append(OutputFile(name: "\(name).chik", contents: chikText))
    let chirText = ColumnFileWriter.formatData(
      header: header + [
        "r in Angstrom (\(chir.phaseCorrection.map { "phase-corrected with \($0)" } ?? "phase-uncorrected")); FT of k^\(f.kweight) chi(k), \(f.window.rawValue) window k=\(f.kmin)..\(f.kmax ?? 0), dk=\(f.dk); phase in radians",
      ],
      names: ["r", "mag", "re", "im", "phase"], columns: [chir.r, chir.mag, chir.re, chir.im, chir.phase])
    files.append(OutputFile(name: "\(name).chir", contents: chirText))
    if let map = wavelet, settings.waveletExport.writeGrid {
      let data = map.gridData(
        format: settings.waveletExport.format, part: settings.waveletExport.part,
        title: "EXAFSKit \(exafsKitVersion): wavelet map of \(name) from \(source)")
      files.append(OutputFile(name: "\(name).wavelet", contents: data))
    }
    files.append(OutputFile(name: "\(name).json", contents: try (record ?? self.record).json()))
    return files
  }
}
