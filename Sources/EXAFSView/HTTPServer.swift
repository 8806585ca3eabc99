// A small HTTP/1.1 server on the loopback interface only: one request per connection, bounded sizes and times.
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// One HTTP request as the server read it.
public struct HTTPRequest: Sendable {
  /// `GET`, `POST` ...
  public var method: String
  /// The path without the query (`/api/process`), percent-decoded.
  public var path: String
  /// Query parameters (`?token=...`), percent-decoded.
  public var query: [String: String]
  /// Header fields, names lower-cased.
  public var headers: [String: String]
  /// The body (at most `HTTPServer.maxBody` bytes).
  public var body: Data
}

/// One HTTP response.
public struct HTTPResponse: Sendable {
  /// Status code (200, 403 ...).
  public var status: Int
  /// Value of the Content-Type header.
  public var contentType: String
  /// The body, sent with its Content-Length.
  public var body: Data
  /// Extra header fields.
  public var headers: [(String, String)]

  public init(status: Int, contentType: String = "text/plain; charset=utf-8", body: Data, headers: [(String, String)] = []) {
    self.status = status
    self.contentType = contentType
    self.body = body
    self.headers = headers
  }

  /// A plain-text response.
  public static func text(_ status: Int, _ text: String) -> HTTPResponse {
    HTTPResponse(status: status, body: Data((text + "\n").utf8))
  }

  static func reason(_ status: Int) -> String {
    switch status {
    case 200: return "OK"
    case 400: return "Bad Request"
    case 403: return "Forbidden"
    case 404: return "Not Found"
    case 405: return "Method Not Allowed"
    case 413: return "Payload Too Large"
    case 500: return "Internal Server Error"
    default: return "Status"
    }
  }
}

/// Errors of the server itself (sockets), with the system's message.
public struct HTTPServerError: Error, CustomStringConvertible, Sendable {
  public var description: String
}

/// An HTTP/1.1 server bound to 127.0.0.1. Each connection carries one request (`Connection: close`)
/// and is served on its own thread; requests larger than `maxHeader`/`maxBody`, or slower than
/// `timeout` seconds, are dropped. The handler must be thread-safe.
public final class HTTPServer: Sendable {
  public static let maxHeader = 16 * 1024
  public static let maxBody = 1 << 20
  public static let timeout = 10

  /// The port actually bound (the one asked for, or the system's choice for 0).
  public let port: Int
  private let listener: Int32
  private let handler: @Sendable (HTTPRequest) -> HTTPResponse

