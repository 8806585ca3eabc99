// Renders the index.html of `exafs compare` in headless Chromium (Debian's `chromium` package):
// the screenshot must show a real page, the DOM must hold the comparison table and images whose
// files exist. Skipped when no Chromium is installed (`make test` installs it).
import CCairo
import Foundation
import Testing

/// The Chromium executable: $CHROMIUM, or the first of the usual names on PATH.
let chromiumBinary: String? = {
  let fm = FileManager.default
  if let path = ProcessInfo.processInfo.environment["CHROMIUM"], fm.isExecutableFile(atPath: path) { return path }
  let dirs = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
  for name in ["chromium", "chromium-browser", "google-chrome-stable", "google-chrome"] {
    for dir in dirs where fm.isExecutableFile(atPath: "\(dir)/\(name)") { return "\(dir)/\(name)" }
  }
  return nil
}()

/// Pixel statistics of a PNG decoded with cairo.
struct PixelStatistics {
  var width = 0
  var height = 0
  /// Distinct RGB colours.
  var colours = 0
  /// Fraction of pixels that are not white (min channel < 250; the page background counts).
  var nonWhite = 0.0
  /// Pixels with a strongly saturated colour (max - min channel > 100): plot lines, colour maps.
  var saturated = 0
  /// Colour at (x, y) as 0xRRGGBB.
  var pixel: (Int, Int) -> UInt32 = { _, _ in 0 }
}

/// Decodes `path` with cairo_image_surface_create_from_png; nil when it is not a readable PNG.
func pixelStatistics(_ path: String) -> PixelStatistics? {
  guard let surface = cairo_image_surface_create_from_png(path) else { return nil }
  defer { cairo_surface_destroy(surface) }
  guard cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS else { return nil }
  cairo_surface_flush(surface)
  let width = Int(cairo_image_surface_get_width(surface))
  let height = Int(cairo_image_surface_get_height(surface))
  let stride = Int(cairo_image_surface_get_stride(surface))
  guard width > 0, height > 0, let data = cairo_image_surface_get_data(surface) else { return nil }
  // ARGB32/RGB24: one native-endian UInt32 per pixel, 0xAARRGGBB.
  var pixels = [UInt32](repeating: 0, count: width * height)
  for y in 0..<height {
    let row = UnsafeRawPointer(data + y * stride)
    for x in 0..<width { pixels[y * width + x] = row.load(fromByteOffset: 4 * x, as: UInt32.self) & 0xFF_FFFF }
  }
  var stats = PixelStatistics(width: width, height: height)
  stats.colours = Set(pixels).count
  var nonWhite = 0
  for p in pixels {
    let r = Int(p >> 16 & 0xFF), g = Int(p >> 8 & 0xFF), b = Int(p & 0xFF)
    if min(r, g, b) < 250 { nonWhite += 1 }
    if max(r, g, b) - min(r, g, b) > 100 { stats.saturated += 1 }
  }
  stats.nonWhite = Double(nonWhite) / Double(pixels.count)
  stats.pixel = { x, y in pixels[y * width + x] }
  return stats
}

/// Runs `executable ARGS`, killing it after `timeout` seconds; returns status and standard output.
func run(_ executable: String, _ args: [String], timeout: TimeInterval = 120) throws -> (status: Int32, stdout: String) {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: executable)
  process.arguments = args
  let out = Pipe()
  process.standardOutput = out
  process.standardError = FileHandle.nullDevice
  let done = DispatchSemaphore(value: 0)
  process.terminationHandler = { _ in done.signal() }
  try process.run()
  let data = out.fileHandleForReading.readDataToEndOfFile()
  if done.wait(timeout: .now() + timeout) == .timedOut {
    process.terminate()
    done.wait()
  }
  return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

struct ReportBrowserTests {
  /// Arguments for a headless run that touches no user profile.
  func chromiumArguments(profile: URL) -> [String] {
    ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--user-data-dir=\(profile.path)"]
  }

  @Test(.enabled(if: chromiumBinary != nil, "needs chromium (apt-get install chromium; make test installs it)"))
  func compareReportRendersInHeadlessChromium() throws {
    let chromium = try #require(chromiumBinary)
    let out = try temporaryFolder()
    let ref = "tacl6_bend00_sim_transmission", other = "tacl6_bend20_sim_transmission"
    let exafs = try runExafs([
      "compare", "SampleSpectra/simulated/\(ref).dat", "SampleSpectra/simulated/\(other).dat",
      "--hinge", "tacl6", "--realizations", "5", "-o", out.path,
    ])
    #expect(exafs.status == 0, "\(exafs.stderr)")
    let page = out.appendingPathComponent("index.html")
    #expect(exafs.stdout.contains("report: \(page.path)"))
    let profile = try temporaryFolder()
    let shot = out.appendingPathComponent("screenshot.png")

    let screenshot = try run(
      chromium, chromiumArguments(profile: profile) + ["--screenshot=\(shot.path)", "--window-size=1280,2000", page.absoluteString])
    #expect(screenshot.status == 0)
    let stats = try #require(pixelStatistics(shot.path), "no readable screenshot at \(shot.path)")
    #expect(stats.width == 1280 && stats.height == 2000)
    // A blank page has one colour, the page without its figures about 3000 (anti-aliased text);
    // with the figures about 19000.
    #expect(stats.colours > 8000, "only \(stats.colours) colours: images missing?")
    #expect(stats.nonWhite > 0.2, "only \(stats.nonWhite) of the pixels are not white")
    // The figures loaded: viridis maps and coloured plot lines give about 26000 saturated pixels,
    // the page's own muted colours about 400.
    #expect(stats.saturated > 5000, "only \(stats.saturated) saturated pixels: images missing?")
    // The style sheet applied: the header band is dark blue (#22364d).
    #expect(stats.pixel(8, 8) == 0x22364D, "header pixel \(String(stats.pixel(8, 8), radix: 16))")

    let dom = try run(chromium, chromiumArguments(profile: profile) + ["--dump-dom", page.absoluteString])
    #expect(dom.status == 0)
    let html = dom.stdout
    #expect(html.contains("<table"))
    #expect(html.contains("Hinge ratio"))
    #expect(html.contains(">\(ref)</a>") && html.contains(">\(other)</a>"))
    #expect(html.contains("badge bad\">yes</span>"), "the 20° bend should be a significant change")
    let sources = html.components(separatedBy: "<img ").dropFirst().compactMap { tag -> String? in
      guard let start = tag.range(of: "src=\"") else { return nil }
      return tag[start.upperBound...].split(separator: "\"", maxSplits: 1).first.map(String.init)?.removingPercentEncoding
    }
    // Three overlays, one wavelet comparison, five figures per spectrum (mu, chik, kweights, chir, wavelet).
    #expect(sources.count == 14, "\(sources)")
    #expect(sources.contains("wavelet-\(other)-vs-\(ref).png"))
    for src in sources {
      #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(src).path), "\(src) missing")
    }
    try? FileManager.default.removeItem(at: profile)
  }
}
