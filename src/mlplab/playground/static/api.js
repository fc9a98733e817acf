// Talking to the server: JSON GETs, the one-line command POSTs, and error reporting.
import { showMessage } from './message.js';

export async function getJSON(path) {
  const r = await fetch(path);
  if (!r.ok) throw new Error(`${path}: HTTP ${r.status}`);
  return r.json();
}

export async function getText(path) {
  const r = await fetch(path);
  if (!r.ok) throw new Error(`${path}: HTTP ${r.status}`);
  return r.text();
}

/** POST a command; a refused one (HTTP 422) shows its one-line error and returns null. */
export async function cmd(op, body = {}) {
  const r = await fetch('/api/cmd', {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ op, ...body }),
  });
  const reply = await r.json().catch(() => ({ ok: false, error: `HTTP ${r.status}` }));
  if (!r.ok || !reply.ok) {
    showMessage({ level: 'error', text: oneLine(reply) }, true);
    return null;
  }
  return reply;
}

/** The server's error as one line, whatever shape it came in. */
export function oneLine(reply) {
  const e = reply && (reply.error ?? reply.detail);
  if (typeof e === 'string') return e;
  if (Array.isArray(e) && e.length) return e.map((d) => d.msg ?? String(d)).join('; ');
  return 'The server refused the request.';
}
