// End-to-end tests of `exafs merge`, `deglitch`, `rebin` and `truncate` on the repeated W L3 scans.
import Foundation
import Testing

struct ScanToolCommandTests {
  static let tungsten = (1...3).map { "SampleSpectra/W_metal_rt_0\($0).xdi" }

  /// A copy of W_metal_rt_02.xdi in `folder` with It of data row `row` (0-based) lowered by 3%,
  /// i.e. mu raised by ln(1/0.97) = 0.030 there; returns its path and the energy of that row.
  static func spikyCopy(in folder: URL, row: Int) throws -> (path: String, energy: Double) {
    let text = try String(
      contentsOf: repositoryRoot.appendingPathComponent("SampleSpectra/W_metal_rt_02.xdi"), encoding: .utf8)
    var lines: [String] = []
    var n = -1
    var energy = Double.nan
    for line in text.components(separatedBy: "\n") {
      guard !line.hasPrefix("#"), !line.trimmingCharacters(in: .whitespaces).isEmpty else {
        lines.append(line)
        continue
      }
      n += 1
      let words = line.split(separator: " ").compactMap { Double($0) }
      if n == row, words.count == 3 {
        energy = words[0]
        lines.append("\(words[0]) \(words[1] * 0.97) \(words[2])")
      } else {
        lines.append(line)
      }
    }
    let path = folder.appendingPathComponent("W_spiky.xdi").path
    try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
    return (path, energy)
  }

  @Test func mergeWritesMeanStddevAndAthenaProject() throws {
    let out = try temporaryFolder()
    let merged = out.appendingPathComponent("merged.dat")
    let project = out.appendingPathComponent("merged.prj")
    let run = try runExafs(["merge"] + Self.tungsten + ["-o", merged.path, "--athena", project.path])
    #expect(run.status == 0, "\(run.stderr)")
    let table = try readColumns(merged)
    #expect(table.names == ["energy", "mu", "stddev"])
    #expect(table.rows.count == 530)
    // Repeated scans: the spread is under 2% of the edge step (~2.1) everywhere.
    #expect(table.rows.allSatisfy { $0.count == 3 && $0[2] >= 0 && $0[2] < 0.04 })
    let text = try String(contentsOf: merged, encoding: .utf8)
    #expect(text.contains("# n_scans: 3\n"))
    #expect(FileManager.default.fileExists(atPath: project.path))
    #expect(listing(out) == ["merged.dat", "merged.prj"])
  }

  @Test func mergeOfOneScanThreeTimesHasZeroStddev() throws {
    let out = try temporaryFolder()
    let merged = out.appendingPathComponent("self.dat")
    let file = Self.tungsten[1]
    let run = try runExafs(["merge", file, file, file, "-o", merged.path])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(try readColumns(merged).rows.allSatisfy { $0[2] == 0 })
  }

  @Test func mergeWithAlignReportsTheShifts() throws {
    let out = try temporaryFolder()
    let merged = out.appendingPathComponent("aligned.dat")
    let run = try runExafs(["merge"] + Self.tungsten + ["-o", merged.path, "--align", "--ref", "ln(i0/itrans)"])
    #expect(run.status == 0, "\(run.stderr)")
    let shifts = run.stdout.split(separator: "\n").filter { $0.contains("eshift") }
    #expect(shifts.count == 3)
    let text = try String(contentsOf: merged, encoding: .utf8)
    #expect(text.contains("# align.eshift.3: W_metal_rt_03: eshift +0.0"))
  }

