// Neuron inspector: for the clicked neuron and the point under the mouse, the server's
// numbers for z = Σᵢ wᵢ aᵢ + b and a = g(z), written out term by term.
import { getJSON } from './api.js';

let selected = null, point = { x: 0, y: 0 }, busy = false, again = false, network = null;
const body = () => document.getElementById('inspector-body');
const n = (v) => (Number.isFinite(v) ? Number(v).toPrecision(3) : String(v));

export function selectNeuron(sel) { selected = sel; refresh(); }
export function setPoint(p) { point = p; if (selected) refresh(); }
export const selectedNeuron = () => selected;
/** The weights shown are the latest snapshot's. */
export function inspectorNetwork(net) { network = net; }

/** Ask the server (one request in flight; the newest point wins). */
export async function refresh() {
  if (!selected) return;
  if (busy) { again = true; return; }
  busy = true;
  const at = { ...point };   // the numbers belong to this point, even if the mouse moved on
  try {
    const r = await fetch(`/api/inspect?x=${at.x}&y=${at.y}`);
    const d = await r.json();
    body().textContent = r.ok ? describe(d, at) : (d.error || `HTTP ${r.status}`);
  } catch (err) {
    body().textContent = `Inspector unavailable: ${err.message}`;
  } finally {
    busy = false;
    if (again) { again = false; refresh(); }
  }
}

/** z = Σ wᵢ aᵢ + b term by term, from the server's a^[l−1], z^[l], a^[l] at the point. */
function describe(d, at) {
  const { layer: L, unit: j } = selected;
  const name = selected.id || `layer ${L} unit ${j}`;
  const a = L === 0 ? d.features : d.layers[L - 1]?.a;
  const w = network?.weights[L]?.[j] || [], b = network?.biases[L]?.[j];
  const names = L === 0 ? d.inputs : (a || []).map((_, i) => `L${L - 1}N${i}`);
  const terms = w.map((wi, i) => `${n(wi)}·${n(a?.[i])}`).join(' + ');
  return [
    `${name} at the point (x, y) = (${at.x}, ${at.y})`,
    `inputs a: ${(names || []).map((s, i) => `${s}=${n(a?.[i])}`).join(', ')}`,
    `z = Σ wᵢ aᵢ + b = ${terms} + ${n(b)}`,
    `  = ${n(d.layers[L]?.z[j])}`,
    `a = ${d.activations?.[L] || 'g'}(z) = ${n(d.layers[L]?.a[j])}`,
  ].join('\n');
}
