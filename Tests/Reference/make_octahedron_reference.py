#!/usr/bin/env python3
"""FEFF6L chi(k) models of bent TaCl6 + Na8 octahedra for `exafs octahedron` (Sources/EXAFSKit/Distortion/).

Run from the repository root (needs Debian's feff85exafs for /usr/bin/feff6l, and xraylarch 2026.3.1):

    python3 Tests/Reference/make_octahedron_reference.py

Geometry (the same as the library's, written independently here): Ta at the origin, six Cl at
R = 2.37 A, eight Na at 3.90 A on the cube corners (+-1, +-1, +-1) R_Na / sqrt(3). Each trans Cl pair
along axis e_i is bent by a = (180 - angle) / 2 towards the cyclically next axis e_(i+1):
Cl = R (+-cos a e_i + sin a e_(i+1)), so every trans Cl-Ta-Cl angle is `angle` and the three pairs are
related by the three-fold axis along [111]. FEFF6L cards: HOLE 4 (L3), CONTROL 1 1 1 1, PRINT 0 0 0 0,
RMAX 5.0, NLEG 4.

chi(k) is the sum of every FEFF path with Larch's feffpath/path2chi: S0^2 = 0.9, E0 = 0, deltar = 0,
sigma2 = s1 for the Ta-Cl single-scattering path, s_na for Ta-Na single scattering, s_ms for every
path with more than two legs. Noise: Gaussian, standard deviation 0.1% of max |chi(k)| over
k = 2 ... 16 1/A, seeded (numpy default_rng(13 + case index)).

Writes Tests/EXAFSKitTests/Fixtures/octahedron/<case>.chi (columns k chi, k = 0 ... 18 in 0.05 steps)
and cases.json (the truth of every case).
"""
import json
import math
import subprocess
import tempfile
from pathlib import Path

import numpy as np
from larch.xafs import feffpath, path2chi

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "Tests/EXAFSKitTests/Fixtures/octahedron"
R_CL, R_NA = 2.37, 3.90

CASES = [
    # name, angle, s1, s_na, s_ms
    ("angle175", 175.0, 0.004, 0.004, 0.004),
    ("angle165", 165.0, 0.004, 0.004, 0.004),
    ("angle155", 155.0, 0.004, 0.004, 0.004),
    ("angle180_na_sigma2_0.02", 180.0, 0.004, 0.02, 0.004),
    ("angle180_first_sigma2_0.008", 180.0, 0.008, 0.004, 0.004),
    ("angle180_ms_sigma2_0.008", 180.0, 0.004, 0.004, 0.008),
    ("angle180", 180.0, 0.004, 0.004, 0.004),
]


def atoms(angle):
    a = math.radians((180.0 - angle) / 2)
    out = [(0.0, 0.0, 0.0, 0, "Ta")]
    for i in range(3):
        for sign in (1, -1):
            v = [0.0, 0.0, 0.0]
            v[i] += sign * R_CL * math.cos(a)
            v[(i + 1) % 3] += R_CL * math.sin(a)
            out.append((v[0], v[1], v[2], 1, "Cl"))
    c = R_NA / math.sqrt(3)
    for sx in (1, -1):
        for sy in (1, -1):
            for sz in (1, -1):
                out.append((sx * c, sy * c, sz * c, 2, "Na"))
    return out


def feff_paths(angle, workdir):
    lines = [f"TITLE TaCl6 + Na8, trans Cl-Ta-Cl {angle} deg", "HOLE 4 1.0", "CONTROL 1 1 1 1",
             "PRINT 0 0 0 0", "RMAX 5.0", "NLEG 4", "POTENTIALS", "  0 73 Ta", "  1 17 Cl", "  2 11 Na",
             "ATOMS"]
    lines += [f"  {x:10.5f} {y:10.5f} {z:10.5f} {ip} {s}" for x, y, z, ip, s in atoms(angle)]
    lines += ["END", ""]
    (workdir / "feff.inp").write_text("\n".join(lines))
    subprocess.run(["/usr/bin/feff6l"], cwd=workdir, check=True, stdout=subprocess.DEVNULL)
    return sorted(workdir.glob("feff0*.dat"))


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    k = np.arange(0, 18.0001, 0.05)
    truth = {}
    for index, (name, angle, s1, s_na, s_ms) in enumerate(CASES):
        with tempfile.TemporaryDirectory() as tmp:
            files = feff_paths(angle, Path(tmp))
            chi = np.zeros_like(k)
            for f in files:
                p = feffpath(str(f), s02=0.9, e0=0.0, deltar=0.0)
                labels = [a[4] if len(a) > 4 else "" for a in p.geom]
                if p.nleg == 2:
                    p.sigma2 = s1 if "Cl" in str(p.geom[1]) else s_na
                else:
                    p.sigma2 = s_ms
                path2chi(p, k=k)
                chi += p.chi
        mask = (k >= 2) & (k <= 16)
        eps = 0.001 * np.max(np.abs(chi[mask]))
        rng = np.random.default_rng(13 + index)
        noisy = chi + rng.normal(0, eps, size=k.size)
        header = (f"FEFF6L TaCl6 + Na8 chi(k), trans Cl-Ta-Cl = {angle} deg, Ta-Cl {R_CL} A, Ta-Na {R_NA} A, "
                  f"S02 0.9, sigma2 first {s1} Na {s_na} MS {s_ms}, noise {eps:.3e} ({len(files)} paths)\nk chi")
        np.savetxt(OUT / f"{name}.chi", np.column_stack([k, noisy]), fmt="%.8e", header=header)
        truth[name] = {"trans_angle": angle, "bond_length": R_CL, "na_distance": R_NA, "s02": 0.9,
                       "sigma2_first_shell": s1, "sigma2_na": s_na, "sigma2_ms": s_ms, "noise": eps,
                       "paths": len(files)}
        print(name, len(files), "paths, noise", eps)
    (OUT / "cases.json").write_text(json.dumps(truth, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
