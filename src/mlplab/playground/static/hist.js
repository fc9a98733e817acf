// Per-layer small multiples, two rows: the activations a = g(z) of each hidden layer over
// the training set, with the fraction of dead units (never active) and of saturated
// values (|a| near its bound); below them, each weight layer's gradient ∂J/∂W from the
// last mini-batch (symmetric range ±max|g|, with mean |g|).
export function renderHist(root, hist, gradHist) {
  const rows = [['act', hist || {}], ['grad', gradHist || {}]];
  const key = rows.map(([kind, h]) => `${kind}:${Object.keys(h)}`).join('|');
  if (root.dataset.key !== key) {
    root.dataset.key = key;
    root.innerHTML = '';
    for (const [kind, h] of rows) {
      const row = document.createElement('div');
      row.className = `hist-row hist-${kind}`; row.dataset.testid = `hist-row-${kind}`;
      for (const name of Object.keys(h)) {
        const fig = document.createElement('figure');
        const id = kind === 'act' ? `hist-${name}` : `hist-grad-${name}`;
        fig.innerHTML = `<canvas width="96" height="40"></canvas><figcaption data-testid="${id}"></figcaption>`;
        row.appendChild(fig);
      }
      root.appendChild(row);
    }
  }
  rows.forEach(([kind, h], r) => {
    Object.keys(h).forEach((name, i) => {
      const v = h[name], fig = root.children[r].children[i];
      draw(fig.querySelector('canvas'), v.counts, kind === 'act' ? '#0877bd' : '#f59322');
      const range = `[${fmt(v.edges[0])}, ${fmt(v.edges[v.edges.length - 1])}]`;
      fig.querySelector('figcaption').textContent = kind === 'act'
        ? `${name}: ${range} dead ${(100 * v.dead).toFixed(0)}% · sat ${(100 * v.saturated).toFixed(0)}%`
        : `∂J/∂W ${name}: ${range} mean|g| ${fmt(v.abs_mean)}`;
    });
  });
}

// Gradients span many decades: 2 significant digits, exponent when small or large.
const fmt = (x) => (Math.abs(x) >= 0.1 && Math.abs(x) < 1000 ? x.toFixed(1) : Number(x).toPrecision(2));

function draw(canvas, counts, colour) {
  const ctx = canvas.getContext('2d'), W = canvas.width, H = canvas.height;
  ctx.clearRect(0, 0, W, H);
  const top = Math.max(1, ...counts), w = W / counts.length;
  ctx.fillStyle = colour;
  counts.forEach((c, i) => { const h = c / top * (H - 2); ctx.fillRect(i * w, H - h, Math.max(1, w - 1), h); });
}
