// NAME.json written directly: the record and its nested values walked in JSONEncoder's sorted-key
// order, byte for byte what `JSONEncoder` with `[.prettyPrinted, .sortedKeys]` makes of their
// Codable conformances (a tenth of its cost or less; checked in SpectrumRecordJSONTests).
//
// Each `writeJSON` lists the same members as the type's CodingKeys, by their JSON names in
// ascending UTF-8 order; optional members are left out when nil (the synthesized
// `encodeIfPresent`). A member added to one of these types must be added here too, or the
// byte-identity tests fail.
import Foundation

extension SpectrumRecord: JSONWritable {
  /// The record as pretty-printed JSON with sorted keys (the contents of `NAME.json`), the same
  /// bytes as `JSONEncoder` with `outputFormatting = [.prettyPrinted, .sortedKeys]` gives.
  /// - Throws: `EncodingError.invalidValue` when a number is not finite (as JSONEncoder does);
  ///   records made by `init(_:)` hold finite numbers only.
  public func json() throws -> Data {
    var writer = PrettyJSONWriter(capacity: 8192)
    try writeJSON(into: &writer)
    return writer.data
  }

  func writeJSON(into w: inout PrettyJSONWriter) throws(EncodingError) {
    w.beginObject()
    try w.field("e0", e0)
    try w.field("edge_step", edgeStep)
    try w.field("first_shell", firstShell)
    try w.field("grid", grid)
    try w.field("hinge", hinge)
    w.field("kind", kind.rawValue)
    try w.field("kmax_data", kmaxData)
    w.field("metadata", metadata)
    w.field("name", name)
    w.field("notes", notes)
    try w.field("parameters", parameters)
    w.field("source", source)
    try w.field("tool", tool)
    w.field("warnings", warnings)
    try w.field("wavelet", wavelet)
    w.endObject()
  }
}

extension SpectrumRecord.Tool: JSONWritable {
  func writeJSON(into w: inout PrettyJSONWriter) throws(EncodingError) {
    w.beginObject()
    w.field("name", name)
    w.field("version", version)
    w.endObject()
  }
}

extension JSONScalar: JSONWritable {
  func writeJSON(into w: inout PrettyJSONWriter) throws(EncodingError) {
    switch self {
    case .number(let v): if v.isFinite { try w.number(v) } else { w.null() }
    case .text(let s): w.string(s)
    case .null: w.null()
    }
  }
}

extension ParameterRecord: JSONWritable {
  func writeJSON(into w: inout PrettyJSONWriter) throws(EncodingError) {
    w.beginObject()
    w.field("source", source.rawValue)
    try w.field("value", value)
    w.endObject()
  }
}

extension ShellPeak: JSONWritable {
  func writeJSON(into w: inout PrettyJSONWriter) throws(EncodingError) {
    w.beginObject()
    try w.field("mag", mag)
    try w.field("r", r)
    w.endObject()
  }
}

extension TransformGrid: JSONWritable {
  func writeJSON(into w: inout PrettyJSONWriter) throws(EncodingError) {
    w.beginObject()
    try w.field("kstep", kstep)
    w.field("nfft", nfft)
    try w.field("rstep", rstep)
    w.endObject()
  }
}

extension WaveletParameters: JSONWritable {
  func writeJSON(into w: inout PrettyJSONWriter) throws(EncodingError) {
    w.beginObject()
    w.field("cauchyOrder", cauchyOrder)
    try w.field("dk", dk)
    try w.field("eta", eta)
    w.field("kind", kind.rawValue)
    try w.field("kmax", kmax)
    try w.field("kmin", kmin)
    try w.field("kstep", kstep)
    try w.field("kweight", kweight)
    w.field("normalization", normalization.rawValue)
    try w.field("rmax", rmax)
    try w.field("rmin", rmin)
    try w.field("rstep", rstep)
    try w.field("sigma", sigma)
    w.field("window", window.rawValue)
    w.endObject()
  }
}

extension HingeMetrics: JSONWritable {
  func writeJSON(into w: inout PrettyJSONWriter) throws(EncodingError) {
    w.beginObject()
    try w.field("ft_ratio", ftRatio)
    try w.field("ft_uncertainty", ftUncertainty)
    try w.field("integrated", integrated)
    try w.field("intensity", intensity)
    try w.field("interior_maximum", interiorMaximum)
    try w.field("interior_ratio", interiorRatio)
    try w.field("k", k)
    w.field("maximum_on_edge", maximumOnEdge)
    try w.field("noise", noise)
    try w.field("parameters", parameters)
    try w.field("r", r)
    try w.field("ratio", ratio)
    try w.field("shell1", shell1)
    try w.field("uncertainty", uncertainty)
    w.field("uncertainty_estimable", uncertaintyEstimable)
    w.field("warnings", warnings)
    w.endObject()
  }
}

extension WindowFeature: JSONWritable {
  func writeJSON(into w: inout PrettyJSONWriter) throws(EncodingError) {
    w.beginObject()
    try w.field("integrated", integrated)
    try w.field("intensity", intensity)
    try w.field("k", k)
    try w.field("r", r)
    w.endObject()
  }
}

extension NoiseEstimate: JSONWritable {
  func writeJSON(into w: inout PrettyJSONWriter) throws(EncodingError) {
    w.beginObject()
    try w.field("epsilonK", epsilonK)
    try w.field("epsilonR", epsilonR)
    w.endObject()
  }
}

extension HingeParameters: JSONWritable {
  func writeJSON(into w: inout PrettyJSONWriter) throws(EncodingError) {
    w.beginObject()
    try w.field("hinge", hinge)
    w.field("preset", preset)
    w.field("realizations", realizations)
    w.field("seed", seed)
    try w.field("shell1", shell1)
    w.endObject()
  }
}

extension MapWindow: JSONWritable {
  func writeJSON(into w: inout PrettyJSONWriter) throws(EncodingError) {
    w.beginObject()
    try w.field("kmax", kmax)
    try w.field("kmin", kmin)
    try w.field("rmax", rmax)
    try w.field("rmin", rmin)
    w.endObject()
  }
}
