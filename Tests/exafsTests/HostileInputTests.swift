// One test per family of broken input (issue 6): exafs process either processes it or stops for
// that file with a message naming it (and the line and column), leaves nothing behind, never crashes or hangs.
import Foundation
import Testing

@testable import EXAFSKit
@testable import EXAFSPlot
@testable import EXAFSReport

struct HostileInputTests {
  @Test func emptyFilesAreRejected() throws {
    for file in Hostile.corpusFamily("empty") {
      try Hostile.expectProcessRejects(file, saying: "the file is empty")
    }
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let emptyGzip = try Hostile.write(Gzip.compress(Data()), to: folder, as: "empty.xdi.gz")
    try Hostile.expectProcessRejects(emptyGzip, saying: "the file is empty")
  }

  @Test func headersWithoutDataAreRejected() throws {
    try Hostile.expectProcessRejects(Hostile.corpus("header-only/comments.dat"), saying: "no data rows")
    try Hostile.expectProcessRejects(Hostile.corpus("header-only/header.xdi"), saying: "no data rows")
    try Hostile.expectProcessRejects(Hostile.corpus("header-only/no-groups.prj"), saying: "no data groups")
  }

  @Test func binaryGarbageIsRejected() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let random = Hostile.noise(count: 8192, seed: 6).map { UInt8($0 * 256) }
    let printable = Array("8900.0 1.0 2.0\n".utf8)
    let inputs = [
      ("garbage.dat", Data(random)),
      ("controls.dat", Data([UInt8](repeating: 0x01, count: 300) + printable)),
      ("utf16.dat", "# energy mu\n8900 1\n".data(using: .utf16) ?? Data()),
      ("image.xdi", Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + random)),
      ("packed-garbage.prj", try Gzip.compress(Data(random))),
    ]
    for (name, bytes) in inputs {
      let path = try Hostile.write(bytes, to: folder, as: name)
      try Hostile.expectProcessRejects(path, saying: "does not look like a text data file")
    }
  }

  @Test func wrongOrMixedColumnCountsNameLineAndColumn() throws {
    for (name, at) in [("short-row.dat", "10:16"), ("long-row.dat", "12:27"), ("two-scans-appended.dat", "13:27")] {
      let file = Hostile.corpus("columns/" + name)
      try Hostile.expectProcessRejects(file, at: "\(file):\(at):", saying: "values on each data line")
    }
  }

  @Test func textNaNAndInfinityAmongNumbersNameLineAndColumn() throws {
    let cases = [
      ("word-in-data.dat", "9:17", "found 'oops'"), ("nan.dat", "15:8", "not a finite number"),
      ("inf-energy.dat", "6:1", "not a finite number"), ("overflowing-literal.dat", "21:8", "found '1e999'"),
      ("word-in-project.prj", "6:34", "found 'abc'"),
    ]
    for (name, at, words) in cases {
      let file = Hostile.corpus("numbers/" + name)
      try Hostile.expectProcessRejects(file, at: "\(file):\(at):", saying: words)
    }
    let nanGroup = Hostile.corpus("numbers/nan-in-project.prj")
    try Hostile.expectProcessRejects(nanGroup, at: "\(nanGroup):", saying: "mu is NaN or infinite at point 6 of group 'scan 1'")
  }

  @Test func unsortedAndRepeatedEnergiesAreRepairedWithANote() throws {
    let (header, rows) = try Hostile.simulatedScan()
    let folder = try temporaryFolder(), out = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    defer { try? FileManager.default.removeItem(at: out) }
    // Every 7919th point in turn (a permutation, since 7919 is prime), then 10 points repeated.
    let shuffled = rows.indices.sorted { ($0 * 7919) % rows.count < ($1 * 7919) % rows.count }.map { rows[$0] }
    let path = try Hostile.write(header, shuffled + rows[100..<110], to: folder, as: "shuffled.dat")
    let run = try Hostile.run(["process", path, "-o", out.path])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(Hostile.outputs(out) == ["shuffled.chik", "shuffled.chir", "shuffled.json", "shuffled.nor"])
    let notes = try summaryNotes(out.appendingPathComponent("shuffled.json"))
    #expect(notes.contains("the energies were not in increasing order; the points were sorted by energy"))
    #expect(notes.contains("10 points with repeated energies were merged (mu averaged)"))
  }

  @Test func nonPositiveAndOverflowingIntensitiesNameTheLine() throws {
    let cases = [
      ("zero-it.dat", 12, "ln(inf)"), ("negative-i0.dat", 8, "an intensity is zero or negative"),
      ("both-zero.dat", 17, "not a number"), ("overflowing-ratio.dat", 19, "ln(inf)"),
    ]
    for (name, line, words) in cases {
      let file = Hostile.corpus("intensities/" + name)
      try Hostile.expectProcessRejects(file, at: "\(file):\(line):", saying: words)
    }
  }

  @Test func tooFewPointsPastTheEdgeAreRejected() throws {
    for file in Hostile.corpusFamily("few-points") {
      try Hostile.expectProcessRejects(file, saying: "distinct energy points; at least 20 are needed")
    }
    let (header, rows) = try Hostile.simulatedScan()
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    // E0 is 9881 eV: data to 20 eV past it reach k = 2.3 1/Å, short of kmin + 1 = 3 1/Å.
    let cut = try Hostile.write(header, rows.filter { (Double($0[0]) ?? 0) < 9901 }, to: folder, as: "cut.dat")
    try Hostile.expectProcessRejects(cut, saying: "too few data past the edge")
    let chi = try String(
      contentsOf: repositoryRoot.appendingPathComponent("SampleSpectra/simulated/tacl6_bend00.chi"), encoding: .utf8)
    let shortChi = chi.split(separator: "\n").prefix(2 + 50).joined(separator: "\n")  // k up to 2.45 1/Å
    let chiPath = try Hostile.write(Data(shortChi.utf8), to: folder, as: "short.chi")
    try Hostile.expectProcessRejects(chiPath, saying: "too few data past the edge")
  }

  @Test func spectraWithoutAnEdgeAreRejected() throws {
    for file in Hostile.corpusFamily("no-edge") {
      try Hostile.expectProcessRejects(file, saying: "no absorption edge found")
    }
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let values = Hostile.noise(count: 400, seed: 11)
    let noise = (0..<400).map { ["\(8800 + 3 * Double($0))", "\(1 + 0.01 * values[$0])"] }
    let noisePath = try Hostile.write(["# energy mu"], noise, to: folder, as: "noise.dat")
    try Hostile.expectProcessRejects(noisePath, saying: "is not clearly above the point-to-point noise")
    // A scan that stops 20 eV before the edge: the pre-edge curvature passes for an edge, and
    // AUTOBK then finds no data after it.
    let (header, rows) = try Hostile.simulatedScan()
    let below = try Hostile.write(header, rows.filter { (Double($0[0]) ?? 0) < 9862 }, to: folder, as: "below.dat")
    try Hostile.expectProcessRejects(below, saying: "too few data past the edge")
  }

  @Test func energiesInKeVAreConvertedWithANote() throws {
    let (header, rows) = try Hostile.simulatedScan()
    let folder = try temporaryFolder(), out = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    defer { try? FileManager.default.removeItem(at: out) }
    let kev = rows.map { [String((Double($0[0]) ?? 0) / 1000)] + $0.dropFirst() }
    let path = try Hostile.write(header, kev, to: folder, as: "kev.dat")
    let run = try Hostile.run(["process", path, "-o", out.path])
    #expect(run.status == 0, "\(run.stderr)")
    let notes = try summaryNotes(out.appendingPathComponent("kev.json"))
    #expect(notes.contains { $0.hasPrefix("energies look like keV (largest 10.851007); multiplied by 1000 to eV") })
    let json = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("kev.json")))
    let e0 = (json as? [String: Any])?["e0"] as? Double ?? 0
    #expect(abs(e0 - 9881) < 10)  // in eV after conversion
  }

  @Test func absurdlyLongLinesAreRejected() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let row = String(repeating: "1.0 ", count: 600_000)  // 2.4 MB, over the 1 MB line limit
    let dataLine = try Hostile.write(Data("# energy i0 it\n8900 1 2\n8901 1 2\n8902 1 2\n\(row)\n".utf8), to: folder, as: "long-row.dat")
    try Hostile.expectProcessRejects(dataLine, at: "\(dataLine):5:", saying: "longer than 1024 kB")
    let comment = "# XDI/1.0\n# Column.1: energy\n# " + String(repeating: "x", count: 3 << 20) + "\n"
    let header = try Hostile.write(Data(comment.utf8), to: folder, as: "long-comment.xdi")
    try Hostile.expectProcessRejects(header, at: "\(header):3:", saying: "longer than 1024 kB")
    let unbroken = String(repeating: "9", count: 2 << 20)
    let single = try Hostile.write(Data(unbroken.utf8), to: folder, as: "one-line.chi")
    try Hostile.expectProcessRejects(single, at: "\(single):1:", saying: "longer than 1024 kB")
  }

  @Test func corruptOrTruncatedGzipIsRejected() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let packed = try Data(contentsOf: repositoryRoot.appendingPathComponent("SampleSpectra/W_metal_rt_scans.prj"))
    var flipped = [UInt8](packed)
    for i in stride(from: 200, to: 400, by: 7) { flipped[i] ^= 0xA5 }
    let inputs = [
      ("truncated.prj", packed.prefix(packed.count / 2)), ("corrupt.prj", Data(flipped)),
      ("header-only.prj", packed.prefix(10)), ("two-bytes.xdi.gz", packed.prefix(2)),
    ]
    for (name, bytes) in inputs {
      let path = try Hostile.write(bytes, to: folder, as: name)
      try Hostile.expectProcessRejects(path, at: "\(path):", saying: "corrupt or truncated gzip data")
    }
  }

  @Test func malformedAthenaProjectsNameLineAndColumn() throws {
    let cases = [
      ("unbalanced-quote.prj", "6:25", "expected ',' or ')'"), ("unclosed-list.prj", "7:232", "the line ends"),
      ("missing-semicolon.prj", "6:232", "expected ';'"), ("odd-args.prj", "5", "name, value pairs"),
      ("length-mismatch.prj", "8", "25 @x values but 24 @y values"),
      ("bare-statement.prj", "6:1", "expected a Perl assignment"), ("larix-json.prj", "1", "no data groups"),
    ]
    for (name, at, words) in cases {
      let file = Hostile.corpus("athena/" + name)
      try Hostile.expectProcessRejects(file, at: "\(file):\(at):", saying: words)
    }
  }

  /// Each `perl-*.prj` holds a line that, run by Perl (as Athena's own loader evaluates project
  /// lines), creates `exafs-pwned-marker` in the current folder. Perl itself proves the payload is
  /// live; exafs must reject the line and create nothing.
  @Test func perlCodeInAthenaProjectsIsNeverRun() throws {
    let payloads = [
      ("perl-system.prj", 4, 23), ("perl-backticks.prj", 4, 14), ("perl-qx-in-args.prj", 5, 21),
      ("perl-eval-in-array.prj", 7, 11),
    ]
    let perl = URL(fileURLWithPath: "/usr/bin/perl")
    for (name, line, column) in payloads {
      let file = repositoryRoot.appendingPathComponent(Hostile.corpus("athena/" + name)).path
      let text = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
      if FileManager.default.isExecutableFile(atPath: perl.path) {
        let sandbox = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: sandbox) }
        let process = Process()
        process.executableURL = perl
        process.arguments = ["-e", String(text[line - 1])]
        process.currentDirectoryURL = sandbox
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(listing(sandbox) == ["exafs-pwned-marker"], "the payload of \(name) line \(line) is not live Perl")
      }
      let cwd = try temporaryFolder(), out = cwd.appendingPathComponent("out")
      defer { try? FileManager.default.removeItem(at: cwd) }
      let run = try Hostile.run(["process", file, "-o", out.path], in: cwd)
      Hostile.expectRejected(run, file: file, at: "\(file):\(line):\(column):", saying: "never run", outdir: out)
      #expect(listing(cwd) == ["out"], "exafs created \(listing(cwd)) while reading \(name)")
      #expect(!FileManager.default.fileExists(atPath: repositoryRoot.appendingPathComponent("exafs-pwned-marker").path))
    }
  }

  /// Shell and Perl syntax inside quoted strings is data: the label becomes a safe file name.
  @Test func shellAndPerlTextInProjectLabelsIsOnlyData() throws {
    let evil = "../../x; $(touch exafs-pwned-marker) `touch exafs-pwned-marker` system(\"touch exafs-pwned-marker\")"
    let project = try Hostile.sampleProjectText()
      .replacingOccurrences(of: "'label', 'W_metal_rt_01'", with: "'label', '\(evil)'")
    #expect(project.contains(evil))
    let cwd = try temporaryFolder(), out = cwd.appendingPathComponent("out")
    defer { try? FileManager.default.removeItem(at: cwd) }
    let path = try Hostile.write(Data(project.utf8), to: cwd, as: "labels.prj")
    let run = try Hostile.run(["process", path, "--group", evil, "-o", out.path], in: cwd)
    #expect(run.status == 0, "\(run.stderr)")
    #expect(listing(cwd) == ["labels.prj", "out"])
    let stem = "x_touch_exafs-pwned-marker_touch_exafs-pwned-marker_system_touch_exafs-pwned-marker"
    #expect(Hostile.outputs(out) == ["chik", "chir", "json", "nor"].map { "\(stem).\($0)" })
  }

  @Test func decompressionBombsAreStopped() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    // 600 gzip members of 1 MB of scan rows each: 1.2 MB on disk, 600 MB of text.
    let member = try Gzip.compress(Data(String(repeating: "8000.0 1.0 1.0\n", count: 1 << 16).utf8))
    let bomb = try Hostile.write(Data(repeatElement(member, count: 600).joined()), to: folder, as: "bomb.dat.gz")
    try Hostile.expectProcessRejects(bomb, at: "\(bomb):", saying: "expands to more than 512 MB")
    // One Athena array of 1 000 001 numbers: 40 kB compressed.
    let array = "# Athena project file\n$old_group = 'abcde';\n@x = (" + String(repeating: "0,", count: 1_000_000) + "0);\n"
    let arrayBomb = try Hostile.write(Gzip.compress(Data(array.utf8)), to: folder, as: "array-bomb.prj")
    try Hostile.expectProcessRejects(arrayBomb, at: "\(arrayBomb):3:", saying: "more than 1000000 elements")
    // 1 000 001 data rows: 7 MB of text, 10 kB compressed.
    let rows = try Hostile.write(
      Gzip.compress(Data(String(repeating: "9000 1\n", count: 1_000_001).utf8)), to: folder, as: "rows.dat.gz")
    try Hostile.expectProcessRejects(rows, at: "\(rows):1000001:", saying: "more than 1000000 data rows")
  }

  @Test func xdiColumnFieldsMissingOrInconsistentAreReported() throws {
    let cases = [
      ("no-column-fields.xdi", "1", "no 'Column.N: name' fields"),
      ("column-gap.xdi", "2", "defines Column.1, Column.2, Column.4 but not Column.3"),
      ("column-beyond-data.xdi", "2", "defines Column.5 but the data rows have only 4 values"),
    ]
    for (name, line, words) in cases {
      let file = Hostile.corpus("xdi/" + name)
      try Hostile.expectProcessRejects(file, at: "\(file):\(line):", saying: words)
    }
    let fewer = Hostile.corpus("xdi/fewer-names-than-columns.xdi")
    try Hostile.expectProcessRejects(fewer, saying: "cannot tell which column holds mu(E)")
  }

  /// Every file of the corpus, including the fuzz regressions, ends with status 0 or 1: no signal, no hang.
  @Test func everyCorpusFileEndsCleanly() throws {
    let root = repositoryRoot.appendingPathComponent("Tests/Corpus")
    let files = (FileManager.default.enumerator(atPath: root.path)?.allObjects as? [String] ?? [])
      .filter { !$0.hasSuffix(".md") && !$0.hasPrefix(".") }
      .filter { path in
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path, isDirectory: &isDirectory)
          && !isDirectory.boolValue
      }
    #expect(files.count >= 40)
    let out = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: out) }
    let run = try Hostile.run(["process"] + files.sorted().map { Hostile.corpus($0) } + ["-o", out.path])
    #expect(!run.timedOut && !run.signaled, "\(run.stderr)")
    #expect(run.status == 1)
    #expect(run.failureList.count == files.count, "\(run.stderr)")
  }

  private func summaryNotes(_ url: URL) throws -> [String] {
    let json = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any]
    return json?["notes"] as? [String] ?? []
  }
}
