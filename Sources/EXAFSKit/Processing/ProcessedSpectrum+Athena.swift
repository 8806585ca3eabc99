// Export of a processed spectrum as an Athena project group, with our parameters under Athena's names.
import Foundation

extension ProcessedSpectrum {
  /// The spectrum as an Athena group: mu(E) (or chi(k) for chi input) with `@args` holding every
  /// parameter used, under Athena's names (bkg_e0, bkg_rbkg, bkg_kw, bkg_pre1/2, bkg_nor1/2,
  /// bkg_nnorm, bkg_spl1/2, bkg_dk, bkg_clamp1/2, fft_kmin, fft_kmax, fft_dk, fft_kwindow, fft_kw),
  /// so that Athena and Larch reopen it with the same settings.
  public var athenaGroup: AthenaGroup {
    var args: [String: String] = [:]
    func put(_ name: String, _ value: Double?) {
      if let value, value.isFinite { args[name] = String(format: "%.10g", value) }
    }
    let f = settings.fourier
    put("fft_kmin", f.kmin)
    put("fft_kmax", f.kmax)
    put("fft_dk", f.dk)
    put("fft_kw", f.kweight)
    args["fft_kwindow"] = AthenaParameters.athenaWindowName(f.window)
    if let n = normalized {
      let p = settings.normalization
      let a = settings.autobk
      put("bkg_e0", n.e0)
      put("bkg_step", n.edgeStep)
      put("bkg_pre1", p.pre1)
      put("bkg_pre2", p.pre2)
      put("bkg_nor1", p.norm1)
      put("bkg_nor2", p.norm2)
      // Demeter's encodings (AthenaParameters): nnorm as a number of terms; the energies are
      // written already shifted, so bkg_eshift is 0; a fixed step is flagged.
      if let nnorm = p.nnorm { args["bkg_nnorm"] = AthenaParameters.athenaText(canonical: "nnorm", value: Double(nnorm)) }
      args["bkg_eshift"] = "0"
      args["bkg_fixstep"] = p.step == nil ? "0" : "1"
      args["bkg_fitted_step"] = String(format: "%.10g", n.edgeStep)
      put("bkg_rbkg", a.rbkg)
      put("bkg_kw", a.kweight)
      put("bkg_spl1", a.kmin)
      put("bkg_spl2", a.kmax)
      put("bkg_dk", a.dk)
      put("bkg_clamp1", a.clampLo)
      put("bkg_clamp2", a.clampHi)
      args["bkg_kwindow"] = AthenaParameters.athenaWindowName(a.window)
      put("bkg_spl1e", a.kmin * a.kmin * KTOE)
      if let kmax = a.kmax { put("bkg_spl2e", kmax * kmax * KTOE) }
      var spectrum = n.spectrum
      spectrum.name = name
      var group = AthenaGroup(spectrum: spectrum, datatype: "xmu")
      group.args.merge(args) { _, new in new }
      return group
    }
    var group = AthenaGroup(
      chi: ChiSpectrum(name: name, k: chik.k, chi: chik.chi, metadata: metadata, source: source))
    group.args.merge(args) { _, new in new }
    return group
  }
}
