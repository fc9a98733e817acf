// Builds every control from /api/schema and places it: the top bar (TF's row), the data
// column (dataset thumbnails, sliders), the view toggles, and the "settings" grid for the rest.
import { b64bytes, CLASS_HUES, shade } from './colors.js';
import { makeControl } from './fields.js';
import { showMessage } from './message.js';
import { PER_LAYER } from './layers.js';

const TOP = ['learningRate', 'activation', 'regularization', 'regularizationRate', 'problem'];
const DATA = ['percTrainData', 'noise', 'batchSize', 'numSamples', 'standardize'];
const VIEW = ['showTestData', 'discretize'];
export const FEATURES = ['x', 'y', 'xSquared', 'ySquared', 'xTimesY', 'sinX', 'sinY', 'cosX', 'cosY'];
const SPECIAL = new Set([...FEATURES, 'networkShape', 'dataset', 'regDataset', 'hide']);
// Sliders keep TF's ranges, narrower than the schema's limits. A URL value past `max` is
// still valid for noise (up to the schema's 80): then the slider widens to show it.
const SLIDERS = { noise: { step: 5, min: 0, max: 50, widen: true }, percTrainData: { step: 10 },
  batchSize: { step: 1, min: 1, max: 30 } };

/** Fields keyed by URL key: {urlKey: {name, spec}}. */
export function indexFields(schema) {
  const out = {};
  for (const [name, spec] of Object.entries(schema.fields)) out[spec.url_key || name] = { name, spec };
  return out;
}

/** Create every control; returns {urlKey: setter(value)} to reflect the config. */
export function buildControls(schema, fields, send) {
  const setters = {};
  const place = (key, parent) => {
    const f = fields[key];
    if (!f || setters[key]) return;
    const c = makeControl(f.name, f.spec, (v) => send({ [f.name]: v }));
    const s = SLIDERS[key];
    if (s) {
      c.input.type = 'range'; c.input.step = s.step;
      if (s.min !== undefined) { c.input.min = s.min; c.input.max = s.max; }
      // Set max before the value: a range input clamps its value to max.
      const fit = (v) => { if (s.widen) c.input.max = v > s.max ? f.spec.max : s.max; };
      const out = document.createElement('output'); out.dataset.testid = `value-${key}`;
      c.wrap.querySelector('label').append(': ', out);
      const show = () => { out.textContent = c.input.value; };
      c.input.addEventListener('input', show);
      setters[key] = (v) => { fit(v); c.set(v); show(); };
    } else setters[key] = c.set;
    parent.appendChild(c.wrap);
    if (key === 'learningRate') setters[key] = lrField(c, f, send);
  };
  TOP.forEach((k) => place(k, document.getElementById('top-controls')));
  DATA.forEach((k) => place(k, document.getElementById('data-controls')));
  VIEW.forEach((k) => place(k, document.getElementById('view-controls')));
  const rest = document.getElementById('advanced-controls');
  const perLayer = (k) => PER_LAYER.includes(k) && Array.isArray(fields[k].spec.default);
  for (const key of Object.keys(fields)) if (!SPECIAL.has(key) && !perLayer(key)) place(key, rest);
  if (fields.batchSize) setters.batchSize = fullBatch(setters.batchSize, fields.batchSize, send);
  return setters;
}

/** Batch size: TF's 1–30 slider plus a "full batch" box (batch size 0 on the server). */
function fullBatch(setSlider, f, send) {
  const slider = document.getElementById('ctl-batchSize');
  const box = document.createElement('input');
  box.type = 'checkbox'; box.id = 'ctl-fullBatch'; box.dataset.testid = 'ctl-fullBatch';
  const label = document.createElement('label');
  label.htmlFor = box.id; label.textContent = ' full batch';
  box.addEventListener('change', () => send({ [f.name]: box.checked ? 0 : Number(slider.value) || 10 }));
  slider.parentElement.append(box, label);
  return (v) => { box.checked = v === 0; slider.disabled = v === 0; if (v !== 0) setSlider(v); };
}

/** The learning rate: TF's dropdown plus a free numeric field beside it. */
function lrField(c, f, send) {
  const free = document.createElement('input');
  free.type = 'number'; free.step = 'any'; free.min = 0;
  free.id = 'ctl-learningRate-free'; free.dataset.testid = 'ctl-learningRate-free';
  free.setAttribute('aria-label', 'Learning rate (any value)');
  let current = f.spec.default;
  free.addEventListener('change', async () => {
    // A number box reads "" for text: say so here rather than send 0 ("got 0" misleads).
    if (free.value === '') {
      showMessage({ level: 'error', text: 'Learning rate: type a number greater than 0, e.g. 0.03' }, true);
      free.value = current;
      return;
    }
    // Refused (e.g. −1): the server's one-line message shows; the box shows the rate in use.
    if (await send({ [f.name]: Number(free.value) }) === null) free.value = current;
  });
  c.wrap.appendChild(free);
  return (v) => { current = v; c.set(v); if (document.activeElement !== free) free.value = v; };
}

/** Dataset thumbnails for the current problem type; the chosen one is outlined. */
export function renderDatasets(root, schema, fields, config, send) {
  const problem = fields.problem ? config[fields.problem.name] : 'classification';
  const field = problem === 'regression' ? fields.regDataset : fields.dataset;
  if (!field) return;
  const current = config[field.name];
  const key = `${problem}:${current}`;
  if (root.dataset.key === key) return;
  root.dataset.key = key;
  root.innerHTML = '';
  root.dataset.ctl = field.spec.url_key;
  for (const [name, d] of Object.entries(schema.datasets)) {
    if ((d.problem || 'classification') !== problem) continue;
    if (field.spec.choices && !field.spec.choices.includes(name)) continue;
    const b = document.createElement('button');
    b.type = 'button'; b.title = name; b.dataset.testid = `dataset-${name}`;
    b.setAttribute('aria-label', `Dataset ${name}`);
    b.classList.toggle('selected', name === current);
    const canvas = document.createElement('canvas'); canvas.width = 16; canvas.height = 16;
    paintThumb(canvas, d);
    b.appendChild(canvas);
    b.addEventListener('click', () => send({ [field.name]: name }));
    root.appendChild(b);
  }
}

function paintThumb(canvas, d) {
  if (!d.thumb) return;
  const bytes = b64bytes(d.thumb);
  const n = Math.round(Math.sqrt(bytes.length));
  // 0: no point in the cell; else 1 + class (or 1 + the target as a byte in 0..254).
  const ctx = canvas.getContext('2d'), img = ctx.createImageData(n, n);
  for (let i = 0; i < n * n; i++) {
    if (!bytes[i]) { img.data.set([250, 250, 250, 255], 4 * i); continue; }
    const rgb = d.problem === 'regression' ? shade((bytes[i] - 1) / 254 * 2 - 1) :
      CLASS_HUES[(bytes[i] - 1) % CLASS_HUES.length];
    img.data.set([...rgb, 255], 4 * i);
  }
  ctx.putImageData(img, 0, 0);
}
