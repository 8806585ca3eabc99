// `exafs view`: the browser test (headless Chromium via chromium-driver + python3-selenium drives
// Tests/Browser/viewer_browser.py) and the refusals of the loopback server (token, Host, Origin, paths).
import CCairo
import EXAFSKit
import EXAFSView
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Whether Debian's chromium-driver and python3-selenium are installed (`make deps-test` installs them).
let seleniumAvailable: Bool = {
  guard FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver"), chromiumBinary != nil,
    let r = try? run("/usr/bin/python3", ["-c", "import selenium"], timeout: 30)
  else { return false }
  return r.status == 0
}()

/// A running `exafs view` on a free loopback port, stopped on `stop()` (and by --stop-after).
final class ViewerProcess {
  let process = Process()
  let url: String
  let port: Int
  let token: String

  init(_ inputs: [String], outdir: String) throws {
    process.executableURL = exafsBinary()
    process.arguments = ["view"] + inputs + ["--port", "0", "-o", outdir, "--stop-after", "120"]
    process.currentDirectoryURL = repositoryRoot
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    try process.run()
    // The first line holds the address; read it byte by byte, at most 20 s.
    var line = Data()
    let start = Date()
    let handle = out.fileHandleForReading
    while Date().timeIntervalSince(start) < 20 {
      let byte = handle.readData(ofLength: 1)
      if byte.isEmpty || byte == Data("\n".utf8) { break }
      line.append(byte)
    }
    let text = String(decoding: line, as: UTF8.self)
    guard let range = text.range(of: "http://127.0.0.1:") else {
      process.terminate()
      throw EXAFSError.invalidParameter("exafs view", "no address printed: \(text)")
    }
    url = String(text[range.lowerBound...])
    let rest = url.dropFirst("http://127.0.0.1:".count)
    port = Int(rest.prefix { $0.isNumber }) ?? 0
    token = String(url.split(separator: "=").last ?? "")
  }

  func stop() {
    if process.isRunning { process.terminate() }
    process.waitUntilExit()
  }
}

/// One raw HTTP/1.1 exchange with 127.0.0.1:`port` (or `address`): the whole response as text.
func rawHTTPFull(port: Int, address: String = "127.0.0.1", _ request: String) -> String? {
  let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
  guard fd >= 0 else { return nil }
  defer { close(fd) }
  var tv = timeval(tv_sec: 10, tv_usec: 0)
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
  var connectTimeout = timeval(tv_sec: 3, tv_usec: 0)  // Linux bounds connect() by the send timeout
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &connectTimeout, socklen_t(MemoryLayout<timeval>.size))
  var a = sockaddr_in()
  a.sin_family = sa_family_t(AF_INET)
  a.sin_port = in_port_t(UInt16(port).bigEndian)
  a.sin_addr.s_addr = inet_addr(address)
  let ok = withUnsafePointer(to: &a) {
    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
  }
  guard ok == 0 else { return nil }
  let bytes = Array(request.utf8)
  _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress!, $0.count, 0) }
  var response = Data()
  var chunk = [UInt8](repeating: 0, count: 65536)
  while true {
    let n = recv(fd, &chunk, chunk.count, 0)
    if n <= 0 { break }
    response.append(contentsOf: chunk[0..<n])
  }
  return String(decoding: response, as: UTF8.self)
}

/// One raw HTTP/1.1 exchange with 127.0.0.1:`port` (or `address`): status code and body.
func rawHTTP(port: Int, address: String = "127.0.0.1", _ request: String) -> (status: Int, body: String)? {
  guard let text = rawHTTPFull(port: port, address: address, request) else { return nil }
  guard text.hasPrefix("HTTP/1.1 "), let code = Int(text.dropFirst(9).prefix(3)) else { return nil }
  let body = text.range(of: "\r\n\r\n").map { String(text[$0.upperBound...]) } ?? ""
  return (code, body)
}

