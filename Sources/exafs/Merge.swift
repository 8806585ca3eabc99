// `exafs merge FILES... -o merged.dat`: average repeated scans (optionally aligned first) with their standard deviation.
import ArgumentParser
import EXAFSKit
import EXAFSPlot
import Foundation

struct Merge: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Average repeated scans in mu(E) or chi(k), with the standard deviation, optionally aligned first.",
    discussion: """
      The first scan is the standard: its energies (inside the overlap of all scans) are the grid of \
      an mu(E) merge, and with --align every other scan is shifted in energy so that its reference \
      channel matches the first scan's (least squares on d mu/dE over E0-15 to E0+35 eV, as Larch's \
      energy_align). The shifts are printed and written into the header. --space mu (as measured), \
      norm (each scan normalized) or chi (each scan normalized and AUTOBK'd, Larch's defaults); \
      --weights equal (Larch's merge_groups), importance (--importance, Athena's) or variance \
      (1/noise^2 of each scan in that space). Output columns: energy mu stddev (norm merges: the \
      normalized mean in the mu column) or k chi stddev; the header holds n_scans, the scans, the \
      weights and each scan's noise.
      """)

  @Argument(help: "Scans to merge: column/XDI files or Athena projects (each mu(E) group is one scan).")
  var inputs: [String]
  @Option(name: [.short, .customLong("output")], help: "Merged column file to write.")
  var output: String
  @Option(help: "Merge in 'mu' (mu(E)), 'norm' (normalized mu(E)) or 'chi' (chi(k): each scan normalized and AUTOBK'd with Larch's defaults); 'e' and 'k' are mu and chi.")
  var space: String = "mu"
  @Option(help: "Weights: equal, importance (give --importance) or variance (1/noise^2 of each scan in --space).")
  var weights: MergeWeightChoice = .equal
  @Option(help: "Importance of each scan in order, comma separated (e.g. 2,1,1), with --weights importance.")
  var importance: String?
  @Flag(help: "Align every scan to the first before merging.")
  var align = false
  @OptionGroup var alignment: AlignmentOptions
  @OptionGroup var input: InputOptions
  @OptionGroup var range: EnergyRangeOptions
  @Option(help: "Also write the merged group to this Athena project file (gzip).")
  var athena: String?
  @Flag(help: "Also draw every scan and the merge in the merged quantity, as OUTPUT's stem + .png (or --plot-format).")
  var plot = false
  @Option(help: "Image format of --plot.")
  var plotFormat: PlotFormat = .png
  @OptionGroup var overlay: OverlayOptions

  /// The quantity merged; 'e' and 'k' (the old spellings) are mu and chi.
  var quantity: WeightedMergeQuantity? {
    switch space.lowercased() {
    case "e": return .mu
    case "k": return .chi
    default: return WeightedMergeQuantity(rawValue: space.lowercased())
    }
  }

  var importanceValues: [Double]? {
    importance.map { $0.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) ?? .nan } }
  }

  func validate() throws {
    guard quantity != nil else {
      throw ValidationError("--space must be 'mu', 'norm' or 'chi' (or 'e', 'k'), got '\(space)'")
    }
    if weights == .importance {
      guard let w = importanceValues, !w.isEmpty, w.allSatisfy({ $0.isFinite && $0 >= 0 }), w.contains(where: { $0 > 0 }) else {
        throw ValidationError("--weights importance needs --importance W1,W2,... (numbers >= 0, not all zero)")
      }
    } else if importance != nil {
      throw ValidationError("--importance goes with --weights importance")
    }
    if alignment.ref != nil, !align { throw ValidationError("--ref names the channel that --align uses; add --align") }
  }

  func run() throws {
    try checkOutputs(files: [("output", output), ("athena", athena)], inputs: inputs)
    try reportingErrors {
      var scans = try readScans(inputs, options: input.readOptions).map(range.apply)
      guard scans.count >= 2 else {
        throw EXAFSError.invalidParameter("FILES", "merge needs at least 2 scans; the inputs hold \(scans.count)")
      }
      var header = range.headerLines
      if align {
        let aligned = try alignToFirst(scans)
        scans = aligned.scans
        header += aligned.header
      }
      let q = quantity ?? .mu
      let weighting: MergeWeighting
      switch weights {
      case .equal: weighting = .equal
      case .variance: weighting = .inverseVariance
      case .importance: weighting = .importance(importanceValues ?? [])
      }
      let result = try mergeScans(scans, quantity: q, weighting: weighting)
      let merged = result.merged
      header.append("merge.quantity: \(q.rawValue)" + (q == .norm ? " (normalized mu(E), in the mu column)" : ""))
      header.append("merge.weighting: \(weights.rawValue)")
      for (i, name) in merged.names.enumerated() {
        header.append("merge.weight.\(i + 1): \(name): weight \(scanText(result.weights[i])), noise \(scanText(result.noise[i]))")
      }
      try AtomicWriter.write(merged.columnFileText(extraHeader: header), to: output)
      let unit = merged.space == .energy ? "eV" : "1/Å"
      if weights != .equal {
        print("weights (\(weights.rawValue)): " + zip(merged.names, result.weights).map { "\($0) \(scanText($1))" }.joined(separator: ", "))
      }
      print(
        "merged \(merged.scanCount) scans in \(["mu": "mu(E)", "norm": "normalized mu(E)", "chi": "chi(k)"][q.rawValue] ?? q.rawValue) -> \(output) "
          + "(\(merged.x.count) points, \(scanText(merged.x.first)) to \(scanText(merged.x.last)) \(unit); "
          + "largest stddev \(scanText(merged.stddev.max())))")
      if plot {
        let figurePath = URL(fileURLWithPath: output).deletingPathExtension().appendingPathExtension(plotFormat.rawValue).path
        do {
          try PlotRenderer.write(result.figure(spacing: overlay.spacing), to: figurePath, format: plotFormat)
        } catch let error as PlotError {
          printError("error: \(figurePath): \(error)")
          throw ExitCode.failure
        }
        print("figure: \(figurePath)")
      }
      if let athena {
        let label = URL(fileURLWithPath: output).deletingPathExtension().lastPathComponent
        try AtomicWriter.write(try AthenaProject.write(groups: [merged.athenaGroup(label: label)]), to: athena)
        print("Athena project: \(athena) (1 group, '\(label)')")
      }
    }
  }

  /// The scans aligned to the first on their reference channels; prints and returns the shifts.
  private func alignToFirst(_ scans: [XASSpectrum]) throws -> (scans: [XASSpectrum], header: [String]) {
    let aligned = try alignment.align(scans, inputs: inputs, readOptions: input.readOptions, range: range)
    return (aligned.scans, aligned.header)
  }

}

/// The choice of `merge --weights`.
enum MergeWeightChoice: String, CaseIterable, ExpressibleByArgument {
  case equal, importance, variance
}
