// The colour legend under the heatmap. It says what the colours measure:
// binary classification: a bar from class 0 (orange) to class 1 (blue) over the output's
// scale (p(class 1) from 0 to 1, or TF's tanh output from −1 to 1); K > 2 classes: one
// swatch per class, paler = less sure; regression: a bar over the value scale of the
// predicted target ŷ (no class names), with the targets' range in the data beside it.
import { CLASS_HUES, css, diverging } from './colors.js';

const $ = (id) => document.getElementById(id);
const num = (v) => (Math.round(v * 100) / 100).toString().replace('-', '−');
let builtKey = '';

/** Paint the 31-shade bar (the same lookup table as the heatmap). */
export function paintLegendBar() {
  const bar = $('legend-bar'), lut = diverging(false);
  const bytes = Uint8Array.from({ length: bar.width }, (_, i) => Math.round(i / (bar.width - 1) * 255));
  const ctx = bar.getContext('2d'), img = ctx.createImageData(bar.width, bar.height);
  for (let r = 0; r < bar.height; r++) {
    bytes.forEach((b, c) => img.data.set(lut.subarray(4 * b, 4 * b + 4), 4 * (r * bar.width + c)));
  }
  ctx.putImageData(img, 0, 0);
}

/** Smallest and largest regression target among the training and test points. */
function targetRange(data) {
  const t = [...(data?.train || []), ...(data?.test || [])].map((row) => row[2]);
  return t.length ? [Math.min(...t), Math.max(...t)] : null;
}

/** Update the legend for a snapshot's `heat` (quantity, scale, classes) and the data. */
export function renderLegend(state, data) {
  const heat = state.heat;
  if (!heat) return;
  const regression = state.config.problem === 'regression';
  const k = heat.classes ?? 2;
  const range = regression ? targetRange(data) : null;
  const key = JSON.stringify([regression, k, heat.quantity, heat.scale, range]);
  if (key === builtKey) return;
  builtKey = key;
  const [lo, hi] = heat.scale || [-1, 1];
  const many = !regression && k > 2;
  const root = $('legend');
  root.dataset.kind = regression ? 'regression' : many ? 'classes' : 'binary';
  $('legend-title').textContent = regression ? `Colour = ${heat.quantity || 'predicted target ŷ'} (clipped to the scale)` :
    many ? 'Colour = the most likely class; paler = less sure' : `Colour = ${heat.quantity || 'output'}`;
  $('legend-bar').hidden = many;
  $('legend-ticks').hidden = many;
  $('legend-min').textContent = num(lo);
  $('legend-mid').textContent = num((lo + hi) / 2);
  $('legend-max').textContent = num(hi);
  const names = $('legend-classes');
  names.innerHTML = '';
  if (!regression) {
    for (let c = 0; c < Math.max(k, 2); c++) {
      const s = document.createElement('span');
      s.dataset.testid = `legend-class-${c}`;
      const sw = document.createElement('i'); sw.style.background = css(CLASS_HUES[c % CLASS_HUES.length]);
      s.append(sw, `class ${c}`);
      names.appendChild(s);
    }
  }
  names.hidden = regression;
  names.classList.toggle('ends', !many);
  $('legend-range').textContent = range ? `targets in the data: ${num(range[0])} to ${num(range[1])}` : '';
}
