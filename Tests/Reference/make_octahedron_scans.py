#!/usr/bin/env python3
"""Raw simulated Ta L3 transmission scans (energy, i0, it) of the FEFF6L TaCl6 + Na8 models of
make_octahedron_reference.py, for `exafs octahedron` through the whole processing pipeline (issue 13).

Run from the repository root (needs Debian's feff85exafs for /usr/bin/feff6l, and xraylarch 2026.3.1):

    python3 Tests/Reference/make_octahedron_scans.py

chi(k): the same geometry, FEFF6L cards and path sum as make_octahedron_reference.py (its `feff_paths`
is imported): Ta-Cl 2.37 A, Na8 at 3.90 A, S0^2 0.9, every sigma2 0.004 A^2, trans Cl-Ta-Cl angles
180, 175, 165 and 155 deg. Here chi is evaluated by Larch's path2chi directly at k(E) of each energy
point, k = sqrt(0.2624682843 (E - E0)) with E0 = 9881.0 eV (Ta L3).

mu(E) (absorbance mu x, dimensionless), a textbook atomic Ta L3 absorption:
  background  mu_pre(E) = 1.20 - 0.25 (E - E0)/1000          (the falling tail of lower edges)
  edge        mu_edge(E) = 1.0 [1/2 + atan((E - E0)/G)/pi] (E0/E)^2.5,  G = 2.4 eV
              (the core-hole half width of Ta L3; (E0/E)^2.5 is the post-edge fall, about 0.79 at k 16)
  white line  W(E) = 0.9 exp(-(E - E0 - 4)^2 / (2 * 3^2))
  mu(E) = mu_pre + mu_edge (1 + t(k) chi(k)) + W
t(k) tapers chi to 0 below k = 2 1/A (t = sin^2(pi/2 (k - 0.5)/1.5) on 0.5 ... 2, 0 below): the near
edge is XANES (the white line), where a FEFF chi(k) from k = 0 does not describe a real spectrum.

Energy grid: pre-edge E0 - 200 ... E0 - 30 eV in 10 eV steps, XANES E0 - 30 ... E0 + 30 eV in
0.5 eV, then a constant k step of 0.05 1/A from the first multiple of 0.05 above k(E0 + 30) up to
k = 16.0 1/A. i0(E) = 2.0e5 (1 + 0.04 (E - E0)/1000) (a smooth beam), it = i0 exp(-(mu + n)) with
Gaussian noise n of standard deviation 2e-4 in mu (as Benchmarks/bench.py), seeded
(numpy default_rng(1300 + case index)).

Writes Tests/EXAFSKitTests/Fixtures/octahedron/scans/<case>.dat (columns energy i0 it) and
scans/cases.json (the truth of every case, with the mu model's constants).
"""
import json
import math
import tempfile
from pathlib import Path

import numpy as np
from larch.xafs import feffpath, path2chi

from make_octahedron_reference import R_CL, R_NA, feff_paths

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "Tests/EXAFSKitTests/Fixtures/octahedron/scans"
E0 = 9881.0
KE = 0.2624682843  # 2 m_e / hbar^2 in 1/(A^2 eV), as Larch's ETOK
S02, SIGMA2 = 0.9, 0.004
NOISE = 2e-4
CASES = [("scan180", 180.0), ("scan175", 175.0), ("scan165", 165.0), ("scan155", 155.0)]


def energy_grid():
    pre = np.arange(E0 - 200, E0 - 30, 10.0)
    xanes = np.arange(E0 - 30, E0 + 30 + 1e-9, 0.5)
    k_start = math.floor(math.sqrt(KE * 30) / 0.05 + 1) * 0.05
    k = np.arange(k_start, 16.0 + 1e-9, 0.05)
    return np.concatenate([pre, xanes, E0 + k * k / KE])


def chi_of_k(angle, k):
    """The FEFF6L path sum at the points k (1/A), every sigma2 SIGMA2."""
    with tempfile.TemporaryDirectory() as tmp:
        files = feff_paths(angle, Path(tmp))
        chi = np.zeros_like(k)
        for f in files:
            p = feffpath(str(f), s02=S02, e0=0.0, deltar=0.0, sigma2=SIGMA2)
            path2chi(p, k=k)
            chi += p.chi
    return chi, len(files)


def mu_model(energy, chi):
    de = energy - E0
    k = np.sqrt(np.clip(KE * de, 0, None))
    taper = np.where(k < 0.5, 0.0, np.where(k > 2.0, 1.0, np.sin(0.5 * np.pi * (k - 0.5) / 1.5) ** 2))
    pre = 1.20 - 0.25 * de / 1000
    edge = 1.0 * (0.5 + np.arctan(de / 2.4) / np.pi) * (E0 / energy) ** 2.5
    white = 0.9 * np.exp(-((de - 4.0) ** 2) / (2 * 3.0**2))
    return pre + edge * (1 + taper * chi) + white


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    energy = energy_grid()
    k = np.sqrt(np.clip(KE * (energy - E0), 0, None))
    truth = {}
    for index, (name, angle) in enumerate(CASES):
        above = energy > E0
        chi = np.zeros_like(energy)
        chi[above], npaths = chi_of_k(angle, k[above])
        mu = mu_model(energy, chi)
        rng = np.random.default_rng(1300 + index)
        i0 = 2.0e5 * (1 + 0.04 * (energy - E0) / 1000)
        it = i0 * np.exp(-(mu + rng.normal(0, NOISE, energy.size)))
        header = (f"Simulated Ta L3 transmission scan: FEFF6L TaCl6 + Na8, trans Cl-Ta-Cl = {angle} deg, Ta-Cl {R_CL} A, "
                  f"Ta-Na {R_NA} A, S02 {S02}, sigma2 {SIGMA2} ({npaths} paths), E0 {E0} eV, noise {NOISE} in mu\n"
                  "made by Tests/Reference/make_octahedron_scans.py\nenergy i0 it")
        np.savetxt(OUT / f"{name}.dat", np.column_stack([energy, i0, it]), fmt=["%.4f", "%.6f", "%.6f"], header=header)
        truth[name] = {"trans_angle": angle, "bond_length": R_CL, "na_distance": R_NA, "s02": S02,
                       "sigma2_first_shell": SIGMA2, "sigma2_na": SIGMA2, "sigma2_ms": SIGMA2, "e0": E0,
                       "noise_mu": NOISE, "paths": npaths, "points": int(energy.size)}
        print(name, npaths, "paths,", energy.size, "points")
    (OUT / "cases.json").write_text(json.dumps(truth, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
