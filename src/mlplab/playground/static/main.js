// The page's entry point: builds the controls from /api/schema, applies the URL hash, opens
// the stream and redraws every view from the newest snapshot.
import { cmd, getJSON } from './api.js';
import { drawChart, drawLr } from './chart.js';
import { buildControls, FEATURES, indexFields, renderDatasets } from './controls.js';
import { drawHeat, paintValues } from './heatmap.js';
import { renderHist } from './hist.js';
import { hoverCard } from './hovercard.js';
import { fillChoices } from './representation.js';
import { inspectorNetwork, refresh as refreshInspector } from './inspector.js';
import { renderLayers } from './layers.js';
import { clearLocal, serverMessage } from './message.js';
import { renderMetrics } from './metrics.js';
import { buildNetwork, updateNetwork } from './network.js';
import { drawPoints } from './points.js';
import { Stream } from './stream.js';
import { configFromHash, hideControls, writeHash } from './url.js';
import { b64bytes } from './colors.js';
import { paintLegendBar, renderLegend } from './legend.js';
import { renderMode } from './mode.js';
import { wire } from './wiring.js';

export const app = { schema: null, fields: null, setters: {}, state: null, scalars: [], data: null,
  hovered: null, frames: 0, drawMs: 0, chart: { logY: false, beta: 0 } };

// Repaint one view at once from the last snapshot, for mouse actions: while paused no new
// snapshot comes to redraw it (hover to enlarge, the chart's log-y and smoothing).
app.redraw = {
  main: () => drawMain(app.state?.config[app.fields?.discretize?.name]),
  chart: () => drawChart(document.getElementById('chart'), app.scalars, app.chart),
};

// Read-only view for tests: frame count, last epoch drawn, last snapshot drawn.
window.__mlplab = Object.freeze({
  get frames() { return app.frames; },
  get lastEpoch() { return app.state ? app.state.epoch : null; },
  get lastState() { return app.state; },
  get drawMsTotal() { return app.drawMs; },   // time spent drawing, for the benchmark
});

/** Send a partial config; the next snapshot shows the result. */
export function send(partial) { clearLocal(); return cmd('set', { config: partial }); }

/** "000,123": TF Playground's six-digit epoch counter with a thousands comma. */
export const formatEpoch = (e) => String(e).padStart(6, '0').replace(/\B(?=(\d{3})+(?!\d))/g, ',');

function features() {
  const f = app.fields;
  return FEATURES.filter((k) => f[k]).map((k) => ({ key: k, name: f[k].name, label: f[k].spec.label }));
}

function draw(state, scalars, data) {
  const start = performance.now();
  drawAll(state, scalars, data);
  app.drawMs += performance.now() - start;
  app.frames += 1;
}

function drawAll(state, scalars, data) {
  const cfg = state.config, f = app.fields;
  const dataChanged = data !== app.data;
  app.state = state; app.scalars = scalars; app.data = data;
  document.getElementById('epoch').textContent = formatEpoch(state.epoch);
  document.getElementById('iteration').textContent = String(state.iteration);
  document.getElementById('epoch-ms').textContent = state.epoch_ms ? state.epoch_ms.toFixed(1) : '–';
  const play = document.getElementById('play');
  play.textContent = state.running ? '❚❚' : '▶';
  play.setAttribute('aria-label', state.running ? 'Pause' : 'Play');
  play.classList.toggle('running', state.running);
  const speed = document.getElementById('speed');
  if (state.speed !== undefined && document.activeElement !== speed) speed.value = String(state.speed);
  const configKey = JSON.stringify(cfg);
  const configChanged = configKey !== app.configKey;
  app.configKey = configKey;
  if (configChanged) {
    for (const [key, set] of Object.entries(app.setters)) if (f[key]) set(cfg[f[key].name]);
    renderDatasets(document.getElementById('datasets'), app.schema, f, cfg, send);
    hideControls(cfg[f.hide?.name] || []);
    writeHash(cfg, f);
  }
  const netRoot = document.getElementById('network');
  buildNetwork(netRoot, features().map((x) => ({ ...x, on: cfg[x.name] })), state.network, app.handlers);
  renderLayers(document.getElementById('layer-strip'), cfg, f, send);
  document.getElementById('num-layers').textContent = String(cfg[f.networkShape.name].length);
  const discretize = cfg[f.discretize?.name];
  updateNetwork(netRoot, state, discretize);
  hoverCard.update(state);
  drawMain(discretize);
  const classes = state.heat?.classes ?? (cfg.problem === 'regression' ? 0 : 2);
  const showTest = cfg[f.showTestData?.name];
  const pointsKey = `${state.data_version}:${showTest}:${classes}`;
  if (dataChanged || app.pointsKey !== pointsKey) {
    app.pointsKey = pointsKey;
    drawPoints(document.getElementById('points'), data, showTest, classes);
  }
  drawChart(document.getElementById('chart'), scalars, app.chart);
  drawLr(document.getElementById('lr-plot'), state.lr_plan, scalars);
  renderMetrics(document.getElementById('metrics'), state);
  renderMode(state);
  renderLegend(state, data);
  renderHist(document.getElementById('hist'), state.hist, state.grad_hist);
  serverMessage(state.message);
  fillChoices(state);
  inspectorNetwork(state.network);
  if (state.running && app.frames % 10 === 0) refreshInspector();   // live while training
}

/** The big heatmap shows the output, or the hovered neuron's field (hover to enlarge). */
export function drawMain(discretize) {
  const canvas = document.getElementById('heatmap'), s = app.state;
  const thumb = app.hovered && s?.thumbs?.[app.hovered];
  if (thumb) paintValues(canvas, b64bytes(thumb), 10, discretize);
  else if (s) drawHeat(canvas, s.heat, discretize);
}

async function applyHash() {
  const { config, hide } = configFromHash(app.fields);
  if (Object.keys(config).length) await cmd('set', { config });
  hideControls(hide);
}

async function boot() {
  paintLegendBar();
  app.schema = await getJSON('/api/schema');
  app.fields = indexFields(app.schema);
  app.setters = buildControls(app.schema, app.fields, send);
  app.handlers = wire(app, send);
  await applyHash();
  // A link pasted into this tab changes only the hash: apply it too.
  window.addEventListener('hashchange', applyHash);
  await new Stream(draw).start();
}

boot();
