// `exafs align REF OTHER... -o OUTDIR`: shift scans in energy onto a reference, as merge --align does, and write them.
import ArgumentParser
import EXAFSKit
import Foundation

struct Align: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Align scans in energy to the first one and write each aligned scan.",
    discussion: """
      Every scan after the first is shifted in energy so that its reference channel matches the \
      first scan's (least squares on d mu/dE over E0-15 to E0+35 eV, as Larch's energy_align). \
      Writes OUTDIR/NAME.aligned (energy mu) per scan and OUTDIR/alignment.csv (name, eshift, scale, \
      misfit); the shifts are in each file's header.
      """)

  @Argument(help: "The standard scan, then the scans to align to it (column/XDI files or Athena projects).")
  var inputs: [String]
  @Option(name: [.short, .customLong("output")], help: "Output folder (created if missing).")
  var outdir: String
  @OptionGroup var alignment: AlignmentOptions
  @OptionGroup var input: InputOptions
  @OptionGroup var range: EnergyRangeOptions

  func run() throws {
    try createDirectory(outdir)
    try reportingErrors {
      let scans = try readScans(inputs, options: input.readOptions).map(range.apply)
      guard scans.count >= 2 else {
        throw EXAFSError.invalidParameter("FILES", "align needs at least 2 scans; the inputs hold \(scans.count)")
      }
      let aligned = try alignment.align(scans, inputs: inputs, readOptions: input.readOptions, range: range)
      var names = Set<String>()
      var files: [OutputFile] = []
      var csv = ["name,source,eshift,scale,misfit"]
      for (scan, a) in zip(aligned.scans, aligned.alignments) {
        let name = Batch.uniqueName(scan.name, &names)
        let text = ColumnFileWriter.format(
          header: ["EXAFSKit \(exafsKitVersion): \(name) from \(scan.source), aligned to \(scans[0].name)"]
            + aligned.header + ["eshift = \(a.eshift) eV was added to the energies"],
          names: ["energy", "mu"], columns: [scan.energy, scan.mu])
        files.append(OutputFile(name: "\(name).aligned", contents: Data(text.utf8)))
        csv.append([csvQuote(name), csvQuote(scan.source), "\(a.eshift)", "\(a.scale)", "\(a.relativeMisfit)"].joined(separator: ","))
      }
      files.append(OutputFile(name: "alignment.csv", contents: Data((csv.joined(separator: "\n") + "\n").utf8)))
      try Batch.writeAll(files, in: outdir)
      print("\(aligned.scans.count) scans aligned to \(scans[0].name); outputs in \(outdir) (alignment.csv)")
    }
  }
}

/// The alignment options shared by `merge --align` and `align`.
struct AlignmentOptions: ParsableArguments {
  @Option(help: "Reference channel for the alignment, an expression like --mu, e.g. 'ln(it/iref)' (default: mu itself).")
  var ref: String?
  @Option(help: "Start of the alignment window, eV relative to the first scan's E0 (Larch's default).")
  var alignEmin: Double = -15
  @Option(help: "End of the alignment window, eV relative to the first scan's E0 (Larch's default).")
  var alignEmax: Double = 35

  func validate() throws {
    guard alignEmin < alignEmax else { throw ValidationError("--align-emin must be below --align-emax") }
  }

  /// `scans` aligned to the first on their reference channels (`ref`, an expression over the
  /// inputs' columns, or mu itself); prints the shifts and returns them as header lines too.
  func align(_ scans: [XASSpectrum], inputs: [String], readOptions: ReadOptions, range: EnergyRangeOptions) throws
    -> (scans: [XASSpectrum], alignments: [EnergyAlignment], header: [String])
  {
    let emin = alignEmin, emax = alignEmax
    var references: [XASSpectrum]?
    if let ref {
      let options = ReadOptions(mu: ref, energyColumn: readOptions.energyColumn, groups: readOptions.groups)
      do {
        references = try readScans(inputs, options: options).map(range.apply)
      } catch EXAFSError.invalidParameter("mu", let message) {
        throw EXAFSError.invalidParameter("ref", message)
      }
    }
    var parameters = AlignmentParameters()
    parameters.emin = emin
    parameters.emax = emax
    let aligned = try alignScans(scans, references: references, parameters: parameters)
    let e0 = aligned.alignments.first?.e0 ?? .nan
    let channel = ref ?? "mu"
    print(
      "aligned to \(scans[0].name) on d(\(channel))/dE from E0\(String(format: "%+g", emin)) "
        + "to E0\(String(format: "%+g", emax)) eV (E0 = \(scanText(e0)) eV):")
    var header = [
      "align.reference: \(channel)",
      "align.window: \(emin) to \(emax) eV relative to E0 = \(scanText(e0)) eV of \(scans[0].name)",
      "align.convention: eshift (eV) was added to each scan's energies (Larch's eshift, Athena's energy shift)",
    ]
    for (i, a) in aligned.alignments.enumerated() {
      let line = "\(scans[i].name): eshift \(signed(a.eshift)) eV (scale \(scanText(a.scale)), misfit \(scanText(a.relativeMisfit)))"
      print("  \(line)")
      header.append("align.eshift.\(i + 1): \(line)")
    }
    return (aligned.scans, aligned.alignments, header)
  }
}
