// The one place where mixture analysis calls the processing pipeline (normalization, AUTOBK).

extension MixtureSpectrum {
  /// The spectrum of `input` in `space`, processed with `settings`:
  /// norm and deriv from `normalize` (no background fit, so XANES-only scans work), chik from the
  /// whole pipeline (`process`): AUTOBK's chi(k) on its uniform k grid, weighted by k^kweight.
  ///
  /// - Returns: the spectrum and the checks on its normalization (`normalizationWarnings`), each
  ///   prefixed with the spectrum's name.
  /// - Throws: `EXAFSError` from the pipeline, or `.unusableData` for chi(k) input outside chik space.
  public static func make(
    from input: SpectrumInput, settings: ProcessingSettings, space: MixtureSpace, kweight: Int
  ) throws -> (spectrum: MixtureSpectrum, warnings: [String]) {
    switch (input, space) {
    case (.mu(let spectrum), .norm), (.mu(let spectrum), .deriv):
      let normalized = try normalize(spectrum, parameters: settings.normalization)
      return (MixtureSpectrum(normalized: normalized, space: space), named(normalizationWarnings(normalized), spectrum.name))
    case (.mu, .chik):
      let processed = try process(input, settings: settings)
      let (k, chi) = processed.uniformChi()
      let e0 = processed.normalized?.e0 ?? 0
      let warnings = named(processed.warnings, processed.name)
      return (
        MixtureSpectrum(name: processed.name, source: processed.source, e0: e0, k: k, chi: chi, kweight: kweight),
        warnings
      )
    case (.chi(let c), .chik):
      return (MixtureSpectrum(name: c.name, source: c.source, e0: 0, k: c.k, chi: c.chi, kweight: kweight), [])
    case (.chi(let c), _):
      throw EXAFSError.unusableData(
        SourceLocation(file: c.source),
        "\(c.name) holds chi(k), not mu(E); it can only be compared in chik space")
    }
  }
}

/// `warnings`, each prefixed with "NAME: ".
private func named(_ warnings: [String], _ name: String) -> [String] { warnings.map { "\(name): \($0)" } }
