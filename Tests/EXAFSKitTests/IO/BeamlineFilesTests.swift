// Tests of files as beamlines write them: headers without '#', SPEC scans, angle columns,
// Scan.plot_hint, --energy-column by index; every shared beamline file against Larch.
import Foundation
import Testing

@testable import EXAFSKit
@testable import EXAFSPlot
@testable import EXAFSReport

struct BeamlineFilesTests {
  struct Reference: Decodable {
    struct Case: Decodable {
      var file: String
      var energy_column: Int
      var points: Int
      var e0: Double
      var edge_step: Double
    }
    var cases: [Case]
  }

  /// How each shared file is read: the --mu each beamline documents (nil: none given, the file
  /// says), and --energy-column as a bare 1-based index.
  static let options: [String: (mu: String?, energyColumn: String?)] = [
    "beamline-formats/pt.stan": ("ln($2/$3)", nil),
    "beamline-formats/x23a2med.dat": ("($4+$5+$6+$7)/$2", nil),
    "beamline-formats/MRCAT_10ID_qexafs/goethite.stan": ("ln(mcs3/mcs4)", nil),
    "beamline-formats/MRCAT_10ID_qexafs/hematite.stan": ("ln(mcs3/mcs4)", nil),
    "beamline-formats/MRCAT_10ID_qexafs/lepidocrocite.stan": ("ln(mcs3/mcs4)", nil),
    "beamline-formats/ORP5.000": ("ln($6/$7)", "3"),
    "beamline-formats/APS20ID_2022.dat": ("$11/$7", "1"),
    "ta-l3/Ta-L3-TantalumOxide.xdi": (nil, nil),
    "l3-neighbours/Pt-L3-PlatinumFoil.xdi": (nil, nil),
  ]

  /// Every file of ../shared/data/real/beamline-formats (and two BMM reference-wheel XDI files)
  /// read and normalized: point count equal to Larch's read_ascii (after the same sort and merge),
  /// E0 within 1e-9 eV and edge step within 1e-12 relative of Larch's pre_edge
  /// (Tests/Reference/make_beamline_reference.py; measured: identical E0, step within 7e-15).
  @Test(.enabled(if: RealData.available, RealData.absent))
  func everySharedBeamlineFileMatchesLarch() throws {
    let data = try Data(contentsOf: URL(fileURLWithPath: try IOTestSupport.fixture("../beamline/beamline_reference.json")))
    let reference = try JSONDecoder().decode(Reference.self, from: data)
    let shared = Set(RealData.files("beamline-formats").filter { !$0.hasSuffix("MRCAT_10ID_qexafs") }
      + RealData.files("beamline-formats/MRCAT_10ID_qexafs"))
    let covered = Set(reference.cases.map { RealData.root.appendingPathComponent($0.file).path })
    #expect(shared.isSubset(of: covered), "a shared beamline file has no reference case: \(shared.subtracting(covered))")
    for c in reference.cases {
      let path = RealData.root.appendingPathComponent(c.file).path
      let o = try #require(Self.options[c.file])
      let inputs = try SpectrumReader.read(path: path, options: ReadOptions(mu: o.mu, energyColumn: o.energyColumn))
      guard inputs.count == 1, case .mu(let s) = inputs[0] else {
        Issue.record("\(c.file): expected one mu(E) spectrum")
        continue
      }
      #expect(s.energy.count == c.points, "\(c.file)")
      let n = try normalize(s)
      #expect(abs(n.e0 - c.e0) < 1e-9, "\(c.file): e0 \(n.e0) vs Larch \(c.e0)")
      #expect(abs(n.edgeStep / c.edge_step - 1) < 1e-12, "\(c.file): step \(n.edgeStep) vs Larch \(c.edge_step)")
      if o.mu == nil {
        #expect(s.notes.contains { $0.contains("from Scan.plot_hint") }, "\(c.file): \(s.notes)")
      }
    }
  }

  @Test(.enabled(if: RealData.available, RealData.absent))
  func headerLinesWithoutCommentCharacter() throws {
    let pt = try ColumnFile.read(path: RealData.root.appendingPathComponent("beamline-formats/pt.stan").path)
    #expect(pt.names == ["Energy", "I0", "I"])
    #expect(pt.rowCount == 323)
    #expect(pt.header.first == "XDAC V1.2 Datafile V1")
    let goethite = try ColumnFile.read(
      path: RealData.root.appendingPathComponent("beamline-formats/MRCAT_10ID_qexafs/goethite.stan").path)
    #expect(goethite.names == ["energy", "mcs3", "mcs4", "mcs6", "mcs5"])
    #expect(goethite.header.contains("4 layers of tape"))
  }

