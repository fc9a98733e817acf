// The loss curve: train (grey) and test (black) loss per epoch with axes, a hover readout,
// a log-y toggle, and debiased EMA smoothing  s_t = β s_{t−1} + (1 − β) x_t,  ŝ_t = s_t / (1 − β^t).

/** Debiased exponential moving average of a series (β = 0 returns it unchanged). */
export function smooth(xs, beta) {
  if (!beta) return xs;
  let s = 0, t = 0;
  return xs.map((x) => {
    if (!Number.isFinite(x)) return x;
    t += 1; s = beta * s + (1 - beta) * x;
    return s / (1 - beta ** t);
  });
}

const PAD = { l: 40, r: 6, t: 6, b: 16 };

export function drawChart(canvas, scalars, opts) {
  const ctx = canvas.getContext('2d'), W = canvas.width, H = canvas.height;
  ctx.clearRect(0, 0, W, H);
  if (!scalars.length) return;
  const f = opts.logY ? (v) => Math.log10(Math.max(v, 1e-12)) : (v) => v;
  const train = smooth(scalars.map((s) => s.loss), opts.beta).map(f);
  const test = smooth(scalars.map((s) => s.test_loss), opts.beta).map(f);
  const finite = [...train, ...test].filter(Number.isFinite);
  if (!finite.length) return;
  let lo = Math.min(...finite), hi = Math.max(...finite);
  if (hi - lo < 1e-9) { hi += 0.5; lo -= 0.5; }
  const e0 = scalars[0].epoch, e1 = Math.max(scalars[scalars.length - 1].epoch, e0 + 1);
  const X = (e) => PAD.l + (e - e0) / (e1 - e0) * (W - PAD.l - PAD.r);
  const Y = (v) => PAD.t + (hi - v) / (hi - lo) * (H - PAD.t - PAD.b);
  axes(ctx, W, H, lo, hi, e0, e1, opts.logY);
  line(ctx, scalars, train, X, Y, '#777');
  line(ctx, scalars, test, X, Y, '#000');
  canvas._map = { X, e0, e1, W };
}

function axes(ctx, W, H, lo, hi, e0, e1, logY) {
  // lineWidth too: the context keeps the curves' 1.2 from the previous draw
  ctx.strokeStyle = '#bbb'; ctx.lineWidth = 1; ctx.fillStyle = '#666'; ctx.font = '10px sans-serif';
  ctx.beginPath(); ctx.moveTo(PAD.l, PAD.t); ctx.lineTo(PAD.l, H - PAD.b); ctx.lineTo(W - PAD.r, H - PAD.b); ctx.stroke();
  const lab = (v) => (logY ? `1e${v.toFixed(1)}` : v.toPrecision(2));
  ctx.textAlign = 'right';
  ctx.fillText(lab(hi), PAD.l - 3, PAD.t + 8); ctx.fillText(lab(lo), PAD.l - 3, H - PAD.b);
  ctx.textAlign = 'left'; ctx.fillText(String(e0), PAD.l, H - 3);
  ctx.textAlign = 'right'; ctx.fillText(`epoch ${e1}`, W - PAD.r, H - 3);
}

function line(ctx, scalars, ys, X, Y, colour) {
  ctx.strokeStyle = colour; ctx.lineWidth = 1.2; ctx.beginPath();
  let pen = false;
  ys.forEach((y, i) => {
    if (!Number.isFinite(y)) { pen = false; return; }
    const px = X(scalars[i].epoch), py = Y(y);
    if (pen) ctx.lineTo(px, py); else ctx.moveTo(px, py);
    pen = true;
  });
  ctx.stroke();
}

/** The scalars row nearest the mouse's x, for the readout. */
export function rowAt(canvas, clientX, scalars) {
  const m = canvas._map;
  if (!m || !scalars.length) return null;
  const r = canvas.getBoundingClientRect();
  const x = (clientX - r.left) * (canvas.width / r.width);
  const e = m.e0 + (x - PAD.l) / (m.W - PAD.l - PAD.r) * (m.e1 - m.e0);
  let best = scalars[0];
  for (const s of scalars) if (Math.abs(s.epoch - e) < Math.abs(best.epoch - e)) best = s;
  return best;
}

/** The schedule's planned lr over the coming epochs (grey, from the server's
 *  ``lr_plan``), with the lr of the epochs already run drawn over it in blue. */
export function drawLr(canvas, plan, scalars) {
  const ctx = canvas.getContext('2d'), W = canvas.width, H = canvas.height;
  ctx.clearRect(0, 0, W, H);
  canvas._series = plan;  // what was drawn, for tests
  if (!plan || !plan.epochs.length) return;
  const run = scalars.filter((s) => Number.isFinite(s.lr));
  const all = [...plan.lr, ...run.map((s) => s.lr)];
  const hi = Math.max(...all), lo = Math.min(0, ...all);
  const end = Math.max(plan.epochs[plan.epochs.length - 1], 1);
  const X = (e) => 2 + e / end * (W - 4), Y = (v) => H - 10 - (v - lo) / (hi - lo || 1) * (H - 14);
  const path = (es, vs, colour, width) => {
    ctx.strokeStyle = colour; ctx.lineWidth = width; ctx.beginPath();
    es.forEach((e, i) => (i ? ctx.lineTo(X(e), Y(vs[i])) : ctx.moveTo(X(e), Y(vs[i]))));
    ctx.stroke();
  };
  path(plan.epochs, plan.lr, '#bbb', 1);
  if (run.length) path(run.map((s) => s.epoch), run.map((s) => s.lr), '#0877bd', 2);
  ctx.fillStyle = '#666'; ctx.font = '10px sans-serif';
  ctx.fillText(`max ${hi.toPrecision(2)}`, 2, 10);
  ctx.textAlign = 'right'; ctx.fillText(`epoch ${end}`, W - 2, H - 1); ctx.textAlign = 'left';
}
