// The viewer's page: HTML, style and a small hand-written script that draws SVG plots from the
// JSON the server sends. Nothing is loaded from elsewhere (the CSP forbids it).
import Foundation

/// The page, its style and its script.
public enum ViewerPage {
  /// The page for `token` (its script and style are fetched with the same token).
  public static func html(token: String) -> String {
    htmlTemplate.replacingOccurrences(of: "TOKEN", with: token)
  }

  static let htmlTemplate = """
    <!DOCTYPE html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <title>exafs view</title>
    <link rel="stylesheet" href="app.css?token=TOKEN">
    <script src="app.js?token=TOKEN" defer></script>
    </head>
    <body>
    <header>
      <h1>exafs view</h1>
      <button id="save" type="button" title="Write the selected groups with these parameters into an Athena project">Save</button>
      <button id="export" type="button" title="Write NAME.nor, NAME.chik, NAME.chir, NAME.json (and NAME.wavelet) for the selected groups">Export</button>
      <button id="reset" type="button" title="Forget the parameters set here (back to the stored ones)">Reset</button>
      <span id="status" data-state="loading">loading…</span>
    </header>
    <div id="layout">
    <aside>
      <h2>Groups</h2>
      <div id="groups"></div>
      <div id="failures"></div>
      <h2>Display</h2>
      <label>offset <input id="offset" type="number" step="any" value="0"></label>
      <label><input id="flat" type="checkbox" checked> flattened</label>
      <h2>Wavelet map</h2>
      <label><input id="wavelet-on" type="checkbox" checked> Morlet map of the first group</label>
      <label>eta <input id="eta" type="number" step="any"></label>
      <label>sigma <input id="sigma" type="number" step="any"></label>
      <label>shell 1 <input id="shell1" type="text" title="kmin, kmax, rmin, rmax"></label>
      <label>hinge <input id="hinge" type="text" title="kmin, kmax, rmin, rmax"></label>
      <h2>Parameters</h2>
      <div id="params"></div>
    </aside>
    <main>
      <section id="numbers-section"><table id="numbers"></table></section>
      <div id="plots">
        <figure><figcaption>mu(E): pre-edge line, post-edge curve, background, E0</figcaption><svg id="plot-mu" viewBox="0 0 560 300"></svg></figure>
        <figure><figcaption id="norm-caption">normalized mu(E)</figcaption><svg id="plot-norm" viewBox="0 0 560 300"></svg></figure>
        <figure><figcaption id="chik-caption">k^w chi(k) and window</figcaption><svg id="plot-chik" viewBox="0 0 560 300"></svg></figure>
        <figure><figcaption>|chi(R)| and Re chi(R)</figcaption><svg id="plot-chir" viewBox="0 0 560 300"></svg></figure>
        <figure><figcaption>wavelet |W(k, R)| with the shell-1 and hinge windows</figcaption><svg id="plot-wavelet" viewBox="0 0 560 300"></svg></figure>
      </div>
      <section id="commands-section"><h2>Reproduce with exafs process</h2><pre id="commands"></pre><pre id="saved"></pre></section>
    </main>
    </div>
    </body>
    </html>
    """

  public static let style = """
    body { font: 13px/1.35 sans-serif; margin: 0; color: #222; }
    header { display: flex; gap: 10px; align-items: center; padding: 6px 12px; background: #eef2f6; border-bottom: 1px solid #ccd; }
    header h1 { font-size: 16px; margin: 0 12px 0 0; }
    #status { color: #555; } #status[data-state=error] { color: #b00; }
    #layout { display: flex; }
    aside { width: 290px; padding: 6px 10px; border-right: 1px solid #ddd; height: calc(100vh - 40px); overflow-y: auto; box-sizing: border-box; }
    aside h2, main h2 { font-size: 13px; margin: 10px 0 4px; border-bottom: 1px solid #ddd; }
    aside label { display: block; margin: 2px 0; }
    aside input[type=number], aside input[type=text], aside select { width: 110px; }
    .param { display: grid; grid-template-columns: 120px 120px; align-items: center; margin: 1px 0; }
    .param .auto { color: #888; }
    .param .touched { background: #fff6d6; }
    .stage { font-style: italic; color: #666; margin-top: 6px; }
    main { flex: 1; padding: 6px 10px; }
    #plots { display: grid; grid-template-columns: repeat(auto-fill, minmax(520px, 1fr)); gap: 8px; }
    figure { margin: 0; } figcaption { font-size: 12px; color: #444; }
    svg { width: 100%; height: auto; background: #fff; border: 1px solid #ddd; touch-action: none; }
    .handle { cursor: ew-resize; }
    table { border-collapse: collapse; } td, th { padding: 2px 8px; border-bottom: 1px solid #eee; text-align: right; }
    pre { background: #f6f6f6; padding: 6px; white-space: pre-wrap; user-select: all; }
    .error { color: #b00; }
    """

