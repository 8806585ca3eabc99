// Checks against Athena itself: every group of the twelve real Athena projects, processed with its
// stored parameters, against the E0 and edge step Athena stored in the project.
import Foundation
import Testing

@testable import EXAFSKit
@testable import EXAFSPlot
@testable import EXAFSReport

struct AthenaProjectValidationTests {
  /// One group's outcome.
  struct Row {
    var project: String
    var label: String
    var storedE0: Double?
    var storedStep: Double?
    var e0: Double?
    var step: Double?
    var failure: String?

    var within: Bool {
      guard let storedE0, let storedStep, let e0, let step, storedStep != 0 else { return false }
      return abs(e0 - storedE0) <= 0.5 && abs(step - storedStep) <= 0.01 * abs(storedStep)
    }
  }

  /// Normalizes every mu(E) group of every project with its stored parameters (through the same
  /// reader and settings resolution as `exafs process`).
  static func compareAll() throws -> [Row] {
    var rows: [Row] = []
    for path in RealData.files("athena-projects", suffix: ".prj") {
      let project = (path as NSString).lastPathComponent
      let text = try AthenaProject.decodedLines(TextLines.loadBytes(path: path), file: path)
      let stored = Dictionary(
        try AthenaProject.parseEntries(text).compactMap { try? $0.get() }.map { ($0.oldGroup, $0.args) },
        uniquingKeysWith: { a, _ in a })
      for entry in try SpectrumReader.readEach(path: path) {
        switch entry {
        case .failure(let failure):
          rows.append(Row(project: project, label: failure.label, failure: "not read: \(failure.error)"))
        case .success(.chi(let chi)):
          rows.append(Row(project: project, label: chi.name, failure: "chi(k) group: no E0 or step"))
        case .success(.mu(let spectrum)):
          let args = stored[spectrum.metadata["athena.group"] ?? ""] ?? [:]
          var row = Row(
            project: project, label: spectrum.metadata["athena.label"] ?? spectrum.name,
            storedE0: args["bkg_e0"].flatMap(Double.init), storedStep: args["bkg_step"].flatMap(Double.init))
          do {
            let settings = try ProcessingSettings.resolve(stored: spectrum.storedParameters, given: [:])
            let normalized = try normalize(spectrum, parameters: settings.normalization)
            row.e0 = normalized.e0
            row.step = normalized.edgeStep
          } catch {
            row.failure = "\(error)"
          }
          rows.append(row)
        }
      }
    }
    return rows
  }

  /// 0.5 eV / 1%: the agreement the issue asks for. Measured: 166 of 167 groups within (99.4%);
  /// the one outside (no edge above the noise) is listed in Docs/validation.md with its reason.
  @Test(.enabled(if: RealData.available, RealData.absent))
  func e0AndStepMatchAthenaForTheTwelveProjects() throws {
    let rows = try Self.compareAll()
    let within = rows.filter(\.within).count
    let fraction = Double(within) / Double(rows.count)
    print("Athena projects: \(within) of \(rows.count) groups within 0.5 eV / 1% (\(String(format: "%.1f", 100 * fraction))%)")
    for project in Set(rows.map(\.project)).sorted() {
      let mine = rows.filter { $0.project == project }
      let worst = mine.filter(\.within).map { abs($0.step! / $0.storedStep! - 1) }.max() ?? 0
      print("  \(project): \(mine.filter(\.within).count) of \(mine.count) within; largest step difference \(String(format: "%.2g", worst))")
    }
    for row in rows where !row.within {
      let e0 = row.e0.map { String(format: "%.2f", $0) } ?? "-"
      let step = row.step.map { String(format: "%.6g", $0) } ?? "-"
      print(
        "  outside: \(row.project) '\(row.label)': e0 \(e0) vs \(row.storedE0.map { "\($0)" } ?? "-"), "
          + "step \(step) vs \(row.storedStep.map { "\($0)" } ?? "-") \(row.failure ?? "")")
    }
    let good = rows.filter(\.within)
    let worstStep = good.map { abs($0.step! / $0.storedStep! - 1) }.max() ?? 0
    let worstE0 = good.map { abs($0.e0! - $0.storedE0!) }.max() ?? 0
    print("  worst within: step \(worstStep), e0 \(worstE0) eV")
    for row in good.sorted(by: { abs($0.step! / $0.storedStep! - 1) > abs($1.step! / $1.storedStep! - 1) }).prefix(12) {
      print("  largest: \(row.project) '\(row.label)' step \(row.step!) vs \(row.storedStep!)")
    }
    #expect(Set(rows.map(\.project)).count == 12)
    #expect(rows.count == 167)
    #expect(fraction >= 0.90)
    #expect(within >= 166)
    #expect(worstStep < 0.003)  // measured 0.28% (Eu2O3_eu_l3.001, Athena 0.8.061 rounding); most below 1e-5
    #expect(worstE0 < 1e-6)  // E0 is Athena's stored bkg_e0, used as given
  }
}
