// ScanTime+Header: where a spectrum's time stamp comes from: XDI Scan.start_time / Scan.end_time,
// or a date in the header of a beamline column file (kept as the metadata field `header.timestamp`).
import Foundation

extension ScanTime {
  /// Metadata field under which the reader keeps a time found in a column-file header (ISO 8601).
  public static let headerField = "header.timestamp"

  /// Metadata fields holding a scan time, in the order they are used: XDI's start and end time,
  /// then a time the reader found in a column-file header.
  public static let metadataFields = ["Scan.start_time", "Scan.end_time", headerField]

  /// The time of a spectrum from its metadata (`metadataFields` in order, names compared
  /// case-insensitively as XDI's are) and the field it came from; nil when none parses.
  public static func from(metadata: [String: String]) -> (time: ScanTime, field: String)? {
    for field in metadataFields {
      let lower = field.lowercased()
      guard let value = metadata[field] ?? metadata.first(where: { $0.key.lowercased() == lower })?.value else { continue }
      if let t = ScanTime(iso8601: value) { return (t, field) }
    }
    return nil
  }
}

extension ColumnTable {
  /// Header lines searched for a time stamp (beamline programs write it in the first few).
  static let timestampHeaderLines = 40

  /// Adds `header.timestamp` (ISO 8601, no time zone: beamline headers name none) from the first
  /// time stamp in the first header lines, unless the metadata already hold an XDI scan time.
  /// Costs one byte scan of lines that contain a `:`; nothing when there is no header.
  mutating func addHeaderTimestamp() {
    guard !header.isEmpty, metadataValue("Scan.start_time") == nil, metadataValue("Scan.end_time") == nil else { return }
    for line in header.prefix(Self.timestampHeaderLines) {
      if let t = ScanTime(headerLine: line) {
        metadata[ScanTime.headerField] = t.iso8601
        return
      }
    }
  }
}
