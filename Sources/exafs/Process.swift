// `exafs process INPUT... -o OUTDIR`: normalized mu(E), chi(k), chi(R) and a JSON summary per spectrum.
import ArgumentParser
import EXAFSKit
import Foundation
import Synchronization

struct Process: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Normalize, remove the background and Fourier transform every spectrum of the inputs.",
    discussion: """
      Writes NAME.nor, NAME.chik, NAME.chir and NAME.json to OUTDIR for every spectrum (every group \
      of an Athena project). A spectrum that fails leaves no file behind; the others are processed.
      """)

  @Argument(help: "Input files or folders (column files, XDI, Athena projects, chi(k) files).")
  var inputs: [String]
  @Option(name: [.short, .customLong("output")], help: "Output folder (created if missing).")
  var outdir: String
  @OptionGroup var input: InputOptions
  @OptionGroup var processing: ProcessingOptions
  @Option(help: "Number of spectra processed at once (default: number of cores).")
  var jobs: Int?

  func run() throws {
    try createDirectory(outdir)
    let files = try expandInputs(inputs)
    let report = BatchReport()
    let names = Mutex<Set<String>>([])
    let options = input.readOptions
    let commandLine = processing.values
    let outdir = self.outdir
    let workers = max(1, jobs ?? ProcessInfo.processInfo.activeProcessorCount)
    let queue = WorkQueue(count: files.count)
    DispatchQueue.concurrentPerform(iterations: min(workers, max(files.count, 1))) { _ in
      while let index = queue.next() {
        let path = files[index]
        do {
          let spectra = try SpectrumReader.read(path: path, options: options)
          for spectrum in spectra {
            do {
              let stored = storedParameters(of: spectrum)
              let settings = try ProcessingSettings.resolve(stored: stored, commandLine: commandLine)
              let result = try process(spectrum, settings: settings)
              let name = names.withLock { used in uniqueName(result.name, &used) }
              try writeAll(result.outputFiles(), stem: result.name, as: name, in: outdir)
              report.success("\(path): \(name)", warnings: result.warnings)
            } catch {
              report.failure("\(spectrum.name) (\(path))", error)
            }
          }
        } catch {
          report.failure(path, error)
        }
      }
    }
    report.finish(outdir: outdir)
    if report.failures > 0 { throw ExitCode.failure }
  }
}

/// Parameters stored with a spectrum (Athena projects), by Athena name.
func storedParameters(of input: SpectrumInput) -> [String: String] {
  switch input {
  case .mu(let s): return s.storedParameters
  case .chi(let c): return c.storedParameters
  }
}

/// A name not used yet in this run (NAME, NAME_2, NAME_3 ...).
func uniqueName(_ name: String, _ used: inout Set<String>) -> String {
  var candidate = name
  var n = 2
  while used.contains(candidate) {
    candidate = "\(name)_\(n)"
    n += 1
  }
  used.insert(candidate)
  return candidate
}

/// Writes every file of one spectrum atomically; on failure removes those already written.
func writeAll(_ files: [(name: String, contents: Data)], stem: String, as name: String, in dir: String) throws {
  var written: [String] = []
  do {
    for file in files {
      let fileName = name + file.name.dropFirst(stem.count)
      let path = (dir as NSString).appendingPathComponent(fileName)
      try AtomicWriter.write(file.contents, to: path)
      written.append(path)
    }
  } catch {
    for path in written { try? FileManager.default.removeItem(atPath: path) }
    throw error
  }
}

/// Files named on the command line, with folders replaced by their (non-hidden) files, sorted.
func expandInputs(_ inputs: [String]) throws -> [String] {
  var out: [String] = []
  let fm = FileManager.default
  for path in inputs {
    var isDir: ObjCBool = false
    if fm.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue {
      let entries = (try? fm.contentsOfDirectory(atPath: path)) ?? []
      for entry in entries.sorted() where !entry.hasPrefix(".") && !skippedInFolders(entry) {
        let full = (path as NSString).appendingPathComponent(entry)
        var sub: ObjCBool = false
        if fm.fileExists(atPath: full, isDirectory: &sub), !sub.boolValue { out.append(full) }
      }
    } else {
      out.append(path)
    }
  }
  return out
}

/// Files in an input folder that are documentation or our own outputs, not spectra.
func skippedInFolders(_ name: String) -> Bool {
  let ext = (name as NSString).pathExtension.lowercased()
  return ["md", "json", "png", "svg", "pdf", "html", "py", "nor", "chir", "wavelet"].contains(ext)
    || name.lowercased().hasPrefix("readme")
}

/// Creates the output folder if needed.
func createDirectory(_ path: String) throws {
  do {
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  } catch {
    throw ValidationError("cannot create output folder \(path): \(error.localizedDescription)")
  }
}

/// Hands out indices 0 ..< count to concurrent workers.
final class WorkQueue: Sendable {
  private let state: Mutex<Int>
  private let count: Int
  init(count: Int) {
    self.count = count
    state = Mutex(0)
  }
  func next() -> Int? {
    state.withLock { i in
      guard i < count else { return nil }
      defer { i += 1 }
      return i
    }
  }
}

/// Collects successes and failures from concurrent workers and prints them.
final class BatchReport: Sendable {
  private let state = Mutex<(ok: Int, failed: [String])>((0, []))

  func success(_ line: String, warnings: [String]) {
    state.withLock { s in
      s.ok += 1
      print("ok: \(line)")
      for w in warnings { printError("warning: \(line): \(w)") }
    }
  }

  func failure(_ what: String, _ error: any Error) {
    let message = (error as? EXAFSError)?.description ?? "\(what): \(error)"
    state.withLock { s in
      s.failed.append(message)
      printError("error: \(message)")
    }
  }

  var failures: Int { state.withLock { $0.failed.count } }

  func finish(outdir: String) {
    state.withLock { s in
      let total = s.ok + s.failed.count
      print("\(s.ok) of \(total) spectra processed; outputs in \(outdir)")
      if !s.failed.isEmpty {
        printError("\(s.failed.count) failed:")
        for line in s.failed { printError("  \(line)") }
      }
    }
  }
}
