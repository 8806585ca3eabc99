// Physical constants of the k <-> E conversion, with Larch's values.

/// hbar^2 / (2 m_e e) x 1e20: E - E0 = KTOE k^2 with E in eV and k in 1/Å (Larch's constant).
public let KTOE = 3.8099819442818976
/// 1 / KTOE: k^2 = ETOK (E - E0).
public let ETOK = 1.0 / KTOE
