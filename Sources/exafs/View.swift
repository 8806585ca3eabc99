// `exafs view FILES... [--port 8765]`: the interactive viewer, served on 127.0.0.1 to the user's browser.
import ArgumentParser
import EXAFSKit
import EXAFSView
import Foundation

struct View: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Interactive viewer in the browser: change parameters and watch mu(E), chi(k), chi(R) and the wavelet map.",
    discussion: """
      Serves a page on 127.0.0.1 only, at an address with a random token that every request must \
      carry; only the files named here are read, and nothing the browser sends is used as a file \
      path. Save writes OUTDIR/viewer.prj (an Athena project with the viewer's parameters) and prints \
      the exafs process command lines that reproduce the result; Export writes NAME.nor, NAME.chik, \
      NAME.chir, NAME.wavelet, NAME.json and summary.csv into OUTDIR. Stop with Ctrl-C.
      """)

  @Argument(help: "Input files or folders (column files, XDI, Athena projects, chi(k) files).")
  var inputs: [String]
  @Option(help: "Port on 127.0.0.1 (0: any free port).")
  var port: Int = 8765
  @Option(name: [.short, .customLong("output")], help: "Folder that Save and Export write into (created when needed).")
  var outdir: String = "exafs-view"
  @OptionGroup var input: InputOptions
  @Flag(help: "Open the page with xdg-open (or open on macOS).")
  var open = false
  @Option(help: "Stop the server after this many seconds (for scripts and tests).")
  var stopAfter: Double?

  func validate() throws {
    if !(0...65535).contains(port) { throw ValidationError("--port must be 0 ... 65535") }
    if let stopAfter, !(stopAfter > 0) { throw ValidationError("--stop-after must be positive") }
  }

  func run() throws {
    let files = Batch.expandInputs(inputs) { printError("note: \($0)") }
    let session = ViewerSession(files: files, readOptions: input.readOptions, outdir: outdir)
    for failure in session.failures { printError("error: \(failure)") }
    guard !session.groups.isEmpty else {
      printError("error: no spectrum could be read")
      throw ExitCode.failure
    }
    // Ctrl-C and kill stop the server even when the parent left these signals ignored or blocked
    // (a child inherits both; test runners and some shells do that).
    var set = sigset_t()
    sigemptyset(&set)
    for s in [SIGINT, SIGTERM, SIGHUP] {
      signal(s, SIG_DFL)
      sigaddset(&set, s)
    }
    sigprocmask(SIG_UNBLOCK, &set, nil)
    let token = ViewerServer.randomToken()
    let box = ServerBox()
    let server: HTTPServer
    do {
      server = try HTTPServer(port: port) { request in box.server?.respond(request) ?? .text(503, "starting") }
    } catch {
      printError("error: \(error)")
      throw ExitCode.failure
    }
    box.server = ViewerServer(session: session, token: token, port: server.port)
    let url = box.server!.url
    // Written unbuffered: a script reading the address from a pipe gets it at once.
    FileHandle.standardOutput.write(Data("""
      exafs view: \(session.groups.count) group(s) from \(files.count) file(s); open \(url)
      Save and Export write into \(outdir); stop with Ctrl-C.

      """.utf8))
    if open { launchBrowser(url) }
    if let stopAfter {
      DispatchQueue.global().asyncAfter(deadline: .now() + stopAfter) {
        printError("exafs view: stopping after \(stopAfter) s (--stop-after)")
        Foundation.exit(0)
      }
    }
    server.serve()
  }

  private func launchBrowser(_ url: String) {
    let p = Foundation.Process()
    #if os(macOS)
      p.executableURL = URL(fileURLWithPath: "/usr/bin/open")
    #else
      p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
      p.arguments = ["xdg-open"]
    #endif
    p.arguments = (p.arguments ?? []) + [url]
    do { try p.run() } catch { printError("note: could not open a browser (\(error.localizedDescription)); open \(url)") }
  }
}

/// Holds the viewer once the port is known (the handler is created before the bind).
private final class ServerBox: @unchecked Sendable {
  // Written once on the main thread before the first connection is accepted, then only read.
  var server: ViewerServer?
}
