// The network diagram: feature and neuron boxes with live thumbnails (HTML canvases over an
// SVG), links coloured by the sign of w and as wide as |w| (1–10 px), flowing as training
// runs, and a bias square on every neuron, the output included. Every node, link and bias
// is focusable: Enter or Space does what a click does. After a divergence the neurons and
// links the server names are marked (class "diverged", red outline) until the next step.
import { b64bytes, valueCss } from './colors.js';
import { paintValues, reduce } from './heatmap.js';
import { hoverCard } from './hovercard.js';

const BROKEN = '#d62728';
const NODE = 30, ROW = 44, TOP = 8, LEFT = 90, SVGNS = 'http://www.w3.org/2000/svg';
let built = '', layout = null;

/** Where each column and node sits, for the given feature list and network. */
function place(features, net, width) {
  const hidden = net.layers.filter((l) => l.kind !== 'output');
  const out = net.layers.find((l) => l.kind === 'output') || { units: 1 };
  const cols = [features.length, ...hidden.map((l) => l.units), out.units];
  const step = (width - LEFT - 60) / Math.max(1, cols.length - 1);
  const x = cols.map((_, c) => LEFT + c * step);
  const height = TOP + Math.max(...cols) * ROW;
  return { cols, x, height, hidden: hidden.length };
}

const nodeY = (j) => TOP + j * ROW;
const nodeId = (c, j, L) => (c === 0 ? null : c <= L.hidden ? `L${c - 1}N${j}` : `out${j}`);

/** Build the DOM when the structure changes; returns true when it rebuilt. */
export function buildNetwork(root, features, net, handlers) {
  const key = JSON.stringify([features, net.inputs, net.layers.map((l) => l.units)]);
  if (key === built) return false;
  built = key;
  // A keyboard toggle rebuilds the diagram: keep the focus on the same element.
  const focused = root.contains(document.activeElement) ? document.activeElement.dataset.testid : null;
  const width = Math.max(420, root.clientWidth || 560);
  layout = place(features, net, width);
  root.innerHTML = '';
  root.style.height = `${layout.height}px`;
  const svg = document.createElementNS(SVGNS, 'svg');
  svg.setAttribute('width', width); svg.setAttribute('height', layout.height);
  root.appendChild(svg);
  // Inputs may be named by URL key ("xSquared") or field name ("x_squared").
  const active = features.map((f) => Math.max(net.inputs.indexOf(f.key), net.inputs.indexOf(f.name)));
  addLinks(svg, net, active, handlers);
  features.forEach((f, j) => addNode(root, 0, j, f, active[j] >= 0, handlers));
  for (let c = 1; c < layout.cols.length; c++) {
    for (let j = 0; j < layout.cols[c]; j++) addNode(root, c, j, null, true, handlers);
  }
  if (focused) root.querySelector(`[data-testid="${focused}"]`)?.focus();
  return true;
}

function addLinks(svg, net, active, handlers) {
  for (let c = 1; c < layout.cols.length; c++) {
    const from = c === 1 ? active.map((a, j) => [a, j]).filter(([a]) => a >= 0) :
      Array.from({ length: layout.cols[c - 1] }, (_, j) => [j, j]);
    for (let t = 0; t < layout.cols[c]; t++) {
      for (const [k, row] of from) {
        const p = document.createElementNS(SVGNS, 'path');
        const x1 = layout.x[c - 1] + NODE, y1 = nodeY(row) + NODE / 2;
        const x2 = layout.x[c], y2 = nodeY(t) + NODE / 2, mx = (x1 + x2) / 2;
        p.setAttribute('d', `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}`);
        p.setAttribute('class', 'link');
        p.setAttribute('stroke-dasharray', '9 1');
        p.dataset.testid = `link-L${c - 1}-${t}-${k}`;
        p.dataset.layer = c - 1; p.dataset.to = t; p.dataset.from = k;
        const src = c === 1 ? net.inputs[k] : `L${c - 2}N${k}`;
        focusable(p, `Weight from ${src} to ${nodeId(c, t, layout)}; Enter to edit`);
        hoverCard.attach(p, { kind: 'weight', layer: c - 1, to: t, from: k }, handlers);
        svg.appendChild(p);
      }
    }
  }
}