  public static let script = #"""
    'use strict';
    // exafs view: controls from the parameter table, SVG plots from the JSON of /api/process.
    const token = new URLSearchParams(location.search).get('token') || '';
    const $ = (id) => document.getElementById(id);
    const SVG = 'http://www.w3.org/2000/svg';
    const colors = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf'];
    let info = null, last = null, touched = {}, pending = false, again = false, drags = 0;

    function url(path) { return path + '?token=' + encodeURIComponent(token); }
    async function post(path, body) {
      const r = await fetch(url(path), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      const j = await r.json();
      if (!r.ok) throw new Error(j.error || ('HTTP ' + r.status));
      return j;
    }
    function status(text, state) { const s = $('status'); s.textContent = text; s.dataset.state = state || 'ok'; }
    function selected() { return [...document.querySelectorAll('#groups input:checked')].map((c) => Number(c.dataset.id)); }
    function four(id) {
      const v = $(id).value.split(/[ ,:;]+/).filter((x) => x !== '').map(Number);
      return v.length === 4 && v.every(Number.isFinite) ? v : null;
    }
    function request() {
      const body = { groups: selected(), params: Object.assign({}, touched) };
      if ($('wavelet-on').checked) {
        body.wavelet = {};
        const eta = parseFloat($('eta').value), sigma = parseFloat($('sigma').value);
        if (Number.isFinite(eta)) body.wavelet.eta = eta;
        if (Number.isFinite(sigma)) body.wavelet.sigma = sigma;
      }
      const s1 = four('shell1'), h = four('hinge');
      if (s1 && h) { body.shell1 = s1; body.hinge = h; }
      return body;
    }
    async function refresh() {
      if (pending) { again = true; return; }
      if (selected().length === 0) { status('select a group', 'ok'); return; }
      pending = true; $('status').dataset.pending = '1';
      try {
        const t0 = performance.now();
        const body = request();
        last = await post('/api/process', body);
        $('status').dataset.params = JSON.stringify(body.params);
        draw();
        const errors = last.results.filter((r) => r.error).map((r) => r.name + ': ' + r.error);
        status(errors.length ? errors.join('; ') : ('processed ' + last.results.length + ' group(s): server '
          + last.milliseconds.toFixed(1) + ' ms, total ' + (performance.now() - t0).toFixed(0) + ' ms'), errors.length ? 'error' : 'ok');
        $('status').dataset.updates = String(Number($('status').dataset.updates || 0) + 1);
      } catch (e) { status(String(e.message || e), 'error'); }
      finally { pending = false; if (again) { again = false; refresh(); } else { $('status').dataset.pending = '0'; } }
    }

    // ---- controls, one per entry of the parameter table ----
    function buildControls() {
      const box = $('params');
      let stage = '';
      for (const p of info.parameters) {
        if (p.stage !== stage) {
          stage = p.stage;
          const h = document.createElement('div'); h.className = 'stage'; h.textContent = stage; box.appendChild(h);
        }
        const row = document.createElement('label'); row.className = 'param';
        row.title = p.help + (p.unit ? ' (' + p.unit + ')' : '') + '; default: ' + p.default + '; allowed: ' + p.allowed + '; exafs process ' + p.flag;
        const name = document.createElement('span'); name.textContent = p.name + (p.unit ? ' [' + p.unit + ']' : '');
        let input;
        if (p.kind === 'choice') {
          input = document.createElement('select');
          const blank = document.createElement('option'); blank.value = ''; blank.textContent = '(default)'; input.appendChild(blank);
          for (const w of p.words) { const o = document.createElement('option'); o.value = w; o.textContent = w; input.appendChild(o); }
        } else {
          input = document.createElement('input'); input.type = 'number'; input.step = p.kind === 'integer' ? '1' : 'any';
          if (p.range && p.range[1] - p.range[0] < 1e4) { input.min = p.range[0]; input.max = p.range[1]; }
        }
        input.id = 'param-' + p.name; input.dataset.param = p.name;
        input.addEventListener('change', () => { setParam(p.name, input.value); });
        row.appendChild(name); row.appendChild(input); box.appendChild(row);
      }
    }
    function setParam(name, value) {
      const input = $('param-' + name);
      if (value === '' || value === null) { delete touched[name]; input.classList.remove('touched'); }
      else { touched[name] = String(value); input.value = String(value); input.classList.add('touched'); input.classList.remove('auto'); }
      refresh();
    }
    function showUsed(result) {
      if (!result || !result.used) return;
      for (const p of info.parameters) {
        const input = $('param-' + p.name);
        if (touched[p.name] !== undefined || !input) continue;
        const v = result.used[p.name];
        input.value = v === undefined ? '' : (p.kind === 'real' && v !== '' ? String(Number(Number(v).toPrecision(8))) : v);
        input.classList.add('auto');
        input.title = 'from: ' + ((result.sources || {})[p.name] || 'default');
      }
    }

    // ---- plotting ----
    function ticks(lo, hi, n) {
      const span = hi - lo; if (!(span > 0)) return [lo];
      const raw = span / n, mag = Math.pow(10, Math.floor(Math.log10(raw)));
      const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) || raw;
      const out = []; for (let t = Math.ceil(lo / step) * step; t <= hi + 1e-9 * span; t += step) out.push(Math.abs(t) < 1e-12 * span ? 0 : t);
      return out;
    }
    function el(name, attrs, parent) {
      const e = document.createElementNS(SVG, name);
      for (const k in attrs) e.setAttribute(k, attrs[k]);
      if (parent) parent.appendChild(e);
      return e;
    }
    function extent(series, key, xr) {
      let lo = Infinity, hi = -Infinity;
      for (const s of series) for (let i = 0; i < s.x.length; i++) {
        const v = s[key][i], x = s.x[i];
        if (v === null || x === null || (xr && (x < xr[0] || x > xr[1]))) continue;
        if (v < lo) lo = v; if (v > hi) hi = v;
      }
      if (!(hi > lo)) { lo = (lo === Infinity ? 0 : lo) - 1; hi = lo + 2; }
      return [lo, hi];
    }
    // opts: series [{x, y, color, width, dash}], xrange, xlabel, ylabel, lines [{x, param, color, toParam}], boxes
    function plot(id, opts) {
      const svg = $(id); while (svg.firstChild) svg.removeChild(svg.firstChild);
      const W = 560, H = 300, L = 58, R = 12, T = 10, B = 36;
      const xr = opts.xrange || extent(opts.series.map((s) => ({ x: s.x, y: s.x })), 'y');
      let yr = opts.yrange || extent(opts.series, 'y', xr);
      const pad = (yr[1] - yr[0]) * 0.05; yr = [yr[0] - pad, yr[1] + pad];
      const sx = (x) => L + (x - xr[0]) / (xr[1] - xr[0]) * (W - L - R);
      const sy = (y) => H - B - (y - yr[0]) / (yr[1] - yr[0]) * (H - T - B);
      svg.toData = (px) => xr[0] + (px - L) / (W - L - R) * (xr[1] - xr[0]);
      el('rect', { x: L, y: T, width: W - L - R, height: H - T - B, fill: 'none', stroke: '#999' }, svg);
      for (const t of ticks(xr[0], xr[1], 6)) {
        el('line', { x1: sx(t), x2: sx(t), y1: H - B, y2: H - B + 4, stroke: '#666' }, svg);
        el('text', { x: sx(t), y: H - B + 15, 'text-anchor': 'middle', 'font-size': 11 }, svg).textContent = String(Number(t.toPrecision(6)));
      }
      for (const t of ticks(yr[0], yr[1], 5)) {
        el('line', { x1: L - 4, x2: L, y1: sy(t), y2: sy(t), stroke: '#666' }, svg);
        el('text', { x: L - 6, y: sy(t) + 4, 'text-anchor': 'end', 'font-size': 11 }, svg).textContent = String(Number(t.toPrecision(6)));
      }
      el('text', { x: (L + W - R) / 2, y: H - 4, 'text-anchor': 'middle', 'font-size': 12 }, svg).textContent = opts.xlabel;
      el('text', { x: 12, y: (T + H - B) / 2, 'text-anchor': 'middle', 'font-size': 12, transform: 'rotate(-90 12 ' + (T + H - B) / 2 + ')' }, svg).textContent = opts.ylabel;
      const clip = 'clip-' + id;
      const defs = el('defs', {}, svg); const cp = el('clipPath', { id: clip }, defs);
      el('rect', { x: L, y: T, width: W - L - R, height: H - T - B }, cp);
      const g = el('g', { 'clip-path': 'url(#' + clip + ')' }, svg);
      if (opts.heat) opts.heat(g, sx, sy);
      for (const s of opts.series) {
        let d = '', pen = false;
        for (let i = 0; i < s.x.length; i++) {
          const x = s.x[i], y = s.y[i];
          if (x === null || y === null || x < xr[0] - (xr[1] - xr[0]) || x > xr[1] + (xr[1] - xr[0])) { pen = false; continue; }
          d += (pen ? 'L' : 'M') + sx(x).toFixed(1) + ' ' + sy(y).toFixed(1); pen = true;
        }
        el('path', { d: d, fill: 'none', stroke: s.color, 'stroke-width': s.width || 1.3, 'stroke-dasharray': s.dash || 'none', class: 'curve', 'data-name': s.name || '' }, g);
      }
      for (const b of opts.boxes || []) {
        el('rect', { x: sx(b[0]), y: sy(b[3]), width: sx(b[1]) - sx(b[0]), height: sy(b[2]) - sy(b[3]), fill: 'none', stroke: b[4], 'stroke-width': 2, class: 'window-box' }, g);
      }
      for (const line of opts.lines || []) {
        if (line.x === null || line.x === undefined) continue;
        const x = sx(line.x);
        const vis = el('line', { x1: x, x2: x, y1: T, y2: H - B, stroke: line.color, 'stroke-width': 1.5, 'stroke-dasharray': '5 3' }, svg);
        if (!line.param) continue;
        const label = el('text', { x: x + 3, y: T + 12, 'font-size': 11, fill: line.color }, svg); label.textContent = line.param;
        const hit = el('line', { x1: x, x2: x, y1: T, y2: H - B, stroke: 'transparent', 'stroke-width': 12, class: 'handle', 'data-param': line.param, id: 'handle-' + line.param }, svg);
        hit.addEventListener('pointerdown', (ev) => {
          ev.preventDefault(); hit.setPointerCapture(ev.pointerId);
          const move = (e) => {
            const box = svg.getBoundingClientRect();
            const px = (e.clientX - box.left) / box.width * W;
            const value = Math.min(xr[1], Math.max(xr[0], svg.toData(px)));
            for (const n of [vis, hit]) { n.setAttribute('x1', sx(value)); n.setAttribute('x2', sx(value)); }
            label.setAttribute('x', sx(value) + 3);
            hit.dataset.value = String(line.toParam(value));
            return line.toParam(value);
          };
          const up = (e) => {
            hit.removeEventListener('pointermove', move); hit.removeEventListener('pointerup', up);
            drags += 1; document.body.dataset.drags = String(drags);
            setParam(line.param, Number(move(e).toPrecision(7)));
          };
          hit.addEventListener('pointermove', move); hit.addEventListener('pointerup', up);
        });
      }
    }
    function offsetSeries(results, pick) {
      const off = parseFloat($('offset').value) || 0;
      const out = [];
      results.forEach((r, i) => { for (const s of pick(r, i)) out.push(Object.assign(s, { y: s.y.map((v) => v === null ? null : v + i * off) })); });
      return out;
    }
    function heat(map) {
      return (g, sx, sy) => {
        let max = 0; for (const v of map.mag) if (v !== null && v > max) max = v;
        const nk = map.k.length, nr = map.r.length;
        const dk = nk > 1 ? map.k[1] - map.k[0] : 1, dr = nr > 1 ? map.r[1] - map.r[0] : 1;
        for (let j = 0; j < nr; j++) for (let i = 0; i < nk; i++) {
          const v = map.mag[j * nk + i]; if (v === null) continue;
          const t = max > 0 ? v / max : 0;
          const c = 'rgb(' + Math.round(255 * Math.min(1, 1.8 * t)) + ',' + Math.round(255 * Math.max(0, 1.6 * t - 0.6)) + ',' + Math.round(80 + 120 * (1 - t) * t * 2) + ')';
          el('rect', { x: sx(map.k[i] - dk / 2).toFixed(1), y: sy(map.r[j] + dr / 2).toFixed(1), width: (sx(dk) - sx(0) + 0.6).toFixed(1), height: (sy(0) - sy(dr) + 0.6).toFixed(1), fill: c }, g);
        }
      };
    }
    function draw() {
      const ok = last.results.filter((r) => !r.error);
      showUsed(ok[0]);
      drawNumbers();
      $('commands').textContent = (last.commands || []).join('\n');
      const first = ok[0];
      const color = (i) => colors[i % colors.length];
      const mus = ok.filter((r) => r.mu);
      if (mus.length) {
        const m = mus[0].mu, e0 = m.e0, u = first.used;
        const rel = (name) => u[name] === '' || u[name] === undefined ? null : e0 + Number(u[name]);
        plot('plot-mu', {
          xlabel: 'E (eV)', ylabel: 'mu(E)',
          series: offsetSeries(mus, (r, i) => [
            { x: r.mu.energy, y: r.mu.mu, color: color(i), name: r.name + ' mu' },
            { x: r.mu.energy, y: r.mu.pre_edge, color: '#888', dash: '4 3', name: r.name + ' pre-edge' },
            { x: r.mu.energy, y: r.mu.post_edge, color: '#555', dash: '2 2', name: r.name + ' post-edge' },
            { x: r.mu.energy, y: r.mu.bkg, color: '#2ca02c', name: r.name + ' background' }]),
          lines: [
            { x: e0, param: 'e0', color: '#d62728', toParam: (x) => x },
            { x: rel('pre1'), param: 'pre1', color: '#777', toParam: (x) => x - e0 },
            { x: rel('pre2'), param: 'pre2', color: '#777', toParam: (x) => x - e0 },
            { x: rel('norm1'), param: 'norm1', color: '#555', toParam: (x) => x - e0 },
            { x: rel('norm2'), param: 'norm2', color: '#555', toParam: (x) => x - e0 }],
        });
        const flat = $('flat').checked;
        $('norm-caption').textContent = flat ? 'flattened mu(E)' : 'normalized mu(E)';
        plot('plot-norm', {
          xlabel: 'E (eV)', ylabel: flat ? 'flattened mu(E)' : 'normalized mu(E)',
          xrange: [e0 - 50, e0 + 250],
          series: offsetSeries(mus, (r, i) => [{ x: r.mu.energy, y: flat ? r.mu.flat : r.mu.norm, color: color(i), name: r.name }]),
          lines: [{ x: e0, param: null, color: '#d62728' }],
        });
      }
      if (!first) return;
      const c = first.chik;
      $('chik-caption').textContent = 'k^' + c.kweight + ' chi(k) and window';
      let amp = 0; for (const v of c.kwchi) if (v !== null && Math.abs(v) > amp) amp = Math.abs(v);
      const kEnd = Math.min(c.k[c.k.length - 1], (c.kmax || c.k[c.k.length - 1]) + 3);
      plot('plot-chik', {
        xlabel: 'k (1/Å)', ylabel: 'k^' + c.kweight + ' chi(k)', xrange: [0, kEnd],
        series: offsetSeries(ok, (r, i) => [{ x: r.chik.k, y: r.chik.kwchi, color: color(i), name: r.name }])
          .concat([{ x: c.k, y: c.window.map((w) => w * amp * 1.05), color: '#999', name: 'window' }]),
        lines: [{ x: c.kmin, param: 'kmin', color: '#9467bd', toParam: (x) => x }, { x: c.kmax, param: 'kmax', color: '#9467bd', toParam: (x) => x }],
      });
      plot('plot-chir', {
        xlabel: 'R (Å)', ylabel: '|chi(R)|, Re chi(R)', xrange: [0, 6],
        series: offsetSeries(ok, (r, i) => [
          { x: r.chir.r, y: r.chir.mag, color: color(i), width: 1.8, name: r.name + ' |chi(R)|' },
          { x: r.chir.r, y: r.chir.re, color: color(i), dash: '3 2', width: 0.9, name: r.name + ' Re' }]),
        lines: first.mu ? [{ x: first.chir.rbkg, param: 'rbkg', color: '#2ca02c', toParam: (x) => x }] : [],
      });
      const wsvg = $('plot-wavelet');
      if (first.wavelet) {
        const w = first.wavelet, boxes = [];
        if (last.shell1) boxes.push(last.shell1.concat(['#ffffff']));
        if (last.hinge) boxes.push(last.hinge.concat(['#00e0ff']));
        plot('plot-wavelet', {
          xlabel: 'k (1/Å)', ylabel: 'R (Å)', xrange: [w.k[0], w.k[w.k.length - 1]], yrange: [w.r[0], w.r[w.r.length - 1]],
          series: [], heat: heat(w), boxes: boxes,
        });
      } else { while (wsvg.firstChild) wsvg.removeChild(wsvg.firstChild); }
    }
    function drawNumbers() {
      const t = $('numbers'); while (t.firstChild) t.removeChild(t.firstChild);
      const keys = [['e0', 'E0 (eV)', 3], ['edge_step', 'edge step', 5], ['nknots', 'knots', 0], ['first_shell_r', 'first-shell R (Å)', 4], ['first_shell_mag', 'max |chi(R)|', 5]];
      const head = document.createElement('tr');
      for (const h of ['group'].concat(keys.map((k) => k[1]))) { const th = document.createElement('th'); th.textContent = h; head.appendChild(th); }
      t.appendChild(head);
      for (const r of last.results) {
        const tr = document.createElement('tr'); tr.dataset.name = r.name;
        const td = document.createElement('td'); td.textContent = r.name; tr.appendChild(td);
        if (r.error) { const e = document.createElement('td'); e.colSpan = keys.length; e.className = 'error'; e.textContent = r.error; tr.appendChild(e); }
        else for (const [k, , digits] of keys) {
          const c = document.createElement('td'); const v = r.numbers[k];
          c.dataset.key = k; c.className = 'number';
          if (v !== undefined && v !== null) { c.dataset.value = String(v); c.textContent = Number(v).toFixed(digits); }
          tr.appendChild(c);
        }
        t.appendChild(tr);
      }
    }

