// The back transform of a processed spectrum: chi(q) (Larch's xftr) with the settings' R window, written as NAME.chiq.
import Foundation

extension ProcessedSpectrum {
  /// chi(q): `FourierTransform.backward` of this spectrum's chi(R) with `settings.backTransform`
  /// (R window rmin ... rmax, taper dr, window rwindow), on the FT's nfft.
  ///
  /// chi(R) is the written one (0 ... rmax_out), as Larch's `xftr(group.r, group.chir)` uses it;
  /// q runs from 0 in steps of the FT's kstep up to `qmaxOut`.
  public var chiq: ChiQ {
    FourierTransform.backward(chiR: chir, parameters: settings.backTransform, nfft: chir.parameters.nfft)
  }

  /// NAME.chiq: q (1/Å), Re, Im and |chi(q)|, and the forward transform's k window on the q grid
  /// (for plotting chi(q) with its window, as Athena does).
  public func chiqFile() -> OutputFile {
    let q = chiq
    let b = settings.backTransform
    let f = chir.parameters
    let window = ftWindow(q.q, xmin: f.kmin, xmax: f.kmax ?? 0, dx: f.dk, dx2: f.dk2 ?? f.dk, kind: f.window)
    let text = ColumnFileWriter.format(
      header: [
        "EXAFSKit \(exafsKitVersion): \(name) from \(source)",
        "back transform (Larch xftr) of chi(R): \(b.window.rawValue) R window rmin=\(b.rmin) rmax=\(b.rmax) dr=\(b.dr) Angstrom",
        "q in 1/Angstrom; chiq = k^\(f.kweight) chi(q); kwin: the forward \(f.window.rawValue) window k=\(f.kmin)..\(f.kmax ?? 0), dk=\(f.dk)",
      ],
      names: ["q", "chiq_re", "chiq_im", "chiq_mag", "kwin"], columns: [q.q, q.re, q.im, q.mag, window])
    return OutputFile(name: "\(name).chiq", contents: Data(text.utf8))
  }
}
