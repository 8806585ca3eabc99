// Tests of SpectrumReader: format detection, the energy and mu column rules, and the checks and repairs.
import Foundation
import Testing

@testable import EXAFSKit
@testable import EXAFSPlot
@testable import EXAFSReport

struct IOSpectrumReaderTests {
  func readOne(_ text: String, name: String = "scan.dat", options: ReadOptions = ReadOptions()) throws -> SpectrumInput
  {
    let inputs = try SpectrumReader.read(path: IOTestSupport.write(text, name: name), options: options)
    #expect(inputs.count == 1)
    guard let first = inputs.first else { throw EXAFSError.numerical("no spectrum") }
    return first
  }

  func mu(_ input: SpectrumInput) throws -> XASSpectrum {
    guard case .mu(let s) = input else { throw EXAFSError.numerical("expected mu, got \(input)") }
    return s
  }

  @Test func xdiWithMutransColumn() throws {
    let inputs = try SpectrumReader.read(path: IOTestSupport.fixture("cu_metal_rt.xdi"))
    let s = try mu(inputs[0])
    #expect(s.name == "cu_metal_rt")
    #expect(s.energy.count == 408)
    #expect(s.energy.first == 8779.0)
    #expect(s.mu.first == -1.3070486)
    #expect(s.i0?.first == 149013.7)
    #expect(s.metadata["Element.symbol"] == "Cu")
    #expect(s.notes == ["mu(E) = mutrans (energy = energy)"])
  }