/// The header block of one exchange.
func rawHead(port: Int, _ request: String) -> String? {
  guard let r = rawHTTPFull(port: port, request) else { return nil }
  return r.range(of: "\r\n\r\n").map { String(r[..<$0.lowerBound]) }
}

/// The first IPv4 address of this machine that is not loopback, if any.
func nonLoopbackAddress() -> String? {
  var list: UnsafeMutablePointer<ifaddrs>?
  guard getifaddrs(&list) == 0 else { return nil }
  defer { freeifaddrs(list) }
  var p = list
  while let entry = p {
    defer { p = entry.pointee.ifa_next }
    guard let sa = entry.pointee.ifa_addr, sa.pointee.sa_family == sa_family_t(AF_INET) else { continue }
    var addr = sa.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
    var buffer = [CChar](repeating: 0, count: 32)
    inet_ntop(AF_INET, &addr, &buffer, 32)
    let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    if !text.hasPrefix("127.") { return text }
  }
  return nil
}

@Suite(.serialized) struct ViewerTests {
  let sample = "SampleSpectra/W_metal_rt_scans.prj"

  /// The refusals: no token, a wrong token, a foreign Host or Origin, file paths in the URL or the
  /// body, group numbers that do not exist, bodies that are not JSON; and the table drives the controls.
  @Test func serverRefusesRequestsWithoutTokenOrForOtherFiles() throws {
    let out = try temporaryFolder()
    let viewer = try ViewerProcess([sample], outdir: out.path)
    defer { viewer.stop() }
    let p = viewer.port, t = viewer.token
    #expect(t.count == 64 && t.allSatisfy(\.isHexDigit), "token \(t)")
    func get(_ target: String, host: String? = nil, extra: String = "") -> Int {
      rawHTTP(port: p, "GET \(target) HTTP/1.1\r\nHost: \(host ?? "127.0.0.1:\(p)")\r\n\(extra)Connection: close\r\n\r\n")?.status ?? -1
    }
    func post(_ body: String, token: String? = nil, type: String = "application/json") -> (status: Int, body: String) {
      let request =
        "POST /api/process?token=\(token ?? t) HTTP/1.1\r\nHost: 127.0.0.1:\(p)\r\nContent-Type: \(type)\r\n"
        + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
      return rawHTTP(port: p, request) ?? (-1, "")
    }
    // Without the token, or with a wrong one of the same length: 403 for every route.
    for target in ["/", "/app.js", "/api/groups", "/etc/passwd", "/?token=", "/?token=\(String(repeating: "0", count: 64))"] {
      #expect(get(target) == 403, "\(target)")
    }
    #expect(post(#"{"groups":[0]}"#, token: String(t.reversed())).status == 403)
    // With the token: the page and the API answer ...
    #expect(get("/?token=\(t)") == 200)
    #expect(get("/api/groups?token=\(t)") == 200)
    // ... but not to another Host (DNS rebinding) or a foreign Origin.
    #expect(get("/api/groups?token=\(t)", host: "evil.example:\(p)") == 403)
    #expect(get("/api/groups?token=\(t)", extra: "Origin: http://evil.example\r\n") == 403)
    // No file is ever served by path: not the input, not another file, not with ../.
    for target in [
      "/\(sample)", "/SampleSpectra/cu_metal_rt.xdi", "/../../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/etc/passwd",
      "/api/file", "/Package.swift",
    ] {
      #expect(get("\(target)?token=\(t)") == 404, "\(target)")
    }
    // The API takes group numbers, never paths; unknown fields and groups are refused.
    let withPath = post(#"{"groups":[0],"path":"/etc/passwd"}"#)
    #expect(withPath.status == 400 && withPath.body.contains("unknown field"), "\(withPath)")
    let file = post(#"{"groups":[0],"file":"SampleSpectra/cu_metal_rt.xdi"}"#)
    #expect(file.status == 400, "\(file)")
    #expect(post(#"{"groups":[3]}"#).status == 400)  // the project has 3 groups: 0, 1, 2
    #expect(post(#"{"groups":["../cu_metal_rt.xdi"]}"#).status == 400)
    #expect(post(#"{"groups":[0],"params":{"rbkg":"-1"}}"#).status == 200)  // a bad value is a message per group
    #expect(post(#"{"groups":[0],"params":{"no_such":"1"}}"#).status == 400)
    #expect(post(#"{"groups":[0]}"#, type: "text/plain").status == 400)
    let ok = post(#"{"groups":[0],"params":{"rbkg":"1.2"}}"#)
    #expect(ok.status == 200 && ok.body.contains("\"results\""))
    // Requests are bounded: 16 KB of header, 1 MB of body, no chunked bodies.
    let longHeader = "GET /?token=\(t) HTTP/1.1\r\nHost: 127.0.0.1:\(p)\r\nX-Pad: \(String(repeating: "a", count: 20000))\r\n\r\n"
    #expect(rawHTTP(port: p, longHeader)?.status == 413)
    let hugeBody = "POST /api/process?token=\(t) HTTP/1.1\r\nHost: 127.0.0.1:\(p)\r\nContent-Type: application/json\r\nContent-Length: 2000000\r\n\r\n{}"
    #expect(rawHTTP(port: p, hugeBody)?.status == 413)
    let chunked = "POST /api/process?token=\(t) HTTP/1.1\r\nHost: 127.0.0.1:\(p)\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
    #expect(rawHTTP(port: p, chunked)?.status == 400)
    // The page carries the policy: only its own script, style and API.
    let page = rawHTTP(port: p, "GET /?token=\(t) HTTP/1.1\r\nHost: 127.0.0.1:\(p)\r\n\r\n")
    #expect(page?.body.contains("app.js?token=\(t)") == true)
    let head = try #require(rawHead(port: p, "GET /?token=\(t) HTTP/1.1\r\nHost: 127.0.0.1:\(p)\r\n\r\n"))
    #expect(head.contains("Content-Security-Policy: default-src 'none'; script-src 'self';"), "\(head)")
    // The controls come from the parameter table: every entry, in its order.
    let groups = try #require(rawHTTP(port: p, "GET /api/groups?token=\(t) HTTP/1.1\r\nHost: localhost:\(p)\r\n\r\n"))
    let json = try #require(try JSONSerialization.jsonObject(with: Data(groups.body.utf8)) as? [String: Any])
    let names = (json["parameters"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
    #expect(names == ProcessingParameter.all.map(\.name))
    #expect(((json["groups"] as? [[String: Any]]) ?? []).compactMap { $0["label"] as? String }
      == ["W_metal_rt_01", "W_metal_rt_02", "W_metal_rt_03"])
    // Bound to loopback only: another address of this machine does not answer (refused, or no
    // answer within 3 s where a sandbox routes it elsewhere).
    if let address = nonLoopbackAddress() {
      #expect(rawHTTP(port: p, address: address, "GET /?token=\(t) HTTP/1.1\r\nHost: x\r\n\r\n") == nil, "answered on \(address)")
    }
  }

  /// Without a browser: the command line the viewer prints names every parameter set in the viewer
  /// by its table option, and `exafs process` with it gives the viewer's numbers (same code, so
  /// equal to the last bit); the viewer's own results record the parameters as set in the viewer.
  @Test func printedCommandReproducesTheViewersNumbers() throws {
    let out = try temporaryFolder()
    let session = ViewerSession(files: [sample], outdir: out.path)
    #expect(session.groups.map(\.label) == ["W_metal_rt_01", "W_metal_rt_02", "W_metal_rt_03"])
    let body = #"{"groups":[1],"params":{"rbkg":"1.3","bkg_kweight":"2","pre_edge_convention":"ifeffit","kmin":"3"}}"#
    let request = try ViewerRequest(json: Data(body.utf8), groupCount: session.groups.count)
    let shown = try #require(try session.process(request).first?.1.get())
    #expect(shown.settings.sources["rbkg"] == .viewer && shown.settings.sources["pre1"] == .file)
    let command = try #require(session.commandLines(request, outdir: out.appendingPathComponent("p").path).first)
    for flag in ["--rbkg 1.3", "--bkg-kweight 2", "--pre-edge-convention ifeffit", "--kmin 3", "--group W_metal_rt_02"] {
      #expect(command.contains(flag), "\(command)")
    }
    let words = command.split(separator: " ").map(String.init)
    #expect(words.prefix(2) == ["exafs", "process"])
    let r = try runExafs(Array(words.dropFirst()))
    #expect(r.status == 0, "\(r.stderr)")
    let json = try Data(contentsOf: out.appendingPathComponent("p/W_metal_rt_02.json"))
    let record = try JSONDecoder().decode(SpectrumRecord.self, from: json)
    #expect(record.e0 == shown.record.e0 && record.edgeStep == shown.record.edgeStep)
    #expect(record.firstShell == shown.record.firstShell)
    #expect(record.parameters["rbkg"]?.source == .commandLine)
  }

  /// Changes rbkg and drags a window edge in headless Chromium: the plots (SVG) and screenshots
  /// change; Save's project reprocessed by `exafs process` gives the numbers the viewer showed.
  @Test(.enabled(if: seleniumAvailable, "needs chromium, chromium-driver and python3-selenium (make deps-test installs them)"))
  func browserChangesParametersAndSaveReproduces() throws {
    let work = try temporaryFolder()
    let script = repositoryRoot.appendingPathComponent("Tests/Browser/viewer_browser.py").path
    let r = try run(
      "/usr/bin/python3",
      [script, "--exafs", exafsBinary().path, "--sample", repositoryRoot.appendingPathComponent(sample).path,
       "--work", work.path, "--timeout", "150"], timeout: 200)
    let resultData = try Data(contentsOf: work.appendingPathComponent("result.json"))
    let result = try #require(try JSONSerialization.jsonObject(with: resultData) as? [String: Any])
    let checks = (result["checks"] as? [[String: Any]]) ?? []
    for c in checks where (c["ok"] as? Bool) != true { Issue.record("browser check failed: \(c["what"] ?? "?")") }
    #expect(checks.count >= 20, "only \(checks.count) checks ran:\n\(r.stdout)")
    #expect(r.status == 0, "\(r.stdout)")
    // The screenshots differ where the plots changed (a re-render with no change differs in 0 pixels).
    func pixels(_ name: String) -> [UInt32]? {
      guard let s = pixelStatistics(work.appendingPathComponent(name).path) else { return nil }
      return (0..<s.height).flatMap { y in (0..<s.width).map { x in s.pixel(x, y) } }
    }
    let shots = ["viewer-1-initial.png", "viewer-2-rbkg.png", "viewer-3-kmax.png"].map(pixels)
    let a = try #require(shots[0]), b = try #require(shots[1]), c = try #require(shots[2])
    #expect(a.count == b.count && b.count == c.count)
    let changedByRbkg = zip(a, b).filter { $0 != $1 }.count
    let changedByKmax = zip(b, c).filter { $0 != $1 }.count
    // Measured: 101000 (rbkg: every plot) and 27000 (kmax: chi(k), chi(R), map) of 1400x1007 pixels.
    #expect(changedByRbkg > 2000, "rbkg changed only \(changedByRbkg) pixels")
    #expect(changedByKmax > 2000, "kmax drag changed only \(changedByKmax) pixels")
    let diffs = (result["relative_differences_saved_project"] as? [String: Double]) ?? [:]
    #expect(diffs.count == 4, "\(result)")
  }
}