  @Test func bareIndexChoosesEnergyColumn() throws {
    let table = ColumnTable(names: ["a", "b", "c"], columns: [[1], [2], [3]], file: "t")
    #expect(table.columnIndex("3") == 2)
    #expect(table.columnIndex("$2") == 1)
    #expect(table.columnIndex("4") == nil)
  }

  static let spec = """
    #F two.spec
    #E 1700000000
    #D Thu Jan 1 00:00:00 2026

    #S 1  ascan  energy 8900 9400 40 1
    #D Thu Jan 1 00:01:00 2026
    #N 3
    #L Energy  I0 counts  It counts
    \((0..<40).map { i in "\(8900 + 12.5 * Double(i)) 1000 \(1000 / Foundation.exp(1 + (i >= 20 ? 0.5 : 0) + 0.001 * Double(i)))" }.joined(separator: "\n"))

    #S 7  ascan  energy 8900 9400 30 1
    #L Energy  I0 counts  It counts
    \((0..<30).map { i in "\(8900 + 17.0 * Double(i)) 2000 \(2000 / Foundation.exp(2 + (i >= 15 ? 0.8 : 0)))" }.joined(separator: "\n"))
    """

  @Test func specFileGivesOneSpectrumPerScan() throws {
    let path = try IOTestSupport.write(Self.spec, name: "two.spec")
    let all = try SpectrumReader.read(path: path)
    #expect(all.map(\.name) == ["two_scan1", "two_scan7"])
    guard case .mu(let first) = all[0], case .mu(let second) = all[1] else {
      Issue.record("expected mu(E)")
      return
    }
    #expect(first.energy.count == 40)
    #expect(second.energy.count == 30)
    #expect(abs(first.mu[0] - 1) < 1e-12)  // ln(I0/It) from the '#L' names 'I0 counts', 'It counts'
    #expect(first.notes.first == "SPEC scan 1 of 2: ascan  energy 8900 9400 40 1")
    let seven = try SpectrumReader.read(path: path, options: ReadOptions(scans: [7]))
    #expect(seven.map(\.name) == ["two_scan7"])
    let error = #expect(throws: EXAFSError.self) { try SpectrumReader.read(path: path, options: ReadOptions(scans: [3])) }
    #expect(error?.description.contains("its scans are: 1, 7") == true)
    let table = try SpecFile.parse(TextLines.decode(Data(Self.spec.utf8), file: "two.spec"))
    #expect(table[0].table.names == ["Energy", "I0 counts", "It counts"])
  }

  /// An XDI energy column written as the Si(111) monochromator angle in degrees: with
  /// Mono.d_spacing the energies come back within 1e-6 eV; without it, an error.
  @Test func angleColumnUsesMonoDSpacing() throws {
    let d = 3.1355
    let energies = (0..<40).map { 8900 + 12.5 * Double($0) }
    let rows = energies.enumerated().map { i, e in
      let angle = asin(BeamlineConventions.hc / (2 * d * e)) * 180 / Double.pi
      return "\(angle) \(i < 20 ? 0.2 : 1.2 + 0.001 * Double(i))"
    }
    let header = ["# XDI/1.0", "# Column.1: angle degrees", "# Column.2: mu", "# Mono.d_spacing: \(d)", "#----", "# angle mu"]
    let path = try IOTestSupport.write((header + rows).joined(separator: "\n") + "\n", name: "angle.xdi")
    guard case .mu(let s) = try SpectrumReader.read(path: path)[0] else {
      Issue.record("expected mu(E)")
      return
    }
    for (a, b) in zip(s.energy, energies) { #expect(abs(a - b) < 1e-6) }
    #expect(s.notes.contains { $0.contains("Mono.d_spacing") })
    let noSpacing = (header.filter { !$0.contains("d_spacing") } + rows).joined(separator: "\n") + "\n"
    let bad = try IOTestSupport.write(noSpacing, name: "angle2.xdi")
    let error = #expect(throws: EXAFSError.self) { try SpectrumReader.read(path: bad) }
    #expect(error?.description.contains("no Mono.d_spacing") == true)
  }
}
