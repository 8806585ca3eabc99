// The fitted trans angle in a comparison (`exafs compare --octahedron`): per sample, with its change against the reference.
import Foundation

/// The fitted trans angle of a sample in a comparison (`exafs compare --octahedron`), degrees.
public struct OctahedronComparison: Sendable, Equatable, Codable {
  /// Mean over the sample's scans of the fitted trans angle.
  public var transAngle: Double
  /// The χ²-profile uncertainty (one scan), or the scans' ones propagated to the mean; nil when not estimable.
  public var uncertainty: Double?
  /// The one-sigma interval of the χ² profile (one scan only).
  public var interval: [Double]?
  /// The per-scan angles' spread.
  public var scans: ScanSpread
  /// Angle minus the reference's angle, judged (nil for the reference).
  public var change: JudgedChange?
  public var note: String?

  public init(transAngle: Double, uncertainty: Double?, interval: [Double]? = nil, scans: ScanSpread, change: JudgedChange? = nil, note: String? = nil) {
    self.transAngle = transAngle; self.uncertainty = uncertainty; self.interval = interval; self.scans = scans
    self.change = change; self.note = note
  }

  enum CodingKeys: String, CodingKey { case transAngle = "trans_angle", uncertainty, interval, scans, change, note }
}