  /// Binds 127.0.0.1:`port` (0: any free port) and listens.
  /// - Throws: `HTTPServerError` when the port cannot be bound.
  public init(port: Int, handler: @escaping @Sendable (HTTPRequest) -> HTTPResponse) throws {
    #if canImport(Glibc)
      let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    #else
      let fd = socket(AF_INET, SOCK_STREAM, 0)
    #endif
    guard fd >= 0 else { throw HTTPServerError(description: "cannot create a socket: \(String(cString: strerror(errno)))") }
    var yes: Int32 = 1
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")  // loopback only, never INADDR_ANY
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard bound == 0, listen(fd, 64) == 0 else {
      let message = String(cString: strerror(errno))
      close(fd)
      throw HTTPServerError(description: "cannot listen on 127.0.0.1:\(port): \(message)")
    }
    var actual = sockaddr_in()
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &actual) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    self.port = Int(UInt16(bigEndian: actual.sin_port))
    listener = fd
    self.handler = handler
  }

  /// Accepts connections until the process ends (call from the main thread or a thread of its own).
  /// SIGPIPE is ignored, so that a browser closing a connection early cannot end the process.
  public func serve() -> Never {
    signal(SIGPIPE, SIG_IGN)
    while true {
      let client = accept(listener, nil, nil)
      if client < 0 {
        usleep(10_000)  // out of descriptors or interrupted: do not spin
        continue
      }
      var tv = timeval(tv_sec: Self.timeout, tv_usec: 0)
      setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
      setsockopt(client, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
      let handler = self.handler
      DispatchQueue.global().async {
        Self.serve(client: client, handler: handler)
        close(client)
      }
    }
  }

  private static func serve(client: Int32, handler: @Sendable (HTTPRequest) -> HTTPResponse) {
    let response: HTTPResponse
    switch readRequest(client) {
    case .success(let request): response = handler(request)
    case .failure(let failure):
      guard let status = failure.status else { return }  // connection closed or timed out: nothing to say
      response = .text(status, failure.message)
    }
    var head = "HTTP/1.1 \(response.status) \(HTTPResponse.reason(response.status))\r\n"
    head += "Content-Type: \(response.contentType)\r\nContent-Length: \(response.body.count)\r\n"
    head += "Connection: close\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n"
    head += "Referrer-Policy: no-referrer\r\nX-Frame-Options: DENY\r\n"
    for (name, value) in response.headers { head += "\(name): \(value)\r\n" }
    head += "\r\n"
    var bytes = Data(head.utf8)
    bytes.append(response.body)
    bytes.withUnsafeBytes { raw in
      var sent = 0
      while sent < raw.count {
        let n = send(client, raw.baseAddress! + sent, raw.count - sent, 0)
        if n <= 0 { return }
        sent += n
      }
    }
  }

  struct ReadFailure: Error {
    /// Status to answer with; nil: close silently.
    var status: Int?
    var message: String
  }

  private static func readRequest(_ fd: Int32) -> Result<HTTPRequest, ReadFailure> {
    var buffer = Data()
    var chunk = [UInt8](repeating: 0, count: 8192)
    let separator = Data("\r\n\r\n".utf8)
    var headerEnd: Range<Data.Index>?
    while headerEnd == nil {
      let n = recv(fd, &chunk, chunk.count, 0)
      if n <= 0 { return .failure(ReadFailure(status: nil, message: "")) }
      buffer.append(contentsOf: chunk[0..<n])
      headerEnd = buffer.range(of: separator)
      if headerEnd == nil, buffer.count > maxHeader { return .failure(ReadFailure(status: 413, message: "header too large")) }
    }
    guard let end = headerEnd, end.lowerBound <= maxHeader else {
      return .failure(ReadFailure(status: 413, message: "header too large"))
    }
    guard let head = String(data: buffer[buffer.startIndex..<end.lowerBound], encoding: .utf8)
    else { return .failure(ReadFailure(status: 400, message: "malformed request")) }
    var lines = head.components(separatedBy: "\r\n")
    let requestLine = lines.removeFirst().split(separator: " ", omittingEmptySubsequences: true)
    guard requestLine.count == 3, requestLine[2].hasPrefix("HTTP/1.") else {
      return .failure(ReadFailure(status: 400, message: "malformed request line"))
    }
    var headers: [String: String] = [:]
    for line in lines {
      guard let colon = line.firstIndex(of: ":") else { return .failure(ReadFailure(status: 400, message: "malformed header")) }
      headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    if headers["transfer-encoding"] != nil { return .failure(ReadFailure(status: 400, message: "chunked bodies are not accepted")) }
    let length = Int(headers["content-length"] ?? "0") ?? -1
    guard length >= 0 else { return .failure(ReadFailure(status: 400, message: "bad Content-Length")) }
    guard length <= maxBody else { return .failure(ReadFailure(status: 413, message: "body too large")) }
    var body = Data(buffer[end.upperBound...])
    while body.count < length {
      let n = recv(fd, &chunk, min(chunk.count, length - body.count), 0)
      if n <= 0 { return .failure(ReadFailure(status: nil, message: "")) }
      body.append(contentsOf: chunk[0..<n])
    }
    body = body.prefix(length)
    let target = String(requestLine[1])
    let pathPart = String(target.prefix { $0 != "?" })
    var query: [String: String] = [:]
    if let q = target.firstIndex(of: "?") {
      for pair in target[target.index(after: q)...].split(separator: "&") {
        let kv = pair.split(separator: "=", maxSplits: 1).map { String($0).replacingOccurrences(of: "+", with: " ") }
        guard let key = kv.first?.removingPercentEncoding else { continue }
        query[key] = kv.count > 1 ? (kv[1].removingPercentEncoding ?? "") : ""
      }
    }
    guard let path = pathPart.removingPercentEncoding else { return .failure(ReadFailure(status: 400, message: "bad path")) }
    return .success(HTTPRequest(method: String(requestLine[0]), path: path, query: query, headers: headers, body: body))
  }
}

