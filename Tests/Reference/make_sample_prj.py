#!/usr/bin/env python3
"""Write SampleSpectra/W_metal_rt_scans.prj with Larch's Athena-project writer.

Run from the repository root:  python3 Tests/Reference/make_sample_prj.py

The project holds the three measured W L3 scans SampleSpectra/W_metal_rt_0{1,2,3}.xdi
(public-domain data from the XAS Data Library), each as one group labelled with the
file stem. mu = ln(i0/itrans). Before writing, each group is processed with
pre_edge (Larch defaults), autobk(rbkg=1.0, kweight=1) and
xftf(kmin=2, kmax=16, dk=1, window='hanning', kweight=2), so the project's @args
carry real bkg_* / fft_* values.

The file is written by Larch (larch.io.AthenaProject.save), not by Athena/Demeter:
it uses the Demeter "Perl" project layout (gzip of text lines `$old_group`, `@args`,
`@x`, `@y`, `@i0`, `@signal`, `[record]`), but its header says "Using Larch version".
The hash keys are random letters, seeded here so that reruns give the same keys; the
creation time in the header changes on every run.
"""
import sys
from pathlib import Path

import numpy as np
from larch import Group
from larch.io import read_ascii, AthenaProject
from larch.xafs import pre_edge, autobk, xftf

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "SampleSpectra"
OUT = SAMPLES / "W_metal_rt_scans.prj"
SCANS = ["W_metal_rt_01", "W_metal_rt_02", "W_metal_rt_03"]


def main():
    np.random.seed(20260301)  # larch draws hash keys with numpy.random.randint
    prj = AthenaProject(filename=str(OUT))
    for stem in SCANS:
        d = read_ascii(str(SAMPLES / f"{stem}.xdi"))
        g = Group(__name__=stem, filename=stem, energy=d.energy.copy(),
                  mu=np.log(d.i0 / d.itrans), i0=d.i0.copy())
        pre_edge(g.energy, g.mu, group=g)
        autobk(g, rbkg=1.0, kweight=1)
        xftf(g, kmin=2.0, kmax=16.0, dk=1.0, window="hanning", kweight=2,
             rmax_out=10)
        prj.add_group(g)
    if OUT.exists():
        OUT.unlink()
    prj.save(str(OUT), use_gzip=True)
    print(f"wrote {OUT.relative_to(ROOT)} ({OUT.stat().st_size} bytes, {len(SCANS)} groups)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
