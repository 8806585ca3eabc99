// `exafs merge FILES... -o merged.dat`: average repeated scans (optionally aligned first) with their standard deviation.
import ArgumentParser
import EXAFSKit
import Foundation

struct Merge: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Average repeated scans in mu(E) or chi(k), with the standard deviation, optionally aligned first.",
    discussion: """
      The first scan is the standard: its energies (inside the overlap of all scans) are the grid of \
      an mu(E) merge, and with --align every other scan is shifted in energy so that its reference \
      channel matches the first scan's (least squares on d mu/dE over E0-15 to E0+35 eV, as Larch's \
      energy_align). The shifts are printed and written into the header. Output columns: energy mu \
      stddev (or k chi stddev with --space k); the header holds n_scans and the scans in order.
      """)

  @Argument(help: "Scans to merge: column/XDI files or Athena projects (each mu(E) group is one scan).")
  var inputs: [String]
  @Option(name: [.short, .customLong("output")], help: "Merged column file to write.")
  var output: String
  @Option(help: "Merge in 'e' (mu(E)) or 'k' (chi(k): each scan normalized and AUTOBK'd with Larch's defaults).")
  var space: String = "e"
  @Flag(help: "Align every scan to the first before merging.")
  var align = false
  @Option(help: "Reference channel for --align, an expression like --mu, e.g. 'ln(it/iref)' (default: mu itself).")
  var ref: String?
  @Option(help: "Start of the alignment window, eV relative to the first scan's E0 (Larch's default).")
  var alignEmin: Double = -15
  @Option(help: "End of the alignment window, eV relative to the first scan's E0 (Larch's default).")
  var alignEmax: Double = 35
  @OptionGroup var input: InputOptions
  @OptionGroup var range: EnergyRangeOptions
  @Option(help: "Also write the merged group to this Athena project file (gzip).")
  var athena: String?

  var mergeSpace: MergeSpace? { MergeSpace(rawValue: space.lowercased()) }

  func validate() throws {
    guard mergeSpace != nil else { throw ValidationError("--space must be 'e' (mu(E)) or 'k' (chi(k)), got '\(space)'") }
    if ref != nil, !align { throw ValidationError("--ref names the channel that --align uses; add --align") }
    guard alignEmin < alignEmax else { throw ValidationError("--align-emin must be below --align-emax") }
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
      let merged = try mergeScans(scans, parameters: MergeParameters(space: mergeSpace ?? .energy))
      try AtomicWriter.write(merged.columnFileText(extraHeader: header), to: output)
      let unit = merged.space == .energy ? "eV" : "1/Å"
      print(
        "merged \(merged.scanCount) scans in \(merged.space == .energy ? "mu(E)" : "chi(k)") -> \(output) "
          + "(\(merged.x.count) points, \(scanText(merged.x.first)) to \(scanText(merged.x.last)) \(unit); "
          + "largest stddev \(scanText(merged.stddev.max())))")
      if let athena {
        let label = URL(fileURLWithPath: output).deletingPathExtension().lastPathComponent
        try AtomicWriter.write(try AthenaProject.write(groups: [merged.athenaGroup(label: label)]), to: athena)
        print("Athena project: \(athena) (1 group, '\(label)')")
      }
    }
  }

  /// The scans aligned to the first on their reference channels; prints and returns the shifts.
  private func alignToFirst(_ scans: [XASSpectrum]) throws -> (scans: [XASSpectrum], header: [String]) {
    var references: [XASSpectrum]?
    if let ref {
      let options = ReadOptions(mu: ref, energyColumn: input.energyColumn, groups: input.group)
      do {
        references = try readScans(inputs, options: options).map(range.apply)
      } catch EXAFSError.invalidParameter("mu", let message) {
        throw EXAFSError.invalidParameter("ref", message)
      }
    }
    var parameters = AlignmentParameters()
    parameters.emin = alignEmin
    parameters.emax = alignEmax
    let aligned = try alignScans(scans, references: references, parameters: parameters)
    let e0 = aligned.alignments.first?.e0 ?? .nan
    let channel = ref ?? "mu"
    print(
      "aligned to \(scans[0].name) on d(\(channel))/dE from E0\(String(format: "%+g", alignEmin)) "
        + "to E0\(String(format: "%+g", alignEmax)) eV "
        + "(E0 = \(scanText(e0)) eV):")
    var header = [
      "align.reference: \(channel)",
      "align.window: \(alignEmin) to \(alignEmax) eV relative to E0 = \(scanText(e0)) eV of \(scans[0].name)",
      "align.convention: eshift (eV) was added to each scan's energies (Larch's eshift, Athena's energy shift)",
    ]
    for (i, a) in aligned.alignments.enumerated() {
      let line =
        "\(scans[i].name): eshift \(signed(a.eshift)) eV "
        + "(scale \(scanText(a.scale)), misfit \(scanText(a.relativeMisfit)))"
      print("  \(line)")
      header.append("align.eshift.\(i + 1): \(line)")
    }
    return (aligned.scans, header)
  }
}
