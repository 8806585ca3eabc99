// Checks on a normalized spectrum that catch quiet mistakes: an inverted mu(E), a post-edge far from 1.

/// Warnings about `normalized` that the user should see (empty when it looks like an absorption edge).
///
/// - A negative edge step: mu(E) falls at E0, as when it was computed as ln(it/i0) instead of
///   ln(i0/it) (or from the reference channel the wrong way round).
/// - A normalized post-edge far below 1: the mean of the normalized mu over the post-edge fit range
///   below 0.5 (for a negative step it is near -1 only when the step is fitted on the right data).
public func normalizationWarnings(_ normalized: NormalizedSpectrum) -> [String] {
  var warnings: [String] = []
  if normalized.edgeStep < 0 {
    warnings.append(
      "the edge step is negative (\(fmt(normalized.edgeStep))): mu(E) falls at E0 = \(fmt(normalized.e0)) eV; "
        + "is it inverted (ln(it/i0) instead of ln(i0/it))?")
  }
  let e = normalized.spectrum.energy
  let lo = normalized.e0 + (normalized.parameters.norm1 ?? 50)
  let hi = normalized.e0 + (normalized.parameters.norm2 ?? .infinity)
  let post = zip(e, normalized.norm).filter { $0.0 >= lo && $0.0 <= hi }.map(\.1)
  if !post.isEmpty {
    let mean = post.reduce(0, +) / Double(post.count)
    if mean < 0.5 {
      warnings.append(
        "the normalized post-edge averages \(fmt(mean)), far below 1 "
          + "(mu(E) inverted, or the pre-/post-edge ranges miss the edge)")
    }
  }
  return warnings
}

/// A warning when two spectra's edges are too far apart to be the same absorption edge
/// (`limit` eV, default 50: chemical shifts are a few eV, neighbouring edges hundreds), e.g. a Cu
/// and a Ta spectrum compared or fitted together; nil when they are close.
public func edgeMismatchWarning(
  reference: String, referenceE0: Double, other: String, otherE0: Double, limit: Double = 50
) -> String? {
  guard referenceE0.isFinite, otherE0.isFinite, abs(otherE0 - referenceE0) > limit else { return nil }
  return "\(other) has E0 = \(fmt(otherE0)) eV, \(fmt(abs(otherE0 - referenceE0))) eV from \(reference) "
    + "(E0 = \(fmt(referenceE0)) eV): not the same absorption edge?"
}
