// "Save & load": download the model (ml.save's file) / weights (JSON) / config (JSON), and
// load a saved model or a config back. The server checks every file; this module only
// reports its one-line answer. Also starts the classroom link builder and the tutorial.
import { oneLine } from './api.js';
import { wireClassroom } from './classroom.js';
import { clearLocal } from './message.js';
import { listenTutorial } from './tutorial.js';

const $ = (id) => document.getElementById(id);
const MAX_CONFIG_BYTES = 64 * 1024;   // the server's command limit

function status(text, ok) {
  const el = $('load-status');
  el.classList.toggle('error', !ok);
  el.textContent = text;
}

async function post(path, body, type) {
  const r = await fetch(path, { method: 'POST', headers: { 'Content-Type': type }, body });
  const reply = await r.json().catch(() => ({ ok: false, error: `HTTP ${r.status}` }));
  return r.ok && reply.ok ? reply : { ok: false, error: oneLine(reply) };
}

function downloadConfig(app) {
  const text = JSON.stringify(app.state?.config ?? {}, null, 2);
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  a.download = 'mlplab-playground-config.json';
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

async function loadModel(file) {
  const reply = await post('/api/model', await file.arrayBuffer(), 'application/octet-stream');
  status(reply.ok ? `Loaded the model in ${file.name} (epoch ${reply.epoch})` : reply.error,
    reply.ok);
}

/** A config JSON (`model_dump()`), or any JSON with a `config` object in it (the weights
 *  JSON), replaces the settings: the schema's defaults, then the file's values. */
async function loadConfig(app, file) {
  if (file.size > MAX_CONFIG_BYTES) {
    status(`config file: ${file.size} bytes is over the limit of ${MAX_CONFIG_BYTES}; ` +
      'load a file saved by "Download config"', false);
    return;
  }
  let values;
  try { values = JSON.parse(await file.text()); } catch {
    status('config file: it is not JSON; load a file saved by "Download config"', false);
    return;
  }
  if (values && typeof values.config === 'object' && !Array.isArray(values.config)) values = values.config;
  if (!values || typeof values !== 'object' || Array.isArray(values)) {
    status('config file: it must hold a JSON object of settings, e.g. {"learning_rate": 0.03}', false);
    return;
  }
  const defaults = Object.fromEntries(Object.entries(app.schema.fields).map(([n, f]) => [n, f.default]));
  const reply = await post('/api/cmd', JSON.stringify({ op: 'set', config: { ...defaults, ...values } }),
    'application/json');
  status(reply.ok ? `Loaded the settings in ${file.name}` : `config file: ${reply.error}`, reply.ok);
}

function onFile(id, handler) {
  $(id).addEventListener('change', async (ev) => {
    const file = ev.target.files[0];
    if (!file) return;
    clearLocal();
    status(`Loading ${file.name}…`, true);
    try { await handler(file); } finally { ev.target.value = ''; }
  });
}

export function wireSaveLoad(app, send) {
  $('download-config').addEventListener('click', () => downloadConfig(app));
  onFile('model-file', loadModel);
  onFile('config-file', (file) => loadConfig(app, file));
  wireClassroom(app);
  listenTutorial(send);
}
