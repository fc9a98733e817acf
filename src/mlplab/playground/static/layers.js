// Per-hidden-layer controls above each column of the network: ＋/− neurons (1–8), the
// layer's activation, dropout p, and BatchNorm / LayerNorm / Gaussian-noise toggles.
import { hiddenColumnsX } from './network.js';

export const PER_LAYER = ['layerActivations', 'dropout', 'batchNorm', 'layerNorm', 'gaussianNoise'];
const MAX_LAYERS = 6, MAX_UNITS = 8;

/** Whether the server holds this setting per layer (a list) rather than one for all. */
export const isPerLayer = (fields, key) => Boolean(fields[key]) && Array.isArray(fields[key].spec.default);

/** The value a per-layer field has at layer i (a list, or one value for every layer). */
function at(value, i, fallback) {
  if (Array.isArray(value)) return value[i] ?? fallback;
  return value ?? fallback;
}

/** Resize every per-layer list to n layers, new layers copying the last one. */
function resized(config, fields, n) {
  const out = {};
  for (const key of PER_LAYER) {
    const f = fields[key];
    if (!isPerLayer(fields, key)) continue;
    const v = config[f.name];
    if (!Array.isArray(v) || (v.length === 0 && key === 'layerActivations')) continue;
    out[f.name] = Array.from({ length: n }, (_, i) => v[Math.min(i, v.length - 1)] ?? f.spec.default?.[0]);
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
  const cur = config[f.name];
  const list = shape.map((_, k) => at(cur, k, key === 'layerActivations' ? config[fields.activation?.name] : f.spec.default?.[0] ?? f.spec.default));
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
  for (const key of PER_LAYER) if (isPerLayer(fields, key)) div.appendChild(layerInput(key, i, config, fields, send));
  return div;
}

function layerInput(key, i, config, fields, send) {
  const f = fields[key], id = `layer-${i}-${key}`;
  const cur = at(config[f.name], i, key === 'layerActivations' ? config[fields.activation?.name] : undefined);
  const label = document.createElement('label'); label.htmlFor = id;
  let input;
  if (key === 'layerActivations') {
    input = document.createElement('select');
    for (const c of fields.activation?.spec.choices || f.spec.choices || []) input.add(new Option(c, c));
    input.value = cur; label.textContent = ''; input.title = `Activation of layer ${i + 1}`;
  } else if (key === 'dropout') {
    input = document.createElement('input'); input.type = 'number'; input.min = 0; input.max = 0.9; input.step = 0.1;
    input.value = cur ?? 0; label.textContent = 'dropout p ';
  } else {
    input = document.createElement('input'); input.type = 'checkbox'; input.checked = Boolean(cur);
    label.textContent = { batchNorm: 'BN', layerNorm: 'LN', gaussianNoise: 'noise' }[key];
  }
  input.id = id; input.dataset.testid = id;
  input.addEventListener('change', () => {
    const v = input.type === 'checkbox' ? input.checked : input.type === 'number' ? Number(input.value) : input.value;
    send(perLayerValue(config, fields, key, i, v));
  });
  const wrap = document.createElement(key === 'batchNorm' || key === 'layerNorm' || key === 'gaussianNoise' ? 'span' : 'div');
  wrap.dataset.ctl = f.spec.url_key;
  wrap.append(label, input);
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
    b.style.left = `${(xs[i] ?? 90 + i * 100) - 31}px`;
    root.appendChild(b);
  });
  const flagsRow = root.querySelectorAll('.layer-box');
  flagsRow.forEach((b) => b.querySelectorAll('span').forEach((s) => s.classList.add('flags')));
}
