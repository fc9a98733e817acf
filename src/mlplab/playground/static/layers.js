// Per-hidden-layer controls above each column of the network: ＋/− neurons (1–8), the
// layer's activation, dropout p, Gaussian-noise σ, and BatchNorm / LayerNorm toggles.
// The server holds these as lists with one entry per hidden layer ([] = off everywhere).
import { hiddenColumnsX } from './network.js';

export const PER_LAYER = ['layerActivations', 'dropout', 'gaussianNoise', 'batchNorm', 'layerNorm'];
const MAX_LAYERS = 6, MAX_UNITS = 8;
// The value that adds no layer; 'layerActivations' falls back to the shared activation.
const OFF = { dropout: 0, gaussianNoise: 0, batchNorm: false, layerNorm: false };
const NUMBER = { dropout: { label: 'p', title: 'Dropout p: each activation is zeroed with probability p while training', step: 0.1 },
  gaussianNoise: { label: 'σ', title: 'Gaussian noise σ added to the activations while training', step: 0.1 } };
const TOGGLE = { batchNorm: { label: 'BN', title: 'BatchNorm1d on z' },
  layerNorm: { label: 'LN', title: 'LayerNorm on z' } };

/** Whether the server holds this setting per layer (a list) rather than one for all. */
export const isPerLayer = (fields, key) => Boolean(fields[key]) && Array.isArray(fields[key].spec.default);

const fallback = (config, fields, key) => (key === 'layerActivations' ? config[fields.activation?.name] : OFF[key]);

/** The value a per-layer field has at layer i (a list, or one value for every layer). */
function at(value, i, off) {
  if (Array.isArray(value)) return value[i] ?? off;
  return value ?? off;
}

/** Resize every non-empty per-layer list to n layers, new layers copying the last one. */
function resized(config, fields, n) {
  const out = {};
  for (const key of PER_LAYER) {
    if (!isPerLayer(fields, key)) continue;
    const v = config[fields[key].name];
    if (!Array.isArray(v) || v.length === 0) continue;   // [] means "off" (or "shared") for any depth
    out[fields[key].name] = Array.from({ length: n }, (_, i) => v[Math.min(i, v.length - 1)]);
  }
  return out;
}

/** Config changes for adding (+1) or removing (−1) a hidden layer. */
export function layerCountChange(config, fields, delta) {
  const shape = [...config[fields.networkShape.name]];
  if (delta > 0 && shape.length < MAX_LAYERS) shape.push(2);
  if (delta < 0 && shape.length > 0) shape.pop();
  return { [fields.networkShape.name]: shape, ...resized(config, fields, shape.length) };
}

function perLayerValue(config, fields, key, i, value) {
  const f = fields[key], shape = config[fields.networkShape.name];
  const list = shape.map((_, k) => at(config[f.name], k, fallback(config, fields, key)));
  list[i] = value;
  return { [f.name]: list };
}

function box(i, units, config, fields, send) {
  const div = document.createElement('div');
  div.className = 'layer-box'; div.dataset.testid = `layer-${i}`;
  const pm = document.createElement('div'); pm.className = 'pm'; pm.dataset.ctl = `numNodes${i + 1}`;
  const shapeName = fields.networkShape.name;
  for (const [sign, d] of [['+', 1], ['−', -1]]) {
    const b = document.createElement('button'); b.type = 'button'; b.textContent = sign;
    b.dataset.testid = `layer-${i}-${d > 0 ? 'plus' : 'minus'}`;
    b.setAttribute('aria-label', `${d > 0 ? 'Add' : 'Remove'} a neuron in layer ${i + 1}`);
    b.addEventListener('click', () => {
      const shape = [...config[shapeName]];
      shape[i] = Math.max(1, Math.min(MAX_UNITS, shape[i] + d));
      send({ [shapeName]: shape });
    });
    pm.appendChild(b);
  }
  pm.append(` ${units} neuron${units > 1 ? 's' : ''}`);
  div.appendChild(pm);
  const rows = { numbers: document.createElement('div'), toggles: document.createElement('div') };
  rows.numbers.className = 'flags'; rows.toggles.className = 'flags';
  for (const key of PER_LAYER) {
    if (!isPerLayer(fields, key)) continue;
    const input = layerInput(key, i, config, fields, send);
    if (key === 'layerActivations') div.appendChild(input);
    else (key in NUMBER ? rows.numbers : rows.toggles).appendChild(input);
  }
  div.append(rows.numbers, rows.toggles);
  return div;
}

function layerInput(key, i, config, fields, send) {
  const f = fields[key], id = `layer-${i}-${key}`;
  const cur = at(config[f.name], i, fallback(config, fields, key));
  const label = document.createElement('label'); label.htmlFor = id;
  let input;
  if (key === 'layerActivations') {
    input = document.createElement('select');
    for (const c of fields.activation?.spec.choices || f.spec.choices || []) input.add(new Option(c, c));
    input.value = cur; input.title = `Activation of layer ${i + 1}`;
    label.textContent = 'g'; label.title = input.title;   // g(z), as in a = g(z)
    input.setAttribute('aria-label', input.title);       // "g" alone says too little
  } else if (key in NUMBER) {
    input = document.createElement('input'); input.type = 'number';
    input.min = f.spec.min ?? 0; input.max = f.spec.max ?? 1; input.step = NUMBER[key].step;
    input.value = cur; label.textContent = NUMBER[key].label; input.title = `${NUMBER[key].title} (layer ${i + 1})`;
  } else {
    input = document.createElement('input'); input.type = 'checkbox'; input.checked = Boolean(cur);
    label.textContent = TOGGLE[key].label; input.title = `${TOGGLE[key].title} (layer ${i + 1})`;
  }
  input.id = id; input.dataset.testid = id;
  input.addEventListener('change', () => {
    const v = input.type === 'checkbox' ? input.checked : input.type === 'number' ? Number(input.value) : input.value;
    send(perLayerValue(config, fields, key, i, v));
  });
  const wrap = document.createElement('span');
  wrap.dataset.ctl = f.spec.url_key;
  if (input.type === 'checkbox') wrap.append(input, label); else wrap.append(label, input);
  return wrap;
}

let builtKey = '';
/** Rebuild the strip when the config's per-layer part changed. */
export function renderLayers(root, config, fields, send) {
  const shape = config[fields.networkShape.name] || [];
  const key = JSON.stringify([shape, ...PER_LAYER.map((k) => fields[k] && config[fields[k].name]), config[fields.activation?.name]]);
  const xs = hiddenColumnsX();
  if (key === builtKey && root.childElementCount === shape.length) return;
  builtKey = key;
  root.innerHTML = '';
  shape.forEach((units, i) => {
    const b = box(i, units, config, fields, send);
    b.style.left = `${(xs[i] ?? 90 + i * 100) - 40}px`;   // centred on the 30 px column
    root.appendChild(b);
  });
}
