#!/usr/bin/env python3
"""Writes the quick-EXAFS-like series behind Docs/images/series.png (run from the repository root;
needs numpy), then draw it with exafs itself:

    python3 Docs/make_series_inputs.py /tmp/series-in
    exafs process /tmp/series-in --hinge tacl6 --series -o /tmp/series-out
    cp /tmp/series-out/series.png Docs/images/series.png

Twelve XDI files, one every 95 s from 2026-03-01T10:00:00 (Scan.start_time / Scan.end_time), whose
mu(E) goes linearly from the simulated straight TaCl6 scan (bend 0) to the bent one (bend 30,
SampleSpectra/simulated/), each with fresh Gaussian noise of 2e-4 in mu (seed 16): a stand-in for
an operando run in which the octahedron distorts. No measured time series is bundled.
"""
import os, sys
import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
out = sys.argv[1] if len(sys.argv) > 1 else '/tmp/series-in'
os.makedirs(out, exist_ok=True)

def mu(path):
    d = np.loadtxt(os.path.join(ROOT, path))
    return d[:, 0], np.log(d[:, 1] / d[:, 2])

e, straight = mu('SampleSpectra/simulated/tacl6_bend00_sim_transmission.dat')
e30, bent = mu('SampleSpectra/simulated/tacl6_bend30_sim_transmission.dat')
assert np.allclose(e, e30)
rng = np.random.default_rng(16)
n = 12
for i in range(n):
    f = i / (n - 1)
    m = (1 - f) * straight + f * bent + rng.normal(0, 2e-4, e.size)
    start = 10 * 3600 + 95 * i  # seconds after midnight
    end = start + 80
    hms = lambda s: '%02d:%02d:%02d' % (s // 3600, s % 3600 // 60, s % 60)
    with open(os.path.join(out, 'tacl6_series_%02d.xdi' % (i + 1)), 'w') as fh:
        fh.write('# XDI/1.0\n# Column.1: energy eV\n# Column.2: mutrans\n# Element.symbol: Ta\n# Element.edge: L3\n')
        fh.write('# Scan.start_time: 2026-03-01T%s\n# Scan.end_time: 2026-03-01T%s\n' % (hms(start), hms(end)))
        fh.write('# /// simulated: %.0f%% of the way from bend 0 to bend 30 (SampleSpectra/simulated)\n# ---\n' % (100 * f))
        fh.write('# energy mutrans\n')
        for x, y in zip(e, m):
            fh.write('%.3f %.7f\n' % (x, y))
print('wrote %d files to %s' % (n, out))
