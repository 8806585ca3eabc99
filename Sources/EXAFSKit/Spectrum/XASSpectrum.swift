// XASSpectrum and ChiSpectrum: the values that readers produce and the pipeline consumes.

/// A measured absorption spectrum mu(E) as read from a file, before any processing.
public struct XASSpectrum: Sendable, Equatable {
  /// Name used for output files: the file stem, or the group label of an Athena project.
  public var name: String
  /// Photon energy, eV, strictly increasing after `XASSpectrum.sanitized`.
  public var energy: [Double]
  /// Absorption coefficient mu(E) (arbitrary units, e.g. ln(I0/It)).
  public var mu: [Double]
  /// Incident intensity I0 where known (kept for Athena export), same length as `energy`.
  public var i0: [Double]?
  /// Metadata from the file header (XDI fields as `Family.key`, Athena `@args` not used as parameters ...).
  public var metadata: [String: String]
  /// Processing parameters stored in the file under Athena's names (`bkg_e0`, `bkg_rbkg`, `fft_kmin` ...).
  public var storedParameters: [String: String]
  /// Notes about repairs made while reading (sorting, merged duplicates, keV converted ...).
  public var notes: [String]
  /// Path of the file this spectrum came from.
  public var source: String

  public init(
    name: String, energy: [Double], mu: [Double], i0: [Double]? = nil, metadata: [String: String] = [:],
    storedParameters: [String: String] = [:], notes: [String] = [], source: String
  ) {
    self.name = name
    self.energy = energy
    self.mu = mu
    self.i0 = i0
    self.metadata = metadata
    self.storedParameters = storedParameters
    self.notes = notes
    self.source = source
  }
}

/// An EXAFS chi(k) read directly from a file (Athena `.chik`, Larch output, a project group of datatype chi).
public struct ChiSpectrum: Sendable, Equatable {
  /// Name used for output files.
  public var name: String
  /// Photoelectron wavenumber, 1/Å (not necessarily uniform as read).
  public var k: [Double]
  /// chi(k), dimensionless, not k-weighted.
  public var chi: [Double]
  /// Metadata from the file header.
  public var metadata: [String: String]
  /// Parameters stored in the file under Athena's names.
  public var storedParameters: [String: String]
  /// Notes about repairs made while reading.
  public var notes: [String]
  /// Path of the file this spectrum came from.
  public var source: String

  public init(
    name: String, k: [Double], chi: [Double], metadata: [String: String] = [:],
    storedParameters: [String: String] = [:], notes: [String] = [], source: String
  ) {
    self.name = name
    self.k = k
    self.chi = chi
    self.metadata = metadata
    self.storedParameters = storedParameters
    self.notes = notes
    self.source = source
  }
}

/// One spectrum from an input file: either mu(E) to be normalized, or chi(k) ready to transform.
public enum SpectrumInput: Sendable, Equatable {
  case mu(XASSpectrum)
  case chi(ChiSpectrum)

  /// Processing parameters stored with the spectrum under Athena's names (empty for plain files).
  public var storedParameters: [String: String] {
    switch self {
    case .mu(let s): return s.storedParameters
    case .chi(let c): return c.storedParameters
    }
  }

  /// The name used for output files.
  public var name: String {
    switch self {
    case .mu(let s): return s.name
    case .chi(let c): return c.name
    }
  }
}
