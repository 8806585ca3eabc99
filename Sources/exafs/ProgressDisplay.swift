// Progress of a batch: a bar on a terminal, plain lines otherwise.
import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// Shows progress on standard error: an updating bar when it is a terminal; otherwise every
/// spectrum's result on its own line (standard output) and no bar.
final class ProgressDisplay: Sendable {
  private let isTerminal = isatty(STDERR_FILENO) == 1
  private let state = Mutex<(total: Int, done: Int, start: Date)>((0, 0, Date()))

  func start(total: Int) {
    state.withLock { $0 = (total, 0, Date()) }
  }

  /// A result line. Quiet lines (successes) are not shown on a terminal, where the bar counts them.
  func message(_ line: String, quiet: Bool = false) {
    if isTerminal {
      if quiet { return }
      FileHandle.standardError.write(Data(("\r\u{1B}[K" + line + "\n").utf8))
      draw()
    } else if quiet {
      print(line)
    } else {
      FileHandle.standardError.write(Data((line + "\n").utf8))
    }
  }

  func update(done: Int) {
    state.withLock { $0.done = done }
    if isTerminal { draw() }
  }

  func finish() {
    if isTerminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
  }

  private func draw() {
    let (total, done, start) = state.withLock { ($0.total, $0.done, $0.start) }
    guard total > 0 else { return }
    let width = 30
    let filled = width * done / total
    let rate = Double(done) / max(Date().timeIntervalSince(start), 1e-6)
    let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
    let text = String(format: "\r[%@] %d/%d files  %.1f/s", bar, done, total, rate)
    FileHandle.standardError.write(Data(text.utf8))
  }
}
