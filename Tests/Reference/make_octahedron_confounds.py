#!/usr/bin/env python3
"""The hinge ratio's confounds of issue 13, as FEFF6L chi(k) fixtures: a 50/50 mixture and added noise.

Run from the repository root (needs Debian's feff85exafs for /usr/bin/feff6l, and xraylarch 2026.3.1):

    python3 Tests/Reference/make_octahedron_confounds.py

Geometry, FEFF cards and path sums are those of make_octahedron_reference.py (imported): Ta-Cl 2.37 A,
Na8 at 3.90 A, S0^2 0.9, E0 0, every sigma2 0.004 A^2, all paths summed with Larch's feffpath/path2chi.

Cases (Tests/EXAFSKitTests/Fixtures/octahedron/confounds/<case>.chi, truth in cases.json):

- mixture50_180: 0.5 chi(TaCl6 + Na8 at 180 deg, every path) + 0.5 chi(first shell only: the single
  Ta-Cl single-scattering path of the same FEFF run, 6 Cl at 2.37 A, sigma2 0.004). The first shell is
  then complete (0.9 x 6 Cl) and every outer feature (Na, triangles, the focused 2R paths) has half its
  amplitude: 0.5 x 0.9 = 0.45 as an effective S0^2 for the outer part. Noise 0.1% as below.
- angle150_noise0.1pct: TaCl6 + Na8 at 150 deg, noise 0.1% of max |chi| over k = 2 ... 16 (seed 150).
- angle150_noise1.3pct_seed0 ... seed4: the same chi with 1.3% noise, five seeds (1300 ... 1304), so
  that the bias of the hinge ratio can be told from one noise draw.
- angle150_step1.3pct_seed0 ... seed4: the same chi with noise of standard deviation 0.013 in chi,
  i.e. 1.3% of the edge step of a normalized scan (seeds 2300 ... 2304); about 9 times the above.
- angle150_noise0: the same chi without noise (the hinge ratio's noise-free value).

Noise: Gaussian, numpy default_rng(seed), standard deviation the given fraction of max |chi(k)| over
k = 2 ... 16 1/A. Columns k chi, k = 0 ... 18 in 0.05 steps.
"""
import json
import sys
import tempfile
from pathlib import Path

import numpy as np
from larch.xafs import feffpath, path2chi

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_octahedron_reference import R_CL, R_NA, feff_paths  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "Tests/EXAFSKitTests/Fixtures/octahedron/confounds"
S02, SIGMA2 = 0.9, 0.004


def path_chis(angle, k):
    """chi(k) of every path (sigma2 0.004 each) and of the Ta-Cl single-scattering path alone."""
    with tempfile.TemporaryDirectory() as tmp:
        files = feff_paths(angle, Path(tmp))
        total = np.zeros_like(k)
        first = None
        for f in files:
            p = feffpath(str(f), s02=S02, e0=0.0, deltar=0.0, sigma2=SIGMA2)
            path2chi(p, k=k)
            total += p.chi
            if p.nleg == 2 and "Cl" in str(p.geom[1]):
                assert first is None, "one Ta-Cl single-scattering path expected"
                assert abs(p.reff - R_CL) < 1e-3 and abs(p.degen - 6) < 1e-6, (p.reff, p.degen)
                first = p.chi.copy()
        return total, first, len(files)


def noise(chi, k, fraction, seed):
    mask = (k >= 2) & (k <= 16)
    eps = fraction * np.max(np.abs(chi[mask]))
    return np.random.default_rng(seed).normal(0, eps, size=k.size), eps


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    k = np.arange(0, 18.0001, 0.05)
    truth = {}

    def save(name, chi, header, info):
        np.savetxt(OUT / f"{name}.chi", np.column_stack([k, chi]), fmt="%.8e", header=header + "\nk chi")
        truth[name] = info
        print(name, info)

    full180, first180, n180 = path_chis(180.0, k)
    mix = 0.5 * full180 + 0.5 * first180
    dn, eps = noise(mix, k, 0.001, 50)
    save("mixture50_180", mix + dn,
         f"50/50 mixture: 0.5 FEFF6L TaCl6 + Na8 at 180 deg ({n180} paths) + 0.5 Ta-Cl first shell only; "
         f"Ta-Cl {R_CL} A, Ta-Na {R_NA} A, S02 {S02}, sigma2 {SIGMA2}, noise {eps:.3e}",
         {"trans_angle": 180.0, "fraction_octahedron": 0.5, "bond_length": R_CL, "na_distance": R_NA,
          "s02": S02, "s02_outer_effective": 0.5 * S02, "sigma2": SIGMA2, "noise": eps, "seed": 50,
          "paths": n180})

    full150, _, n150 = path_chis(150.0, k)
    base = {"trans_angle": 150.0, "bond_length": R_CL, "na_distance": R_NA, "s02": S02, "sigma2": SIGMA2,
            "paths": n150}
    head = f"FEFF6L TaCl6 + Na8 chi(k) at 150 deg ({n150} paths), Ta-Cl {R_CL} A, Ta-Na {R_NA} A, S02 {S02}, sigma2 {SIGMA2}"
    save("angle150_noise0", full150, head + ", no noise", dict(base, noise=0.0, noise_fraction=0.0))
    dn, eps = noise(full150, k, 0.001, 150)
    save("angle150_noise0.1pct", full150 + dn, head + f", noise 0.1% = {eps:.3e} (seed 150)",
         dict(base, noise=eps, noise_fraction=0.001, seed=150))
    for s in range(5):
        dn, eps = noise(full150, k, 0.013, 1300 + s)
        save(f"angle150_noise1.3pct_seed{s}", full150 + dn, head + f", noise 1.3% = {eps:.3e} (seed {1300 + s})",
             dict(base, noise=eps, noise_fraction=0.013, seed=1300 + s))
    for s in range(5):
        dn = np.random.default_rng(2300 + s).normal(0, 0.013, size=k.size)
        save(f"angle150_step1.3pct_seed{s}", full150 + dn, head + f", noise 0.013 in chi = 1.3% of the edge step (seed {2300 + s})",
             dict(base, noise=0.013, noise_fraction_of_edge_step=0.013, seed=2300 + s))
    (OUT / "cases.json").write_text(json.dumps(truth, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
