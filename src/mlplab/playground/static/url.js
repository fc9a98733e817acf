// The URL hash holds the whole config with TF Playground's keys (`#activation=tanh&…`), so a
// link restores a run; `<control>_hide=true` hides a control for classroom use.
import { formatValue, parseValue } from './fields.js';

export function readHash() {
  const out = {};
  for (const part of location.hash.replace(/^#/, '').split('&')) {
    if (!part) continue;
    const [k, ...v] = part.split('=');
    out[decodeURIComponent(k)] = decodeURIComponent(v.join('='));
  }
  return out;
}

// TF Playground's spellings, so its links open here (the server reads them the same way).
const ALIASES = { 'reg-plane': 'plane', 'reg-gauss': 'multigauss', L1: 'l1', L2: 'l2' };

/** CRC-32 of a string's UTF-8 bytes (how a TF seed such as "0.123" becomes an int). */
function crc32(text) {
  let c = ~0;
  for (const byte of new TextEncoder().encode(text)) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return (~c) >>> 0;
}

/** Config changes asked for by the hash, and the list of controls to hide. */
export function configFromHash(fields) {
  const hash = readHash(), config = {}, hide = [];
  for (const [key, raw] of Object.entries(hash)) {
    const text = ALIASES[raw] ?? raw;
    if (key.endsWith('_hide')) { if (text === 'true') hide.push(key.slice(0, -5)); continue; }
    if (key === 'hideText') { if (text === 'true') hide.push('text'); continue; }
    if (key === 'initZero') { if (text === 'true' && fields.init) config[fields.init.name] = 'zeros'; continue; }
    const f = fields[key];
    if (!f) continue;
    if (key === 'seed' && !/^\d+$/.test(text)) { config[f.name] = crc32(text) % (2 ** 31 - 1); continue; }
    config[f.name] = parseValue(text, f.spec);
    if (key === 'noise' && !(config[f.name] >= 0 && config[f.name] <= 80)) {
      config[f.name] = config[f.name] > 80 ? 50 : 0;       // TF: above 80 → 50, below 0 → 0
    }
  }
  return { config, hide };
}

/** Write the settings that differ from the defaults into the hash (replacing the history
 *  entry), keeping the classroom keys `_hide`, `hideText` and `tutorial`. */
export function writeHash(config, fields) {
  const parts = [];
  for (const [key, f] of Object.entries(fields)) {
    if (!(f.name in config) || key === 'hide') continue;
    if (JSON.stringify(config[f.name]) === JSON.stringify(f.spec.default)) continue;
    parts.push(`${key}=${encodeURIComponent(formatValue(config[f.name]))}`);
  }
  for (const [k, v] of Object.entries(readHash())) {
    if (k.endsWith('_hide') || k === 'hideText' || k === 'tutorial') parts.push(`${k}=${encodeURIComponent(v)}`);
  }
  const hash = `#${parts.join('&')}`;
  if (hash !== location.hash) history.replaceState(null, '', hash);
}

export function hideControls(names) {
  for (const n of names) {
    document.querySelectorAll(`[data-ctl="${CSS.escape(n)}"]`).forEach((el) => el.classList.add('ctl-hidden'));
  }
}
