#!/usr/bin/env python3
"""Runs the built `exafs` on every sample with the parameters of its Larch fixture and prints
how far our numbers are from Larch's (the figures quoted in Docs/validation.md).

Usage (from the repository root, after `swift build -c release`):
    python3 Tests/Reference/validation_report.py [path/to/exafs]
Needs only numpy; the Larch numbers come from the committed fixtures.
"""
import glob, json, os, subprocess, sys, tempfile
import numpy as np

exe = sys.argv[1] if len(sys.argv) > 1 else '.build/release/exafs'
rows = []
for path in sorted(glob.glob('Tests/EXAFSKitTests/Fixtures/larch/*.json')):
    if '.cauchy.' in path or '.athena.' in path:
        continue
    fx = json.load(open(path))
    name = os.path.basename(path)[:-5]
    x = fx['xftf']
    args = [exe, 'process', fx['input'], '--kmin', str(x['kmin']), '--kmax', str(x['kmax']),
            '--dk', str(x['dk']), '--kweight', str(x['kweight']), '--window', x['window']]
    if fx.get('mu_expr'):
        args += ['--mu', fx['mu_expr']]
    if fx.get('group'):
        args += ['--group', fx['group']]
    if fx['kind'] == 'mu':
        args += ['--rbkg', str(fx['autobk']['rbkg']), '--bkg-kweight', str(fx['autobk']['kweight']),
                 '--bkg-dk', '0.1', '--clamp-lo', '0', '--clamp-hi', '1', '--bkg-kmin', '0']
        # a project stores its own parameters; the fixture used Larch's defaults for everything else
        for key, flag in (('pre1', '--pre1'), ('pre2', '--pre2'), ('norm1', '--norm1'),
                          ('norm2', '--norm2'), ('nnorm', '--nnorm')):
            if fx.get('group'):
                args += [f"{flag}={fx['pre_edge'][key]}"]
    with tempfile.TemporaryDirectory() as out:
        run = subprocess.run(args + ['-o', out], capture_output=True, text=True)
        if run.returncode != 0:
            rows.append((name, 'FAILED: ' + run.stderr.strip()))
            continue
        stem = [f for f in os.listdir(out) if f.endswith('.json')][0][:-5]
        summ = json.load(open(os.path.join(out, stem + '.json')))
        chik = np.loadtxt(os.path.join(out, stem + '.chik'))
        chir = np.loadtxt(os.path.join(out, stem + '.chir'))
    k, chi = np.array(fx['k']), np.array(fx['chi'])
    ours = np.interp(k, chik[:, 0], chik[:, 1])
    sel = (k >= 3) & (k <= x['kmax'])
    rms = np.sqrt(np.mean((k[sel]**2 * (ours[sel] - chi[sel]))**2)) / np.sqrt(np.mean((k[sel]**2 * chi[sel])**2))
    r, mag = np.array(fx['r']), np.array(fx['chir_mag'])
    w = (r >= 1) & (r <= 3.5)
    i = np.argmax(np.where(w, mag, -1))
    wo = (chir[:, 0] >= 1) & (chir[:, 0] <= 3.5)
    j = np.argmax(np.where(wo, chir[:, 1], -1))
    de0 = summ['e0'] - fx['pre_edge']['e0'] if fx['kind'] == 'mu' else float('nan')
    dstep = (summ['edge_step'] / fx['pre_edge']['edge_step'] - 1) if fx['kind'] == 'mu' else float('nan')
    rows.append((name, f"{de0:+8.3f} {100*dstep:+9.4f} {100*rms:9.4f} {chir[j,0]-r[i]:+8.4f} "
                       f"{100*(chir[j,1]/mag[i]-1):+9.4f}"))

print(f"{'sample':45s} {'dE0/eV':>8s} {'dstep/%':>9s} {'rms/%':>9s} {'dR/A':>8s} {'dpeak/%':>9s}")
for name, text in rows:
    print(f"{name:45s} {text}")
