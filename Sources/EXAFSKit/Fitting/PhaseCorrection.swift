// Phase-corrected Fourier transform: k^w chi(k) multiplied by exp(-i (2 delta_c + phase f_eff)) of a FEFF path.
import Foundation

/// The forward transform of chi(k) with the total scattering phase of `path` removed, as Athena's
/// phase-corrected plots do: with phi(k) = 2 delta_c(k) + phase(f_eff(k)) from the FEFF table (not-a-knot
/// spline, as the path sum uses), chi(R) = (kstep/sqrt(pi)) FFT(k^w chi(k) W(k) exp(-i phi(k))).
///
/// For chi(k) = A(k) sin(2kR + phi(k)) the term exp(i(2kR + phi)) becomes exp(2ikR), so the peak of
/// |chi(R)| sits at the path's real distance R instead of being shifted by the phase slope
/// (about -0.4 Å for Ta-Cl). The other term is moved away from R by the same phase and lands
/// elsewhere; the transform is complex-input, so |chi(R)| is no longer symmetric in R.
/// - Parameters: k (1/Å, increasing, any grid; interpolated linearly onto i kstep as
///   `FourierTransform.forward` does), chi(k) without k-weight, the path whose phase is removed,
///   and the transform parameters (kmin, kmax, dk, window, kweight, rmaxOut).
public func phaseCorrected(k: [Double], chi: [Double], path: FeffPath, parameters: FTParameters) -> ChiR {
  let plain = FourierTransform.forward(k: k, chi: chi, parameters: parameters)
  let p = plain.parameters
  var input = [Double](repeating: 0, count: 2 * p.nfft)
  for i in 0..<min(plain.kwchi.count, p.nfft) {
    let y = plain.kwchi[i] * plain.window[i]
    let phi = path.phase(plain.k[i])
    input[2 * i] = y * cos(phi)
    input[2 * i + 1] = -y * sin(phi)
  }
  var output = [Double]()
  FFTPlan.shared(count: p.nfft, direction: .forward).execute(&input, into: &output)
  let scale = p.kstep / Double.pi.squareRoot()
  let n = plain.r.count
  var re = [Double](repeating: 0, count: n), im = re
  for m in 0..<n {
    re[m] = scale * output[2 * m]
    im[m] = scale * output[2 * m + 1]
  }
  var out = plain
  out.re = re
  out.im = im
  out.phaseCorrection = "\(path.file.label) (\((path.file.source as NSString).lastPathComponent))"
  return out
}

extension ProcessedSpectrum {
  /// Replaces chi(R) by the transform with the phase of `path` removed, and notes it.
  public mutating func phaseCorrect(with path: FeffPath) {
    chir = phaseCorrected(k: chik.k, chi: chik.chi, path: path, parameters: chir.parameters)
    notes.append("chi(R) is phase-corrected with \(path.file.source) (\(path.file.label))")
  }
}

/// Convenience: the phase of the path in a feffNNNN.dat file (see `phaseCorrected(k:chi:path:parameters:)`).
public func phaseCorrected(k: [Double], chi: [Double], feffFile: String, parameters: FTParameters) throws -> ChiR {
  phaseCorrected(k: k, chi: chi, path: try FeffPath(path: feffFile), parameters: parameters)
}