function addNode(root, c, j, feature, on, handlers) {
  const div = document.createElement('div');
  div.className = `node${on ? '' : ' off'}`;
  div.style.left = `${layout.x[c]}px`; div.style.top = `${nodeY(j)}px`;
  const id = feature ? feature.key : nodeId(c, j, layout);
  div.dataset.testid = `node-${id}`; div.dataset.node = id;
  const canvas = document.createElement('canvas');
  canvas.width = 10; canvas.height = 10; canvas.className = 'thumb';
  div.appendChild(canvas);
  div.addEventListener('mouseenter', () => handlers.hoverNode(id));
  div.addEventListener('mouseleave', () => handlers.hoverNode(null));
  if (feature) {
    const label = document.createElement('span');
    label.className = 'nlabel'; label.textContent = feature.label;
    div.appendChild(label);
    div.title = `${feature.label}: click to turn ${on ? 'off' : 'on'}`;
    focusable(div, `Input feature ${feature.label}`, 'switch');
    div.setAttribute('aria-checked', String(on));
    div.addEventListener('click', () => handlers.toggleFeature(feature.key, !on));
  } else {
    const layer = c - 1;
    focusable(div, `Neuron ${id}: open in the inspector`);
    div.addEventListener('click', () => handlers.selectNeuron({ layer, unit: j, id }));
    const b = document.createElement('div');
    b.className = 'bias'; b.dataset.testid = `bias-L${layer}-${j}`;
    b.dataset.layer = layer; b.dataset.unit = j;
    b.style.left = `${layout.x[c] - 9}px`; b.style.top = `${nodeY(j) + NODE - 7}px`;
    focusable(b, `Bias of ${id}; Enter to edit`);
    hoverCard.attach(b, { kind: 'bias', layer, unit: j }, handlers);
    root.appendChild(b);
  }
  root.appendChild(div);
}

/** Tab stop with a role and a name; Enter or Space clicks it (Space must not scroll). */
function focusable(el, label, role = 'button') {
  el.setAttribute('tabindex', '0');
  el.setAttribute('role', role);
  el.setAttribute('aria-label', label);
  el.addEventListener('keydown', (ev) => {
    if (ev.key !== 'Enter' && ev.key !== ' ') return;
    ev.preventDefault();
    const r = el.getBoundingClientRect();   // the hover card opens beside the element
    el.dispatchEvent(new MouseEvent('click', { bubbles: true, clientX: r.left + r.width / 2, clientY: r.top + r.height / 2 }));
  });
}

/** Mark what blew up in the diverged step (``state.diverged``); unmark everything else. */
function markDiverged(root, diverged) {
  const nodes = new Set(diverged?.neurons || []);
  const links = new Set((diverged?.links || []).map((l) => l.join('-')));
  root.querySelectorAll('.node').forEach((d) => d.classList.toggle('diverged', nodes.has(d.dataset.node)));
  root.querySelectorAll('path.link').forEach((p) => p.classList.toggle('diverged',
    links.has(`${p.dataset.layer}-${p.dataset.to}-${p.dataset.from}`)));
}

/** Per-frame update: link colours and widths, bias colours, thumbnails, flow. */
export function updateNetwork(root, state, discretize) {
  const net = state.network;
  // One CSS variable moves every link's dashes ("flow"); colours change only with w.
  root.querySelector('svg')?.style.setProperty('--flow', `${-state.iteration / 3}px`);
  root.querySelectorAll('path.link').forEach((p) => {
    const w = net.weights[p.dataset.layer]?.[p.dataset.to]?.[p.dataset.from];
    if (w === undefined || w === p._w) return;
    p._w = w;
    // A weight that is no longer a number (JSON null) is drawn red: where divergence is.
    p.setAttribute('stroke', w === null ? BROKEN : valueCss(w));
    p.setAttribute('stroke-width', 1 + 9 * Math.min(Math.abs(w ?? 0), 5) / 5);
  });
  root.querySelectorAll('.bias').forEach((b) => {
    const v = net.biases[b.dataset.layer]?.[b.dataset.unit];
    b.style.background = v === null ? BROKEN : valueCss(v ?? 0);
  });
  markDiverged(root, state.diverged);
  drawThumbs(root, state, discretize);
}

function drawThumbs(root, state, discretize) {
  const thumbs = state.thumbs || {};
  let outBytes = null;
  root.querySelectorAll('.node').forEach((div) => {
    const id = div.dataset.node, canvas = div.firstChild;
    if (thumbs[id]) { paintValues(canvas, b64bytes(thumbs[id]), 10, discretize); return; }
    if (id.startsWith('out') && state.heat && !(state.heat.classes > 2)) {
      outBytes ??= reduce(b64bytes(state.heat.values), state.heat.size, 10);
      paintValues(canvas, outBytes, 10, discretize);
    }
  });
}

/** How many thumbnail canvases are drawn (one per feature and neuron). */
export const thumbCount = (root) => root.querySelectorAll('canvas.thumb').length;

/** x positions of the hidden columns, so the per-layer controls can sit above them. */
export const hiddenColumnsX = () => (layout ? layout.x.slice(1, 1 + layout.hidden) : []);
