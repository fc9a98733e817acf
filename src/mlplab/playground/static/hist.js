// Per-hidden-layer histograms of the activations a = g(z) over the training set, with the
// fraction of dead units (never active) and of saturated ones (|a| near its bound).
export function renderHist(root, hist) {
  const layers = Object.keys(hist || {});
  if (root.childElementCount !== layers.length) {
    root.innerHTML = '';
    for (const name of layers) {
      const fig = document.createElement('figure');
      fig.innerHTML = `<canvas width="96" height="40"></canvas><figcaption data-testid="hist-${name}"></figcaption>`;
      root.appendChild(fig);
    }
  }
  layers.forEach((name, i) => {
    const h = hist[name], fig = root.children[i];
    draw(fig.querySelector('canvas'), h.counts);
    fig.querySelector('figcaption').textContent =
      `${name}: [${h.edges[0].toFixed(1)}, ${h.edges[h.edges.length - 1].toFixed(1)}] ` +
      `dead ${(100 * h.dead).toFixed(0)}% · sat ${(100 * h.saturated).toFixed(0)}%`;
  });
}

function draw(canvas, counts) {
  const ctx = canvas.getContext('2d'), W = canvas.width, H = canvas.height;
  ctx.clearRect(0, 0, W, H);
  const top = Math.max(1, ...counts), w = W / counts.length;
  ctx.fillStyle = '#0877bd';
  counts.forEach((c, i) => { const h = c / top * (H - 2); ctx.fillRect(i * w, H - h, Math.max(1, w - 1), h); });
}
