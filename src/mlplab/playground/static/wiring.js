// Buttons and mouse handlers: run controls, layers ＋/−, chart readout, data editing, CSV
// upload, copy buttons. Returns the handlers the network diagram calls.
import { cmd, getText, oneLine } from './api.js';
import { rowAt } from './chart.js';
import { selectNeuron, setPoint } from './inspector.js';
import { layerCountChange } from './layers.js';
import { clearLocal } from './message.js';
import { binaryLabels, clickLabel, listenClassKeys, toData } from './points.js';
import { drawRepresentation } from './representation.js';
import { wireSaveLoad } from './share.js';

const $ = (id) => document.getElementById(id);
const run = (op, body) => () => { clearLocal(); return cmd(op, body); };

export function wire(app, send) {
  $('play').addEventListener('click', () => cmd(app.state?.running ? 'pause' : 'play'));
  $('step').addEventListener('click', run('step', { epochs: 1 }));
  $('step-batch').addEventListener('click', run('step_batch'));
  $('reset').addEventListener('click', run('reset'));
  $('new-weights').addEventListener('click', run('new_weights'));
  $('regenerate').addEventListener('click', run('regenerate'));
  const preset = app.schema.presets?.tf_compat;
  if (preset) $('tf-preset').addEventListener('click', () => send(preset));
  else $('tf-preset').hidden = true;
  $('speed').addEventListener('change', (ev) => {
    const v = ev.target.value;
    cmd('speed', { epochs_per_frame: v === 'max' ? 'max' : Number(v) });
  });
  for (const [id, d] of [['add-layer', 1], ['remove-layer', -1]]) {
    $(id).addEventListener('click', () => send(layerCountChange(app.state.config, app.fields, d)));
  }
  wireChart(app);
  wireData(app);
  wireShare();
  wireSaveLoad(app, send);
  $('legend-help').addEventListener('click', (ev) => {
    const t = $('legend-text'); t.hidden = !t.hidden;
    ev.target.setAttribute('aria-expanded', String(!t.hidden));
  });
  $('rep-draw').addEventListener('click', () => drawRepresentation(app.state?.heat?.classes ?? 2));
  listenClassKeys();
  return {
    hoverNode: (id) => { app.hovered = id; app.redraw.main(); },
    toggleFeature: (key, on) => send({ [app.fields[key].name]: on }),
    selectNeuron: (sel) => {
      document.querySelectorAll('.node.selected').forEach((n) => n.classList.remove('selected'));
      document.querySelector(`[data-node="${sel.id}"]`)?.classList.add('selected');
      selectNeuron(sel);
    },
    editValue: (t, value) => (t.kind === 'weight' ?
      cmd('edit_weight', { layer: t.layer, to: t.to, from: t.from, value }) :
      cmd('edit_bias', { layer: t.layer, unit: t.unit, value })),
  };
}

function wireChart(app) {
  const chart = $('chart');
  chart.addEventListener('mousemove', (ev) => {
    const r = rowAt(chart, ev.clientX, app.scalars);
    if (r) $('chart-readout').textContent = `epoch ${r.epoch}: train ${r.loss?.toFixed(4)}, test ${r.test_loss?.toFixed(4)}`;
  });
  chart.addEventListener('mouseleave', () => { $('chart-readout').textContent = ''; });
  $('log-y').addEventListener('change', (ev) => { app.chart.logY = ev.target.checked; app.redraw.chart(); });
  $('smoothing').addEventListener('input', (ev) => { app.chart.beta = Number(ev.target.value); app.redraw.chart(); });
}

function wireData(app) {
  const overlay = $('points');
  overlay.addEventListener('click', (ev) => {
    const p = toData(overlay, ev);
    if (ev.altKey || ev.ctrlKey || ev.metaKey) { cmd('remove_point', p); return; }
    const classes = app.state?.heat?.classes ?? 2;
    const label = app.state?.config.problem === 'regression' ? (ev.shiftKey ? -1 : 1) :
      clickLabel(ev, classes, binaryLabels(app.data));
    cmd('add_point', { ...p, label });
  });
  overlay.addEventListener('mousemove', (ev) => setPoint(toData(overlay, ev)));
  $('csv-file').addEventListener('change', async (ev) => {
    const file = ev.target.files[0], status = $('upload-status');
    if (!file) return;
    status.classList.remove('error'); status.textContent = `Uploading ${file.name}…`;
    const r = await fetch('/api/upload', { method: 'POST', headers: { 'Content-Type': 'text/csv' }, body: await file.text() });
    const reply = await r.json().catch(() => ({ ok: false, error: `HTTP ${r.status}` }));
    status.classList.toggle('error', !reply.ok);
    status.textContent = reply.ok ? `Loaded ${reply.n} points from ${file.name}` : oneLine(reply);
    ev.target.value = '';
  });
}

function wireShare() {
  const copy = (path) => async () => {
    const text = path.endsWith('flags') ? (await (await fetch(path)).json()).flags : await getText(path);
    $('share-text').value = text;
    navigator.clipboard?.writeText(text).catch(() => {});   // the text box holds it anyway
  };
  $('copy-python').addEventListener('click', copy('/api/python'));
  $('copy-flags').addEventListener('click', copy('/api/flags'));
}
