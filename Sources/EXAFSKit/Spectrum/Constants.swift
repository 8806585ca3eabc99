// Physical constants of the k <-> E conversion, with Larch's values.

/// hbar^2 / (2 m_e e) x 1e20: E - E0 = KTOE k^2 with E in eV and k in 1/Å. The value Larch
/// 2026.3.1 computes from scipy's CODATA constants (`larch.xafs.xafsutils.KTOE`).
package let KTOE = 3.8099821109685847
/// 1 / KTOE: k^2 = ETOK (E - E0).
package let ETOK = 1.0 / KTOE

/// Constants of the photoelectron's k <-> E relation, E - E0 = ktoe k^2.
public enum XAFSConstants {
  /// hbar^2 / (2 m_e e) x 1e20 = 3.8099821109685847 eV Å² (Larch 2026.3.1's value).
  public static let ktoe = KTOE
  /// 1 / ktoe, 1/(eV Å²).
  public static let etok = ETOK
}
