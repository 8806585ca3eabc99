// CairoCanvas: a thin drawing wrapper over one cairo context (lines, rectangles, text), used by PlotRenderer.
import EXAFSKit
import CCairo
import Foundation

/// A rectangle in device points, origin top left, y growing downwards.
struct PlotRect: Equatable {
  var x: Double
  var y: Double
  var width: Double
  var height: Double

  var maxX: Double { x + width }
  var maxY: Double { y + height }

  /// The rectangle shrunk by the given insets (never to a negative size).
  func inset(left: Double, top: Double, right: Double, bottom: Double) -> PlotRect {
    PlotRect(
      x: x + left, y: y + top, width: max(width - left - right, 1), height: max(height - top - bottom, 1))
  }

  func contains(_ px: Double, _ py: Double) -> Bool {
    px >= x && px <= maxX && py >= y && py <= maxY
  }
}

/// An affine map from an axis range (data units) to device points.
struct LinearMap {
  /// Data value at `start`.
  var lower: Double
  /// Data value at `end`.
  var upper: Double
  /// Device coordinate of `lower`.
  var start: Double
  /// Device coordinate of `upper`.
  var end: Double

  /// Device coordinate of `value`, clamped to +-1e6 points so cairo never sees huge numbers.
  func callAsFunction(_ value: Double) -> Double {
    let span = upper - lower
    let t = span != 0 ? (value - lower) / span : 0.5
    return min(max(start + t * (end - start), -1e6), 1e6)
  }
}

/// Horizontal text alignment relative to the anchor point.
enum TextAlign { case left, center, right }

/// Vertical text alignment relative to the anchor point.
enum TextBaseline {
  /// The anchor is the top of the font's ascent.
  case top
  /// The anchor is halfway between ascent and descent.
  case middle
  /// The anchor is on the baseline.
  case baseline
  /// The anchor is the bottom of the font's descent.
  case bottom
}

/// Drawing helpers on a cairo context. Not thread-safe: one canvas per render call.
final class CairoCanvas {
  /// The cairo context (`cairo_t *`); owned by the caller.
  let cr: OpaquePointer

  /// Font family of all text; DejaVu Sans covers Å, χ, μ, superscripts and the minus sign.
  static let fontFamily = "DejaVu Sans"

  init(_ cr: OpaquePointer) {
    self.cr = cr
    if let options = cairo_font_options_create() {
      // Unhinted metrics: text widths do not depend on the output format or scale.
      cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
      cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE)
      cairo_set_font_options(cr, options)
      cairo_font_options_destroy(options)
    }
    setFont(size: 12)
  }

  func setColor(_ c: PlotColor) {
    func clamp(_ v: Double) -> Double { v.isFinite ? min(max(v, 0), 1) : 0 }
    cairo_set_source_rgba(cr, clamp(c.red), clamp(c.green), clamp(c.blue), clamp(c.alpha))
  }

  /// Sets the stroke width (points) and dash pattern (dash lengths scale with the width).
  func setLine(width: Double, dash: LineDash = .solid) {
    let w = width.isFinite && width > 0 ? width : 1
    cairo_set_line_width(cr, w)
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND)
    let pattern: [Double]
    switch dash {
    case .solid: pattern = []
    case .dashed: pattern = [4 * w + 2, 2.5 * w + 1]
    case .dotted: pattern = [w, 2 * w + 1]
    case .dashDot: pattern = [4 * w + 2, 2 * w + 1, w, 2 * w + 1]
    }
    cairo_set_line_cap(cr, dash == .dotted ? CAIRO_LINE_CAP_ROUND : CAIRO_LINE_CAP_BUTT)
    pattern.withUnsafeBufferPointer { cairo_set_dash(cr, $0.baseAddress, Int32($0.count), 0) }
  }

  func setFont(size: Double, bold: Bool = false) {
    cairo_select_font_face(
      cr, Self.fontFamily, CAIRO_FONT_SLANT_NORMAL, bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
    cairo_set_font_size(cr, size)
  }

  /// Ascent and descent of the current font, points.
  var fontMetrics: (ascent: Double, descent: Double) {
    var extents = cairo_font_extents_t()
    cairo_font_extents(cr, &extents)
    return (extents.ascent, extents.descent)
  }

  /// Height of one line of the current font (ascent + descent), points.
  var lineHeight: Double {
    let m = fontMetrics
    return m.ascent + m.descent
  }

  /// Advance width of `text` in the current font, points.
  func textWidth(_ text: String) -> Double {
    var extents = cairo_text_extents_t()
    cairo_text_extents(cr, text, &extents)
    return extents.x_advance
  }

  /// Draws `text` with its anchor at (x, y); `rotated` turns it 90 degrees counter-clockwise
  /// (for y-axis labels), alignments then apply along the rotated text.
  func text(
    _ text: String, x: Double, y: Double, align: TextAlign = .left, baseline: TextBaseline = .baseline,
    rotated: Bool = false
  ) {
    guard !text.isEmpty else { return }
    let width = textWidth(text)
    let m = fontMetrics
    let dx: Double
    switch align {
    case .left: dx = 0
    case .center: dx = -width / 2
    case .right: dx = -width
    }
    let dy: Double
    switch baseline {
    case .top: dy = m.ascent
    case .middle: dy = (m.ascent - m.descent) / 2
    case .baseline: dy = 0
    case .bottom: dy = -m.descent
    }
    cairo_save(cr)
    cairo_translate(cr, x, y)
    if rotated { cairo_rotate(cr, -Double.pi / 2) }
    cairo_move_to(cr, dx, dy)
    cairo_show_text(cr, text)
    cairo_restore(cr)
  }

  func line(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) {
    cairo_move_to(cr, x0, y0)
    cairo_line_to(cr, x1, y1)
    cairo_stroke(cr)
  }

  func fill(_ r: PlotRect) {
    cairo_rectangle(cr, r.x, r.y, r.width, r.height)
    cairo_fill(cr)
  }

  func stroke(_ r: PlotRect) {
    cairo_rectangle(cr, r.x, r.y, r.width, r.height)
    cairo_stroke(cr)
  }

  /// Runs `body` with drawing clipped to `r`.
  func clipped(to r: PlotRect, _ body: () -> Void) {
    cairo_save(cr)
    cairo_rectangle(cr, r.x, r.y, r.width, r.height)
    cairo_clip(cr)
    body()
    cairo_restore(cr)
  }

  /// Strokes the polyline through the finite points (x[i], y[i]); non-finite points break it.
  func polyline(_ xs: [Double], _ ys: [Double], xMap: LinearMap, yMap: LinearMap) {
    var penDown = false
    for i in 0..<min(xs.count, ys.count) {
      let (x, y) = (xs[i], ys[i])
      guard x.isFinite, y.isFinite else {
        penDown = false
        continue
      }
      if penDown {
        cairo_line_to(cr, xMap(x), yMap(y))
      } else {
        cairo_move_to(cr, xMap(x), yMap(y))
        penDown = true
      }
    }
    cairo_stroke(cr)
  }
}
