// ProcessingSettings+Replaced: parameters given (command line, file) that processing replaced for being out of range are recorded and warned about.
import Foundation

extension ProcessingSettings {
  /// Marks every normalization and background parameter that was given (not a default) but used
  /// with another value — e.g. an E0 outside the data replaced by find_e0's, norm2 beyond the data
  /// clipped to it — as `.replaced` in `sources`, and returns one warning per parameter naming the
  /// value given, where it came from, and the value used. `self` holds the values used.
  mutating func markReplaced(given: ProcessingSettings) -> [String] {
    var warnings: [String] = []
    for p in ProcessingParameter.all where p.stage != .fourier {
      guard let source = given.sources[p.name], source != .default, source != .replaced else { continue }
      guard case .real(let a?) = given[p], case .real(let b?) = self[p] else { continue }
      // Stored values are rounded (Athena writes 4-6 digits): differences below 1e-4 are not replacements.
      guard abs(a - b) > 1e-4 * max(1, abs(a)), ScanText.number(a) != ScanText.number(b) else { continue }
      sources[p.name] = .replaced
      warnings.append(
        "\(p.name) = \(ScanText.number(a)) (\(source.rawValue)) is out of range for these data; "
          + "replaced by \(ScanText.number(b)), the value used (as Larch does)")
    }
    return warnings
  }
}