  /// W_metal_rt_0N.xdi rewritten as a plain column file `energy itrans i0 iref` in `folder`, with
  /// `shift` eV added to the energies and iref = itrans (so ln(i0/iref) is a reference channel).
  static func withReference(scan n: Int, shift: Double, in folder: URL) throws -> String {
    let text = try String(
      contentsOf: repositoryRoot.appendingPathComponent("SampleSpectra/W_metal_rt_0\(n).xdi"), encoding: .utf8)
    var lines = ["# W_metal_rt_0\(n) with energies shifted by \(shift) eV", "# energy itrans i0 iref"]
    for line in text.components(separatedBy: "\n") where !line.hasPrefix("#") {
      let w = line.split(separator: " ").compactMap { Double($0) }
      if w.count == 3 { lines.append("\(w[0] + shift) \(w[1]) \(w[2]) \(w[1])") }
    }
    let path = folder.appendingPathComponent("W\(n)_ref.dat").path
    try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  @Test func referenceChannelAlignmentUndoesACalibrationShift() throws {
    let out = try temporaryFolder()
    let first = try Self.withReference(scan: 1, shift: 0, in: out)
    let second = try Self.withReference(scan: 2, shift: 1.5, in: out)
    let merged = out.appendingPathComponent("merged.dat")
    let run = try runExafs([
      "merge", first, second, "-o", merged.path, "--mu", "ln(i0/itrans)", "--align", "--ref", "ln(i0/iref)",
    ])
    #expect(run.status == 0, "\(run.stderr)")
    // Scan 2 sits 0.033 eV above scan 1 by itself (ScanToolAlignmentTests); +1.5 eV more was added.
    let line = try #require(run.stdout.split(separator: "\n").first { $0.contains("W2_ref: eshift") })
    let value = try #require(line.split(separator: " ").first { $0.hasPrefix("-") }.flatMap { Double($0) })
    #expect(abs(value - (0.033 - 1.5)) < 0.05, "\(line)")
  }

  @Test func mergeInKWritesChi() throws {
    let out = try temporaryFolder()
    let merged = out.appendingPathComponent("chi.dat")
    let run = try runExafs(["merge"] + Self.tungsten + ["-o", merged.path, "--space", "k"])
    #expect(run.status == 0, "\(run.stderr)")
    let table = try readColumns(merged)
    #expect(table.names == ["k", "chi", "stddev"])
    #expect(abs(table.rows[1][0] - 0.05) < 1e-12)
  }

  @Test func deglitchRemovesTheInjectedSpikeOnly() throws {
    let out = try temporaryFolder()
    let spiky = try Self.spikyCopy(in: out, row: 300)
    let cleaned = out.appendingPathComponent("clean.dat")
    let run = try runExafs(["deglitch", spiky.path, "-o", cleaned.path, "--auto"])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.contains("removed 1 of 530 points"))
    #expect(run.stdout.contains("E = \(String(format: "%.6g", spiky.energy)) eV"))
    let rows = try readColumns(cleaned).rows
    #expect(rows.count == 529)
    #expect(!rows.contains { $0[0] == spiky.energy })
  }

  @Test func rebinAndTruncateWriteTheirGrids() throws {
    let out = try temporaryFolder()
    let rebinned = out.appendingPathComponent("rebinned.dat")
    var run = try runExafs(["rebin", Self.tungsten[0], "-o", rebinned.path])
    #expect(run.status == 0, "\(run.stderr)")
    let table = try readColumns(rebinned)
    #expect(table.names == ["energy", "mu", "delta_mu"])
    #expect(table.rows.count == 471)  // Larch's rebin_xafs gives 471 points for this scan
    let cut = out.appendingPathComponent("cut.dat")
    run = try runExafs(["truncate", Self.tungsten[0], "-o", cut.path, "--emin", "10100", "--emax", "11000"])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(try readColumns(cut).rows.allSatisfy { $0[0] >= 10100 && $0[0] <= 11000 })
  }

  @Test func badCommandLinesAndInputsFailCleanly() throws {
    let out = try temporaryFolder()
    let target = out.appendingPathComponent("x.dat").path
    var run = try runExafs(["merge", Self.tungsten[0], "-o", target])
    #expect(run.status == 1)
    #expect(run.stderr.contains("at least 2 scans"))
    run = try runExafs(["merge"] + Self.tungsten + ["-o", target, "--space", "r"])
    #expect(run.status == 64)
    run = try runExafs(["deglitch", Self.tungsten[0], "-o", target])
    #expect(run.status == 64)
    run = try runExafs(["merge"] + Self.tungsten + ["-o", target, "--align", "--ref", "ln(i0/iref)"])
    #expect(run.status == 1)
    #expect(run.stderr.contains("--ref"))
    run = try runExafs(["rebin", "SampleSpectra/W_metal_rt_scans.prj", "-o", target])
    #expect(run.status == 1)
    #expect(run.stderr.contains("--group"))
    #expect(listing(out).isEmpty)
  }
}
