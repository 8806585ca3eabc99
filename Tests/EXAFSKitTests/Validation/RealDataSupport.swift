// Where the measured test data kept beside the repository live (../shared/data/real), if present.
import Foundation
import Testing

enum RealData {
  /// `../shared/data/real` relative to the repository root (absent in a user's fresh clone).
  static let root: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("shared/data/real")

  /// True when the folder holds the twelve Athena projects and the beamline files.
  static var available: Bool {
    FileManager.default.fileExists(atPath: root.appendingPathComponent("athena-projects").path)
  }

  /// The message tests skip with when the data are absent.
  static let absent: Comment = "needs ../shared/data/real (measured data kept beside the repository, not in it)"

  /// Paths of the files in `folder` (relative to `root`) whose names end with `suffix`, sorted.
  static func files(_ folder: String, suffix: String = "") -> [String] {
    let dir = root.appendingPathComponent(folder)
    let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
    return names.filter { $0.hasSuffix(suffix) && !$0.hasPrefix(".") }.sorted().map { dir.appendingPathComponent($0).path }
  }
}
