// Representation view: the input grid and the data pushed through the network up to one
// hidden layer, drawn in the plane of two of its neurons (how each layer bends space).
import { labelCss } from './colors.js';

export function fillChoices(state) {
  const layers = state.network.layers.filter((l) => l.kind === 'hidden');
  const layerSel = document.getElementById('rep-layer');
  const key = JSON.stringify(layers.map((l) => l.units));
  if (layerSel.dataset.key === key) return;
  layerSel.dataset.key = key;
  const keep = layerSel.value;
  layerSel.innerHTML = '';
  layers.forEach((l, i) => layerSel.add(new Option(`hidden ${i + 1} (${l.units})`, String(i))));
  if (keep && Number(keep) < layers.length) layerSel.value = keep;
  const units = () => layers[Number(layerSel.value)]?.units ?? 0;
  const fillUnits = () => {
    for (const [id, dflt] of [['rep-i', 0], ['rep-j', 1]]) {
      const s = document.getElementById(id);
      s.innerHTML = '';
      for (let u = 0; u < units(); u++) s.add(new Option(`N${u}`, String(u)));
      s.value = String(Math.min(dflt, Math.max(0, units() - 1)));
    }
  };
  layerSel.onchange = fillUnits;
  fillUnits();
}

export async function drawRepresentation(classes) {
  const status = document.getElementById('rep-status');
  const q = ['layer', 'i', 'j'].map((k) => `${k}=${document.getElementById(`rep-${k}`).value}`).join('&');
  const r = await fetch(`/api/representation?${q}`);
  const d = await r.json();
  if (!r.ok) { status.textContent = d.error || `HTTP ${r.status}`; status.classList.add('error'); return; }
  status.classList.remove('error');
  status.textContent = `${d.lines?.length ?? 0} grid lines, ${d.points?.length ?? 0} points`;
  paint(document.getElementById('rep-canvas'), d, classes);
}

function paint(canvas, d, classes) {
  const ctx = canvas.getContext('2d'), W = canvas.width;
  ctx.clearRect(0, 0, W, W);
  const all = [...(d.lines || []).flat(), ...(d.points || [])].filter((p) => p.every?.(Number.isFinite) ?? true);
  if (!all.length) return;
  const xs = all.map((p) => p[0]), ys = all.map((p) => p[1]);
  const x0 = Math.min(...xs), x1 = Math.max(...xs), y0 = Math.min(...ys), y1 = Math.max(...ys);
  const X = (v) => 8 + (v - x0) / (x1 - x0 || 1) * (W - 16), Y = (v) => W - 8 - (v - y0) / (y1 - y0 || 1) * (W - 16);
  ctx.strokeStyle = 'rgba(0,0,0,0.25)'; ctx.lineWidth = 1;
  for (const line of d.lines || []) {
    ctx.beginPath();
    line.forEach((p, k) => (k ? ctx.lineTo(X(p[0]), Y(p[1])) : ctx.moveTo(X(p[0]), Y(p[1]))));
    ctx.stroke();
  }
  for (const p of d.points || []) {
    ctx.beginPath(); ctx.arc(X(p[0]), Y(p[1]), 2.5, 0, 2 * Math.PI);
    ctx.fillStyle = labelCss(p[2], classes); ctx.fill();
  }
}