    async function start() {
      const r = await fetch(url('/api/groups'));
      if (!r.ok) { status('HTTP ' + r.status, 'error'); return; }
      info = await r.json();
      const box = $('groups');
      info.groups.forEach((g, i) => {
        const label = document.createElement('label');
        const c = document.createElement('input'); c.type = 'checkbox'; c.dataset.id = g.id; c.checked = i === 0;
        c.addEventListener('change', refresh);
        label.appendChild(c); label.appendChild(document.createTextNode(' ' + (g.label || g.name) + ' '));
        const f = document.createElement('small'); f.textContent = g.file; label.appendChild(f);
        label.title = 'stored parameters: ' + JSON.stringify(g.stored);
        box.appendChild(label);
      });
      for (const f of info.failures) { const d = document.createElement('div'); d.className = 'error'; d.textContent = f; $('failures').appendChild(d); }
      $('eta').value = info.wavelet.eta; $('sigma').value = info.wavelet.sigma;
      $('shell1').value = info.shell1.join(', '); $('hinge').value = info.hinge.join(', ');
      buildControls();
      for (const id of ['offset', 'flat']) $(id).addEventListener('change', () => { if (last) draw(); });
      for (const id of ['wavelet-on', 'eta', 'sigma', 'shell1', 'hinge']) $(id).addEventListener('change', refresh);
      $('reset').addEventListener('click', () => {
        touched = {};
        for (const i of document.querySelectorAll('.param input, .param select')) i.classList.remove('touched');
        refresh();
      });
      $('save').addEventListener('click', async () => {
        try {
          const j = await post('/api/save', request());
          $('saved').textContent = 'Saved ' + j.project + '\n' + j.commands.join('\n');
          $('saved').dataset.project = j.project;
          status('saved ' + j.project);
        } catch (e) { status(String(e.message || e), 'error'); }
      });
      $('export').addEventListener('click', async () => {
        try {
          const j = await post('/api/export', request());
          $('saved').textContent = 'Exported to ' + j.folder + ': ' + j.files.join(', ');
          $('saved').dataset.exported = j.files.join(',');
          status('exported ' + j.files.length + ' files');
        } catch (e) { status(String(e.message || e), 'error'); }
      });
      refresh();
    }
    document.addEventListener('DOMContentLoaded', start);
    """#
}