  @Test func muExpressionOption() throws {
    let path = try IOTestSupport.fixture("cu_metal_rt.xdi")
    let s = try mu(SpectrumReader.read(path: path, options: ReadOptions(mu: "ln(I0/ITRANS)"))[0])
    #expect(abs(s.mu[0] - Foundation.log(149013.7 / 550643.089065)) < 1e-12)
    let error = #expect(throws: EXAFSError.self) {
      try SpectrumReader.read(path: path, options: ReadOptions(mu: "ln(i0/it)"))
    }
    #expect(
      error?.description.contains(
        "unknown column 'it'; the file has columns: energy ($1), i0 ($2), itrans ($3), mutrans ($4)") == true)
  }

  @Test func threeUnnamedColumnsAreTransmission() throws {
    let s = try mu(readOne(IOTestSupport.transmissionRows().joined(separator: "\n")))
    #expect(s.energy.count == 30)
    #expect(abs(s.mu[0] - 1) < 1e-12)
    #expect(abs(s.mu[29] - 1.029) < 1e-12)
    #expect(s.notes.contains("mu(E) = ln($2/$3) (energy = col1)"))
  }

  @Test func namedColumnsInAnyOrder() throws {
    let rows = (0..<25).map { "\(0.5 + Double($0)) \(9000 + 3 * Double($0)) 7" }
    let s = try mu(readOne("# xmu energy other\n" + rows.joined(separator: "\n")))
    #expect(s.energy.first == 9000)
    #expect(s.mu.first == 0.5)
    let t = try mu(
      readOne(
        "# E it i0\n"
          + IOTestSupport.transmissionRows().map {
            let w = $0.split(separator: " ")
            return "\(w[0]) \(w[2]) \(w[1])"
          }.joined(separator: "\n")))
    #expect(abs(t.mu[0] - 1) < 1e-12)
    #expect(t.i0?.first == 1e5)
  }

  @Test func ambiguousColumnsNeedMu() throws {
    let rows = (0..<25).map { "\(9000 + Double($0)) 1 2 3" }
    let error = #expect(throws: EXAFSError.self) { try readOne("# a b c d\n" + rows.joined(separator: "\n")) }
    guard case .invalidParameter("mu", let message) = error else {
      Issue.record("expected --mu error, got \(String(describing: error))")
      return
    }
    #expect(message.contains("cannot tell which column holds mu(E); the file has columns: a, b, c, d"))
  }

  @Test func energyColumnOption() throws {
    let rows = (0..<25).map { "\(Double($0)) \(9000 + Double($0)) \(0.01 * Double($0))" }
    let s = try mu(readOne(rows.joined(separator: "\n"), options: ReadOptions(mu: "$3", energyColumn: "col2")))
    #expect(s.energy.first == 9000)
    #expect(s.mu[1] == 0.01)
    let error = #expect(throws: EXAFSError.self) {
      try readOne(rows.joined(separator: "\n"), options: ReadOptions(energyColumn: "energy"))
    }
    guard case .invalidParameter("energy_column", let message) = error else {
      Issue.record("expected .invalidParameter(--energy-column), got \(String(describing: error))")
      return
    }
    #expect(message.hasPrefix("no column 'energy'; the file has columns: col1, col2, col3 (in /"))
    #expect(message.hasSuffix("/scan.dat)"))
  }

  @Test func keVEnergiesAreConverted() throws {
    let rows = (0..<30).map { "\(8.9 + 0.005 * Double($0)) \(0.1 * Double($0))" }
    let s = try mu(readOne("# energy mu\n" + rows.joined(separator: "\n")))
    #expect(abs(s.energy[0] - 8900) < 1e-9)
    #expect(abs(s.energy[1] - 8905) < 1e-9)
    #expect(s.notes.contains { $0.contains("keV") })
  }

  @Test func unsortedAndDuplicatedEnergiesAreRepaired() throws {
    var rows = (0..<30).map { "\(9000 + Double($0)) \(Double($0))" }
    rows.swapAt(3, 10)
    rows.insert("9005 7", at: 20)  // 9005 already has mu 5: merged to 6
    let s = try mu(readOne("# energy mu\n" + rows.joined(separator: "\n")))
    #expect(s.energy.count == 30)
    #expect(s.energy == (0..<30).map { 9000 + Double($0) })
    #expect(s.mu[5] == 6)
    #expect(s.mu[3] == 3 && s.mu[10] == 10)
    #expect(s.notes.contains("the energies were not in increasing order; the points were sorted by energy"))
    #expect(s.notes.contains("1 points with repeated energies were merged (mu averaged)"))
  }

  @Test func nonPositiveIntensityNamesTheLine() throws {
    var rows = IOTestSupport.transmissionRows()
    rows[6] = "8930.0 100000.0 0"
    let error = #expect(throws: EXAFSError.self) { try readOne("# energy i0 it\n" + rows.joined(separator: "\n")) }
    guard case .unusableData(let loc, let message) = error else {
      Issue.record("expected .unusableData, got \(String(describing: error))")
      return
    }
    #expect(loc.line == 8)
    #expect(message.contains("cannot take ln(inf) at line 8: the argument is infinite (an intensity in a denominator is zero"))
    #expect(message.hasSuffix("check the I0/It columns or the mu expression"))
  }

  @Test func divisionByZeroInMuNamesTheLine() throws {
    var rows = IOTestSupport.transmissionRows()
    rows[2] = "8910.0 0 5"
    let error = #expect(throws: EXAFSError.self) {
      try readOne(rows.joined(separator: "\n"), options: ReadOptions(mu: "$3/$2"))
    }
    #expect(error?.location?.line == 3)
    #expect(error?.description.contains("NaN or infinite at line 3") == true)
  }

  @Test func tooFewPoints() throws {
    let rows = (0..<12).map { "\(9000 + Double($0)) \(Double($0))" }
    let error = #expect(throws: EXAFSError.self) { try readOne(rows.joined(separator: "\n")) }
    #expect(error?.description.contains("only 12 distinct energy points; at least 20 are needed") == true)
  }

  @Test func chiFilesByNameAndByExtension() throws {
    let rows = (0..<300).map { "\(0.05 * Double($0)) \(0.01 * sin(Double($0) / 10))" }
    guard case .chi(let named) = try readOne("# k chi\n" + rows.joined(separator: "\n"), name: "x.dat") else {
      Issue.record("expected chi")
      return
    }
    #expect(named.k.count == 300)
    #expect(named.k[1] == 0.05)
    guard case .chi(let byExtension) = try readOne(rows.joined(separator: "\n"), name: "sample.chik") else {
      Issue.record("expected chi from the .chik extension")
      return
    }
    #expect(byExtension.name == "sample")
    #expect(byExtension.chi == named.chi)
  }

  @Test func athenaProjectGroupsAndSelection() throws {
    let path = try IOTestSupport.fixture("W_metal_rt_scans.prj")
    let all = try SpectrumReader.read(path: path)
    #expect(all.map(\.name) == ["W_metal_rt_01", "W_metal_rt_02", "W_metal_rt_03"])
    let picked = try SpectrumReader.read(path: path, options: ReadOptions(groups: ["w_metal_rt_02"]))
    let s = try mu(picked[0])
    #expect(picked.count == 1)
    #expect(s.name == "W_metal_rt_02")
    #expect(s.energy.count == 530)
    #expect(s.storedParameters["e0"] == "10205.0")
    #expect(s.metadata["Element.symbol"] == "W")
    let error = #expect(throws: EXAFSError.self) {
      try SpectrumReader.read(path: path, options: ReadOptions(groups: ["Cu"]))
    }
    #expect(error?.description.contains("no group 'Cu'") == true)
  }

  @Test func projectLabelsBecomeSafeUniqueNames() throws {
    let groups = IOAthenaProjectTests.sampleGroups()
    let path = try IOTestSupport.write(
      try AthenaProject.write(groups: [groups[0], groups[0], groups[1]]), name: "p.prj")
    let inputs = try SpectrumReader.read(path: path)
    #expect(inputs.map(\.name) == ["Cu_foil_ref_scan_1", "Cu_foil_ref_scan_1_2", "chi_data"])
    guard case .chi(let chi) = inputs[2] else {
      Issue.record("expected the chi group as ChiSpectrum")
      return
    }
    #expect(chi.k.count == 40)
  }

  @Test func infoDescribesFiles() throws {
    let xdi = try SpectrumReader.info(path: IOTestSupport.fixture("cu_metal_rt.xdi"))
    #expect(xdi.format == .xdi)
    #expect(xdi.pointCount == 408)
    #expect(xdi.columnNames == ["energy", "i0", "itrans", "mutrans"])
    #expect(xdi.interpretation == "mu(E) = mutrans, energy = energy")
    let prj = try SpectrumReader.info(path: IOTestSupport.fixture("W_metal_rt_scans.prj"))
    #expect(prj.format == .athenaProject)
    #expect(prj.groups.map(\.points) == [530, 530, 530])
    #expect(prj.description.contains("W_metal_rt_02  (xmu, 530 points)"))
  }

  @Test func gzippedColumnFileIsRead() throws {
    let text = "# energy i0 it\n" + IOTestSupport.transmissionRows().joined(separator: "\n")
    let path = try IOTestSupport.write(try Gzip.compress(Data(text.utf8)), name: "scan.dat.gz")
    let s = try mu(SpectrumReader.read(path: path)[0])
    #expect(s.name == "scan")
    #expect(s.energy.count == 30)
  }
}
