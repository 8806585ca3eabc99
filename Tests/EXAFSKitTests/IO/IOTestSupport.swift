// Helpers for the IO tests: fixture paths, temporary files, and whether Larch is installed.
import Foundation

@testable import EXAFSKit
@testable import EXAFSPlot
@testable import EXAFSReport

enum IOTestSupport {
  /// Path of a file in Tests/EXAFSKitTests/Fixtures/io/.
  static func fixture(_ name: String) throws -> String {
    guard let root = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
      throw EXAFSError.unreadable(SourceLocation(file: "Fixtures"), "test fixtures are not bundled")
    }
    return root.appendingPathComponent("io").appendingPathComponent(name).path
  }

  /// A fresh empty directory for one test.
  static func temporaryDirectory() throws -> String {
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("exafs-io-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url.path
  }

  /// Writes `text` to a new temporary file called `name` and returns its path.
  static func write(_ text: String, name: String) throws -> String {
    try write(Data(text.utf8), name: name)
  }

  /// Writes `data` to a new temporary file called `name` and returns its path.
  static func write(_ data: Data, name: String) throws -> String {
    let path = try temporaryDirectory() + "/" + name
    try data.write(to: URL(fileURLWithPath: path))
    return path
  }

  /// A synthetic transmission scan: `count` energies from `start` in 5 eV steps, with I0 and It
  /// such that ln(I0/It) = 1 + point index / 1000.
  static func transmissionRows(count: Int = 30, start: Double = 8900) -> [String] {
    (0..<count).map { i in
      let i0 = 1.0e5 + Double(i)
      let it = i0 / Foundation.exp(1 + Double(i) / 1000)
      return "\(start + 5 * Double(i)) \(i0) \(it)"
    }
  }

  /// True when `python3 -c "import numpy"` succeeds (checked once).
  static let numpyAvailable: Bool = {
    (try? runPython("import numpy")) != nil
  }()

  /// True when `python3 -c "import larch"` succeeds (checked once).
  static let larchAvailable: Bool = {
    (try? runPython("import larch")) != nil
  }()

  /// Runs `python3 -c code` and returns its standard output; throws when it fails.
  static func runPython(_ code: String) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", code]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      throw EXAFSError.numerical("python3 exited with status \(process.terminationStatus)")
    }
    return String(decoding: data, as: UTF8.self)
  }
}
