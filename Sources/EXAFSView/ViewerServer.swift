// The viewer's HTTP routes: the page, its script and style, and the JSON API, all behind a random
// token, a Host check and a strict Content-Security-Policy.
import EXAFSKit
import Foundation

/// `exafs view`: the session behind the loopback HTTP server.
public struct ViewerServer: Sendable {
  public let session: ViewerSession
  /// The secret every request must carry as `?token=` (64 hex digits from the system's CSPRNG).
  public let token: String
  /// The bound port (for the Host check).
  public let port: Int

  /// The page's policy: only our own script, style and API; no inline script, no frames, no forms.
  public static let contentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
    + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

  public init(session: ViewerSession, token: String = ViewerServer.randomToken(), port: Int) {
    self.session = session
    self.token = token
    self.port = port
  }

  /// 32 random bytes as hex.
  public static func randomToken() -> String {
    var g = SystemRandomNumberGenerator()
    return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &g)) }.joined()
  }

  /// The address to open.
  public var url: String { "http://127.0.0.1:\(port)/?token=\(token)" }

  /// Answers one request. Refused with 403: a missing or wrong token, a Host other than
  /// 127.0.0.1/localhost on our port (DNS rebinding), an Origin from elsewhere. Paths are only ever
  /// compared with the fixed routes below; group numbers index the groups read at start.
  public func respond(_ request: HTTPRequest) -> HTTPResponse {
    guard let given = request.query["token"], constantTimeEqual(given, token) else {
      return .text(403, "forbidden: this server needs the token printed by exafs view")
    }
    let hosts = ["127.0.0.1:\(port)", "localhost:\(port)"]
    guard let host = request.headers["host"], hosts.contains(host.lowercased()) else {
      return .text(403, "forbidden: unexpected Host")
    }
    if let origin = request.headers["origin"], !hosts.map({ "http://" + $0 }).contains(origin.lowercased()) {
      return .text(403, "forbidden: unexpected Origin")
    }
    switch (request.method, request.path) {
    case ("GET", "/"):
      return HTTPResponse(
        status: 200, contentType: "text/html; charset=utf-8", body: Data(ViewerPage.html(token: token).utf8),
        headers: [("Content-Security-Policy", Self.contentSecurityPolicy)])
    case ("GET", "/app.js"):
      return HTTPResponse(status: 200, contentType: "text/javascript; charset=utf-8", body: Data(ViewerPage.script.utf8))
    case ("GET", "/app.css"):
      return HTTPResponse(status: 200, contentType: "text/css; charset=utf-8", body: Data(ViewerPage.style.utf8))
    case ("GET", "/api/groups"):
      return json(200, groupsPayload)
    case ("POST", "/api/process"), ("POST", "/api/save"), ("POST", "/api/export"):
      guard (request.headers["content-type"] ?? "").lowercased().hasPrefix("application/json") else {
        return .text(400, "bad request: the body must be application/json")
      }
      let parsed: ViewerRequest
      do { parsed = try ViewerRequest(json: request.body, groupCount: session.groups.count) } catch {
        return json(400, ["error": (error as? EXAFSError)?.description ?? "\(error)"])
      }
      switch request.path {
      case "/api/process": return json(200, processPayload(parsed))
      case "/api/save":
        do {
          let (project, commands) = try session.save(parsed)
          return json(200, ["project": project, "commands": commands])
        } catch { return json(400, ["error": message(error)]) }
      default:
        do {
          let files = try session.export(parsed)
          return json(200, ["folder": session.outdir, "files": files])
        } catch { return json(400, ["error": message(error)]) }
      }
    case (_, "/"), (_, "/app.js"), (_, "/app.css"), (_, "/api/groups"), (_, "/api/process"), (_, "/api/save"), (_, "/api/export"):
      return .text(405, "method not allowed")
    default:
      return .text(404, "not found")
    }
  }

  private func message(_ error: any Error) -> String {
    if let f = error as? EXAFSFailure { return f.message }
    return (error as? EXAFSError)?.description ?? "\(error)"
  }

  private func json(_ status: Int, _ object: Any) -> HTTPResponse {
    let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
    return HTTPResponse(status: status, contentType: "application/json", body: data)
  }

  /// The groups and the parameter table (controls are built from it, one per table entry).
  var groupsPayload: [String: Any] {
    let groups: [[String: Any]] = session.groups.map { g in
      var entry: [String: Any] = [
        "id": g.id, "name": g.input.name, "file": (g.file as NSString).lastPathComponent,
        "kind": { if case .mu = g.input { return "mu" } else { return "chi" } }(),
        "stored": g.input.storedParameters,
      ]
      if let label = g.label { entry["label"] = label }
      return entry
    }
    let parameters: [[String: Any]] = ProcessingParameter.all.map { p in
      var entry: [String: Any] = [
        "name": p.name, "flag": p.flag, "stage": p.stage.rawValue, "unit": p.unit, "help": p.help,
        "default": p.defaultText, "allowed": p.rangeText,
      ]
      switch p.kind {
      case .real: entry["kind"] = "real"
      case .integer: entry["kind"] = "integer"
      case .window:
        entry["kind"] = "choice"
        entry["words"] = FTWindowKind.allCases.map(\.rawValue)
      case .choice(let words):
        entry["kind"] = "choice"
        entry["words"] = words
      }
      if let r = p.range { entry["range"] = [r.lowerBound, r.upperBound] }
      return entry
    }
    let preset = HingeParameters.preset("tacl6")
    let w = WaveletParameters()
    return [
      "groups": groups, "parameters": parameters, "failures": session.failures,
      "wavelet": ["eta": w.eta, "sigma": w.sigma],
      "shell1": preset.map { [$0.shell1.kmin, $0.shell1.kmax, $0.shell1.rmin, $0.shell1.rmax] } ?? [],
      "hinge": preset.map { [$0.hinge.kmin, $0.hinge.kmax, $0.hinge.rmin, $0.hinge.rmax] } ?? [],
    ]
  }

  /// Every curve the page draws, per group, plus the parameters used and the key numbers.
  func processPayload(_ request: ViewerRequest) -> [String: Any] {
    let started = Date()
    let results: [[String: Any]] = session.process(request).map { group, result in
      var entry: [String: Any] = ["id": group.id, "name": group.input.name]
      switch result {
      case .failure(let f): entry["error"] = f.message
      case .success(let s):
        let record = s.record
        var used: [String: String] = [:]
        var sources: [String: String] = [:]
        for (name, p) in s.parameterRecords {
          sources[name] = p.source.rawValue
          guard let parameter = ProcessingParameter.named(name) else { continue }
          switch s.settings[parameter] {
          case .real(let v?): used[name] = String(v)
          case .integer(let v?): used[name] = String(v)
          case .window(let w): used[name] = w.rawValue
          case .choice(let c?): used[name] = c
          default: used[name] = ""
          }
        }
        entry["used"] = used
        entry["sources"] = sources
        entry["warnings"] = s.warnings
        var numbers: [String: Any] = [:]
        if let e0 = record.e0 { numbers["e0"] = finite(e0) }
        if let step = record.edgeStep { numbers["edge_step"] = finite(step) }
        if let shell = record.firstShell {
          numbers["first_shell_r"] = finite(shell.r)
          numbers["first_shell_mag"] = finite(shell.mag)
        }
        if let knots = s.chik.knots { numbers["nknots"] = knots }
        entry["numbers"] = numbers
        if let n = s.normalized {
          entry["mu"] = [
            "energy": array(n.spectrum.energy), "mu": array(n.spectrum.mu), "pre_edge": array(n.preEdge),
            "post_edge": array(n.postEdge), "bkg": array(s.chik.background ?? []), "norm": array(n.norm),
            "flat": array(n.flat), "e0": finite(n.e0), "edge_step": finite(n.edgeStep),
          ]
        }
        let f = s.chir.parameters
        entry["chik"] = [
          "k": array(s.chir.k), "kwchi": array(s.chir.kwchi), "window": array(s.chir.window), "kweight": f.kweight,
          "kmin": f.kmin, "kmax": finite(f.kmax ?? .nan),
        ]
        let rmax = f.rmaxOut
        let count = s.chir.r.firstIndex { $0 > rmax } ?? s.chir.r.count
        entry["chir"] = [
          "r": array(Array(s.chir.r.prefix(count))), "mag": array(Array(s.chir.mag.prefix(count))),
          "re": array(Array(s.chir.re.prefix(count))), "rbkg": s.settings.autobk.rbkg,
        ]
        if let map = s.wavelet { entry["wavelet"] = waveletPayload(map) }
      }
      return entry
    }
    var payload: [String: Any] = ["results": results, "milliseconds": Date().timeIntervalSince(started) * 1000]
    payload["commands"] = session.commandLines(request, outdir: (session.outdir as NSString).appendingPathComponent("process"))
    if let h = request.hinge {
      payload["shell1"] = [h.shell1.kmin, h.shell1.kmax, h.shell1.rmin, h.shell1.rmax]
      payload["hinge"] = [h.hinge.kmin, h.hinge.kmax, h.hinge.rmin, h.hinge.rmax]
    }
    return payload
  }

  /// |W| on a grid of at most 120 k x 100 R (every n-th point), row-major by R.
  func waveletPayload(_ map: WaveletMap) -> [String: Any] {
    let kStride = max(1, (map.columnCount + 119) / 120)
    let rStride = max(1, (map.rowCount + 99) / 100)
    let cols = Array(stride(from: 0, to: map.columnCount, by: kStride))
    let rows = Array(stride(from: 0, to: map.rowCount, by: rStride))
    var mag: [Any] = []
    mag.reserveCapacity(cols.count * rows.count)
    for row in rows {
      for col in cols {
        let v = map.value(row: row, col: col)
        mag.append(finite((v.re * v.re + v.im * v.im).squareRoot()))
      }
    }
    return ["k": array(cols.map { map.k[$0] }), "r": array(rows.map { map.r[$0] }), "mag": mag]
  }
}

/// A number for JSON, or null when it is NaN or infinite.
private func finite(_ x: Double) -> Any { x.isFinite ? x : NSNull() }
private func array(_ xs: [Double]) -> [Any] { xs.map(finite) }

/// String equality whose time does not depend on where the strings first differ.
func constantTimeEqual(_ a: String, _ b: String) -> Bool {
  let x = Array(a.utf8), y = Array(b.utf8)
  guard x.count == y.count else { return false }
  var diff: UInt8 = 0
  for i in x.indices { diff |= x[i] ^ y[i] }
  return diff == 0
}
