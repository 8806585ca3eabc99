// NAME.json from the direct writer (SpectrumRecord.json()) must be byte for byte what Foundation's
// JSONEncoder with [.prettyPrinted, .sortedKeys] makes of the record's Codable conformance: on
// every bundled sample, chi(k) input, hinge metrics, wavelet parameters, hostile strings, empty
// containers and 20,000 random Doubles.
import Foundation
import Testing

@testable import EXAFSKit

struct SpectrumRecordJSONTests {
  /// What NAME.json held before the direct writer: JSONEncoder's encoding of the record.
  static func encoderJSON(_ record: SpectrumRecord) throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    return try encoder.encode(record)
  }

  /// Expects `record.json()` to equal JSONEncoder's bytes; on a mismatch reports the first
  /// differing byte with some context.
  static func expectIdentical(_ record: SpectrumRecord, _ label: String, sourceLocation: Testing.SourceLocation = #_sourceLocation)
    throws
  {
    let ours = Array(try record.json())
    let theirs = Array(try encoderJSON(record))
    guard ours != theirs else { return }
    let i = (0..<min(ours.count, theirs.count)).first { ours[$0] != theirs[$0] } ?? min(ours.count, theirs.count)
    func around(_ b: [UInt8]) -> String {
      String(decoding: b[max(0, i - 80)..<min(b.count, i + 80)], as: UTF8.self)
    }
    Issue.record(
      "\(label): JSON differs at byte \(i) (ours \(ours.count) bytes, JSONEncoder \(theirs.count))\nours:\n\(around(ours))\nJSONEncoder:\n\(around(theirs))",
      sourceLocation: sourceLocation)
  }

  /// Every input of the bundled sample files (Athena project groups, XDI, simulated scans and chi(k)).
  static func sampleInputs() throws -> [SpectrumInput] {
    let folder = repositoryRoot().appendingPathComponent("SampleSpectra")
    var paths: [String] = []
    for sub in ["", "simulated"] {
      let dir = sub.isEmpty ? folder : folder.appendingPathComponent(sub)
      for file in try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
      where [".xdi", ".prj", ".dat", ".chi"].contains(where: file.hasSuffix) {
        paths.append(dir.appendingPathComponent(file).path)
      }
    }
    return try paths.flatMap { try SpectrumReader.read(path: $0, options: ReadOptions()) }
  }

  /// The record of one input processed with its stored parameters and `given`.
  static func record(
    _ input: SpectrumInput, given: ParameterValues = [:], wavelet: WaveletParameters? = nil,
    hinge: HingeParameters? = nil
  ) throws -> SpectrumRecord {
    var settings = try ProcessingSettings.resolve(stored: input.storedParameters, given: given)
    settings.wavelet = wavelet
    settings.hinge = hinge
    return try process(input, settings: settings).record
  }

  /// A processed record of the copper sample, as the base of the hand-made records.
  static func copperRecord() throws -> SpectrumRecord {
    let path = repositoryRoot().appendingPathComponent("SampleSpectra/cu_metal_rt.xdi").path
    return try record(try #require(try SpectrumReader.read(path: path).first))
  }

  @Test func everyBundledSampleIsByteIdentical() throws {
    let inputs = try Self.sampleInputs()
    var kinds: [InputKind] = []
    for input in inputs {
      let record = try Self.record(input)
      kinds.append(record.kind)
      try Self.expectIdentical(record, record.name)
    }
    // 3 Athena groups, 5 XDI scans, 4 simulated scans, 4 chi(k) files.
    #expect(inputs.count >= 16, "\(inputs.count) inputs")
    #expect(kinds.filter { $0 == .chi }.count == 4)
    #expect(kinds.filter { $0 == .mu }.count == inputs.count - 4)
  }

  @Test func hingeAndWaveletRecordsAreByteIdentical() throws {
    let folder = repositoryRoot().appendingPathComponent("SampleSpectra/simulated")
    var withWarnings = 0
    var notEstimable = 0
    var waveletRecords = 0
    for file in ["tacl6_bend00.chi", "tacl6_bend30.chi", "tacl6_bend10_sim_transmission.dat"] {
      let input = try #require(try SpectrumReader.read(path: folder.appendingPathComponent(file).path).first)
      for realizations in [0, 1, 8] {
        var hinge = try #require(HingeParameters.preset("tacl6"))
        hinge.realizations = realizations
        let record = try Self.record(input, given: ["kmin": "3", "kmax": "14"], wavelet: WaveletParameters(), hinge: hinge)
        let metrics = try #require(record.hinge)
        if !metrics.warnings.isEmpty { withWarnings += 1 }
        if !metrics.uncertaintyEstimable { notEstimable += 1 }
        if record.wavelet != nil { waveletRecords += 1 }
        try Self.expectIdentical(record, "\(file) hinge, \(realizations) realizations")
      }
    }
    // 0 and 1 realizations cannot estimate the uncertainty, and say so in the hinge warnings.
    #expect(notEstimable == 6 && withWarnings >= 6)
    #expect(waveletRecords == 9)

    // A hinge window set by hand (no preset name, an edge maximum) and a Cauchy map.
    let input = try #require(try SpectrumReader.read(path: folder.appendingPathComponent("tacl6_bend20.chi").path).first)
    var hinge = HingeParameters(
      shell1: MapWindow(kmin: 3, kmax: 12, rmin: 1.5, rmax: 2.5), hinge: MapWindow(kmin: 2, kmax: 4, rmin: 2.6, rmax: 3))
    hinge.realizations = 4
    var cauchy = WaveletParameters()
    cauchy.kind = .cauchy
    cauchy.cauchyOrder = 30
    cauchy.dk = 1
    cauchy.window = .kaiser
    let record = try Self.record(input, wavelet: cauchy, hinge: hinge)
    #expect(record.hinge?.parameters.preset == nil)
    try Self.expectIdentical(record, "cauchy map, hand-made hinge window")
    var interior = record
    interior.hinge?.interiorMaximum = WindowFeature(intensity: 0.012345, k: 6.05, r: 4.1417, integrated: 0)
    interior.hinge?.interiorRatio = 0.0731
    interior.hinge?.maximumOnEdge = true
    try Self.expectIdentical(interior, "interior maximum")
    #expect(String(decoding: try interior.json(), as: UTF8.self).contains(
      "\"interior_maximum\" : {\n      \"integrated\" : 0,\n      \"intensity\" : 0.012345,"))
    #expect(record.wavelet?.kind == .cauchy && record.wavelet?.cauchyOrder == 30)
    try Self.expectIdentical(record, "cauchy map, hand-made hinge window")
  }

  @Test func optionalMembersLeftOutAsJSONEncoderDoes() throws {
    var record = try Self.copperRecord()
    record.e0 = nil
    record.edgeStep = nil
    record.kmaxData = nil
    record.firstShell = nil
    record.wavelet = WaveletParameters()  // kmin, kmax, rmin, rstep, cauchyOrder nil
    try Self.expectIdentical(record, "nil optionals")
    let text = String(decoding: try record.json(), as: UTF8.self)
    // Top-level members are indented by two spaces ("e0" is also a parameter's name, deeper).
    #expect(!text.contains("\n  \"e0\" : ") && !text.contains("\"first_shell\"") && !text.contains("\"cauchyOrder\""))
    #expect(text.hasPrefix("{\n  \"grid\" : {\n    \"kstep\" : 0.05,\n    \"nfft\" : 2048,"))
    #expect(text.contains("\"wavelet\" : {\n    \"dk\" : 0,\n    \"eta\" : 10,\n    \"kind\" : \"morlet\","))
  }

  @Test func emptyContainersAtEveryDepth() throws {
    var record = try Self.copperRecord()
    record.notes = []
    record.warnings = []
    record.metadata = [:]
    record.parameters = [:]
    try Self.expectIdentical(record, "empty notes, warnings, metadata, parameters")
    let text = String(decoding: try record.json(), as: UTF8.self)
    #expect(text.contains("\"metadata\" : {\n\n  },\n"))
    #expect(text.contains("\"notes\" : [\n\n  ],\n"))

    // Empty hinge warnings one level deeper.
    let chi = repositoryRoot().appendingPathComponent("SampleSpectra/simulated/tacl6_bend00.chi").path
    var withHinge = try Self.record(
      try #require(try SpectrumReader.read(path: chi).first), wavelet: WaveletParameters(),
      hinge: try #require(HingeParameters.preset("tacl6")))
    withHinge.hinge?.warnings = []
    withHinge.hinge?.interiorMaximum = nil
    withHinge.hinge?.interiorRatio = nil
    try Self.expectIdentical(withHinge, "empty hinge warnings")
    #expect(String(decoding: try withHinge.json(), as: UTF8.self).contains("\"warnings\" : [\n\n    ]\n  },"))
  }

  @Test func stringsWithEscapesAndUnicode() throws {
    var record = try Self.copperRecord()
    let hostile = [
      "quote \" and backslash \\ and slash / in http://a.b/c", "line\nbreak\r\nreturn\ttab", "\u{8}\u{c}\u{0}\u{1}\u{1f}\u{7f}",
      "Å ångström é e\u{301} ü 中文 🙂👩🏽‍🔬", "\u{2028}\u{2029}\u{feff}", "", " ", "\\u0041", "</script>",
    ]
    var metadata: [String: String] = [:]
    let keys = [
      "a_b", "aB", "a1", "A", "a", "ab", "a b", "a/b", "a\"b", "Z", "z", "_", "é", "e\u{301}x", "ex", "ä", "🙂", "\u{FFFF}",
      "", "\t", "\u{1}", "10", "9", "element.edge", "Element.symbol",
    ]
    for (i, key) in keys.enumerated() { metadata[key] = hostile[i % hostile.count] }
    record.metadata = metadata
    record.notes = hostile
    record.warnings = hostile.reversed()
    record.name = "name / with \"quotes\" \\ é"
    record.source = "/data/beamline/scan 01.xdi"
    record.parameters["weird \"key\" /"] = ParameterRecord(value: .text("a\nb/c"), source: .viewer)
    try Self.expectIdentical(record, "hostile strings")
    let text = String(decoding: try record.json(), as: UTF8.self)
    #expect(text.contains(#""source" : "\/data\/beamline\/scan 01.xdi""#))
    #expect(text.contains(#""\b\f\u0000\u0001\u001f"# + "\u{7f}\""))
    #expect(text.contains("🙂👩🏽‍🔬"))
  }

  @Test func twentyThousandRandomDoubles() throws {
    var rng = SplitMix64(seed: 20_251_202)  // Fuzz/Mutator.swift
    var values: [Double] = [
      0, -0.0, 1, -1, 0.1, 8980.5, 2.7292964493413265, 1e-7, 1e-5, 1e-4, 0.001, 1e15, 1e16, 1e17, 1e21, 1e22, 1e23,
      5e-324, -5e-324, 2.2250738585072014e-308, 2.225073858507201e-308, 1.7976931348623157e308, 123456789012345680,
      9007199254740992, 9007199254740993, 4503599627370496.5, 0.30000000000000004, 100, 1e100, 1e-100, 12345.678,
    ]
    while values.count < 20_000 {
      let r = rng.next()
      switch values.count % 5 {
      case 0:  // any finite bit pattern: every magnitude, subnormals included
        let v = Double(bitPattern: r)
        if v.isFinite { values.append(v) }
      case 1:  // integers of every size
        values.append(Double(Int64(bitPattern: r) >> (r % 63)))
      case 2:  // decimal mantissas over many decades
        values.append(Double(r % 1_000_000) / 1000 * pow(10, Double(Int((r >> 40) % 64) - 32)))
      case 3:  // subnormals
        values.append(Double(bitPattern: r & 0x000F_FFFF_FFFF_FFFF) * (r >> 63 == 0 ? 1 : -1))
      default:  // the usual range of the record's numbers
        values.append((Double(r >> 11) / Double(1 << 53) - 0.5) * pow(10, Double(r % 9)))
      }
    }
    var record = try Self.copperRecord()
    for chunk in 0..<20 {
      var parameters: [String: ParameterRecord] = [:]
      for i in 0..<1000 {
        parameters["p\(100_000 + chunk * 1000 + i)"] = ParameterRecord(
          value: .number(values[chunk * 1000 + i]), source: .default)
      }
      record.parameters = parameters
      record.e0 = values[chunk * 1000]
      record.grid.rstep = values[chunk * 1000 + 1]
      try Self.expectIdentical(record, "random doubles \(chunk * 1000) ..< \((chunk + 1) * 1000)")
    }
    // Spot checks of the number text itself.
    record.parameters = ["x": ParameterRecord(value: .number(1e-5), source: .default)]
    #expect(String(decoding: try record.json(), as: UTF8.self).contains("\"value\" : 1e-05\n"))
    record.parameters = ["x": ParameterRecord(value: .number(-0.0), source: .default)]
    #expect(String(decoding: try record.json(), as: UTF8.self).contains("\"value\" : -0\n"))
  }

  @Test func nonFiniteScalarsAreNullAndOtherNumbersThrowAsJSONEncoderDoes() throws {
    var record = try Self.copperRecord()
    record.parameters["nan"] = ParameterRecord(value: .number(.nan), source: .default)
    record.parameters["inf"] = ParameterRecord(value: .number(-.infinity), source: .replaced)
    record.parameters["nothing"] = ParameterRecord(value: .null, source: .file)
    try Self.expectIdentical(record, "non-finite JSONScalar")
    #expect(String(decoding: try record.json(), as: UTF8.self).contains("\"nan\" : {\n      \"source\" : \"default\",\n      \"value\" : null\n    }"))

    func thrownPath(_ body: () throws -> Data) -> [String]? {
      do {
        _ = try body()
        return nil
      } catch EncodingError.invalidValue(_, let context) {
        return context.codingPath.map(\.stringValue)
      } catch {
        return ["unexpected \(error)"]
      }
    }
    var e0 = try Self.copperRecord()
    e0.e0 = .nan
    #expect(thrownPath { try e0.json() } == ["e0"])
    #expect(thrownPath { try Self.encoderJSON(e0) } == ["e0"])

    let chi = repositoryRoot().appendingPathComponent("SampleSpectra/simulated/tacl6_bend00.chi").path
    var deep = try Self.record(
      try #require(try SpectrumReader.read(path: chi).first), wavelet: WaveletParameters(),
      hinge: try #require(HingeParameters.preset("tacl6")))
    deep.hinge?.shell1.k = .infinity
    #expect(thrownPath { try deep.json() } == ["hinge", "shell1", "k"])
    #expect(thrownPath { try Self.encoderJSON(deep) } == ["hinge", "shell1", "k"])
  }

  @Test func dictionaryKeysSortByTheirUTF8Bytes() {
    var rng = SplitMix64(seed: 7)
    let pieces = ["a", "A", "b", "_", "1", "", " ", "é", "e\u{301}", "ä", "🙂", "\u{1}", "/", "z", "Z", "ab", "\u{FFFF}"]
    var dict: [String: Int] = [:]
    for i in 0..<500 {
      let key = (0..<Int(rng.next() % 4)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined()
      dict[key] = i
    }
    let expected = dict.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    let sorted = dict.sortedByUTF8()
    #expect(sorted.map(\.key) == expected)
    #expect(sorted.allSatisfy { dict[$0.key] == $0.value })
    #expect(expected.count > 100 && expected.first == "")
  }

  @Test func writtenRecordDecodesBack() throws {
    let record = try Self.copperRecord()
    let decoded = try JSONDecoder().decode(SpectrumRecord.self, from: try record.json())
    #expect(decoded == record)
  }
}
