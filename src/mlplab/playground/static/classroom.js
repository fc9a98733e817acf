// The classroom link builder: tick the controls to hide, pick a tutorial, get a link with
// the current settings plus `<control>_hide=true` / `hideText=true` / `tutorial=NAME`
// (TF Playground's "use it in a classroom" checkboxes).
import { getJSON } from './api.js';
import { TUTORIALS } from './tutorials.js';

const $ = (id) => document.getElementById(id);
const SHARE_KEYS = /(_hide|^hideText|^tutorial)$/;

// Names for the controls that are not settings (settings use the schema's label).
const LABELS = { text: 'Header and explanations (hideText)', playButton: 'Play / pause',
  stepButton: 'Step epoch', stepBatchButton: 'Step batch', resetButton: 'Reset',
  newWeightsButton: 'New weights', speed: 'Speed', regenerate: 'Regenerate',
  upload: 'CSV upload', numHiddenLayers: 'Add / remove layers',
  tfPreset: "TF Playground's choices", saveLoad: 'Save & load', classroomLink: 'Classroom link' };

/** Every hideable control on the page, in page order: `data-ctl` name → label. */
function hideable(fields) {
  const out = new Map([['text', LABELS.text]]);
  for (const el of document.querySelectorAll('[data-ctl]')) {
    const name = el.dataset.ctl;
    if (!out.has(name)) out.set(name, fields?.[name]?.spec.label || LABELS[name] || name);
  }
  return out;
}

/** The link: current settings (the server's hash of non-defaults) plus the choices. */
export async function classroomLink(hidden, tutorial) {
  const { hash } = await getJSON('/api/flags');
  const parts = hash.split('&').filter((p) => p && !SHARE_KEYS.test(p.split('=')[0]));
  for (const name of hidden) parts.push(name === 'text' ? 'hideText=true' : `${name}_hide=true`);
  if (tutorial) parts.push(`tutorial=${encodeURIComponent(tutorial)}`);
  return `${location.origin}${location.pathname}#${parts.join('&')}`;
}

export function wireClassroom(app) {
  const list = $('hide-choices');
  for (const [name, label] of hideable(app.fields)) {
    const row = document.createElement('label');
    const box = document.createElement('input');
    box.type = 'checkbox'; box.value = name; box.dataset.testid = `hide-${name}`;
    row.title = name === 'text' ? 'hideText=true' : `${name}_hide=true`;
    row.append(box, ` ${label}`);
    list.append(row);
  }
  const select = $('tutorial-choice');
  select.append(new Option('(none)', ''));
  for (const [name, t] of Object.entries(TUTORIALS)) select.append(new Option(t.title, name));
  $('make-classroom-link').addEventListener('click', async () => {
    const hidden = [...list.querySelectorAll('input:checked')].map((b) => b.value);
    const url = await classroomLink(hidden, select.value);
    $('classroom-url').value = url;
    navigator.clipboard?.writeText(url).catch(() => {});   // the field holds it anyway
  });
}
