// One config field ↔ one labelled form control, built from the server's /api/schema entry.
// Values are converted by the field's type (or, failing that, by its default's JS type).

const kind = (spec) => {
  const t = String(spec.type || '').toLowerCase();
  const d = spec.default;
  if (t.startsWith('bool') || typeof d === 'boolean') return 'bool';
  if (t.includes('list') || t.startsWith('tuple') || Array.isArray(d)) return 'list';
  if (t.startsWith('int')) return 'int';
  if (t.startsWith('float') || t === 'number' || typeof d === 'number') return 'float';
  return 'str';
};

/** Parse a string (URL hash, text box) into the field's value; throws on nonsense. */
export function parseValue(text, spec) {
  const k = kind(spec);
  if (k === 'bool') return text === true || text === 'true' || text === '1';
  if (k === 'list') {
    if (Array.isArray(text)) return text;
    const items = String(text).split(',').map((s) => s.trim()).filter((s) => s !== '');
    const sample = (spec.default || [])[0];
    const numeric = typeof sample === 'number' || (sample === undefined && items.every((s) => /^-?[\d.]+(e-?\d+)?$/i.test(s)));
    return items.map((s) => (s === 'true' || s === 'false' ? s === 'true' : numeric ? Number(s) : s));
  }
  if (k === 'int' || k === 'float') {
    if (text === null || text === '' || text === 'null' || text === 'none') return null;
    const v = Number(text);
    return Number.isFinite(v) ? v : text;   // let the server explain a bad number
  }
  return text === 'null' ? null : String(text);
}

/** The URL-hash text of a value. */
export const formatValue = (v) => (Array.isArray(v) ? v.join(',') : v === null ? 'null' : String(v));

/** A labelled control for one field. `onChange(value)` gets the parsed value. */
export function makeControl(name, spec, onChange) {
  const wrap = document.createElement('div');
  const id = `ctl-${spec.url_key || name}`;
  wrap.className = 'ctl';
  wrap.dataset.ctl = spec.url_key || name;
  const label = document.createElement('label');
  label.htmlFor = id; label.textContent = spec.label || name;
  const k = kind(spec);
  let input;
  if (spec.choices && k !== 'list') {
    input = document.createElement('select');
    for (const c of spec.choices) input.add(new Option(String(c), String(c)));
  } else {
    input = document.createElement('input');
    input.type = k === 'bool' ? 'checkbox' : k === 'int' || k === 'float' ? 'number' : 'text';
    if (input.type === 'number') {
      input.step = k === 'int' ? '1' : 'any';
      if (spec.min !== undefined && spec.min !== null) input.min = spec.min;
      if (spec.max !== undefined && spec.max !== null) input.max = spec.max;
    }
  }
  input.id = id; input.dataset.testid = id; input.name = name;
  input.addEventListener('change', () => {
    const raw = input.type === 'checkbox' ? input.checked : input.value;
    onChange(parseValue(raw, spec));
  });
  if (k === 'bool') { wrap.classList.add('check'); wrap.append(input, ' ', label); } else wrap.append(label, input);
  return { wrap, input, set: (v) => setInput(input, v) };
}

/** Show a value in an input without firing its change handler; skip while it has focus. */
export function setInput(input, v) {
  if (document.activeElement === input) return;
  if (input.type === 'checkbox') input.checked = Boolean(v);
  else {
    const text = formatValue(v ?? '');
    if (input.tagName === 'SELECT' && ![...input.options].some((o) => o.value === text) && text !== '') {
      input.add(new Option(text, text));
    }
    input.value = text === 'null' ? '' : text;
  }
}
