// E0 by Athena's methods compared with numpy on Larch's arrays (Tests/Reference/make_e0_reference.py).
import Foundation
import Testing

@testable import EXAFSKit
@testable import EXAFSPlot
@testable import EXAFSReport

struct E0ReferenceCase: Decodable, Sendable, CustomTestStringConvertible {
  let file: String
  let element: String
  let edge: String
  let derivative: Double
  let zero_crossing: Double
  let half_step: Double
  let tabulated: Double
  var testDescription: String { file }

  static let all: [E0ReferenceCase] = {
    struct File: Decodable { let cases: [E0ReferenceCase] }
    let url = MixtureTestData.root.appendingPathComponent("Tests/EXAFSKitTests/Fixtures/e0/e0_reference.json")
    return (try? JSONDecoder().decode(File.self, from: Data(contentsOf: url)))?.cases ?? []
  }()

  func spectrum() throws -> XASSpectrum {
    let mu = file.hasSuffix(".xdi") ? "ln(i0/itrans)" : "ln(i0/it)"
    let path = MixtureTestData.root.appendingPathComponent(file).path
    guard case .mu(let s) = try #require(try SpectrumReader.read(path: path, options: ReadOptions(mu: mu)).first) else {
      throw EXAFSError.unusableData(SourceLocation(file: path), "not mu(E)")
    }
    return s
  }
}

struct E0MethodsTests {
  @Test func referenceFixtureIsPresent() { #expect(E0ReferenceCase.all.count == 4) }

  @Test(arguments: E0ReferenceCase.all)
  func methodsMatchTheReference(reference: E0ReferenceCase) throws {
    let s = try reference.spectrum()
    // Derivative: Larch's find_e0 itself (an energy of the grid): exact.
    #expect(try findE0(s, method: .derivative) == reference.derivative)
    // Zero crossing and half step: the same arithmetic on our mu and norm; measured 0 eV on all
    // four spectra (the tolerance leaves room for rounding in the normalization).
    #expect(abs(try findE0(s, method: .zeroCrossing) - reference.zero_crossing) < 1e-9)
    #expect(abs(try findE0(s, method: .halfStep) - reference.half_step) < 1e-9)
    #expect(try findE0(s, method: .tabulated(element: reference.element, edge: reference.edge)) == reference.tabulated)
  }

  @Test func halfStepIsWhereNormIsOneHalf() throws {
    let s = try E0ReferenceCase.all[2].spectrum()
    let e = try findE0(s, method: .halfStep)
    let n = try normalize(s)
    #expect(abs(linearInterpolate(x: n.spectrum.energy, y: n.norm, at: [e])[0] - 0.5) < 1e-12)
  }

  @Test func unknownElementsEdgesAndFractionsAreRejected() throws {
    #expect(throws: EXAFSError.self) { try tabulatedEdgeEnergy(element: "Xx", edge: "K") }
    #expect(throws: EXAFSError.self) { try tabulatedEdgeEnergy(element: "Ta", edge: "M7") }
    #expect(try tabulatedEdgeEnergy(element: "ta", edge: "l3") == 9881)
    let s = try E0ReferenceCase.all[0].spectrum()
    #expect(throws: EXAFSError.self) { try findE0(s, method: .fractionOfStep(1.5)) }
  }
}
