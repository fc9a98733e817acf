// The banner under the top bar: divergence warnings from the server, refused commands.
let local = null;   // a message raised by the page itself (e.g. a refused command)

/** Show a {level, text} message; `sticky` keeps a page-side one until the next command. */
export function showMessage(msg, sticky = false) {
  if (sticky) local = msg;
  render(msg ?? local);
}

/** Called with each snapshot's `message`; a page-side message stays until cleared. */
export function serverMessage(msg) { render(msg ?? local); }

export function clearLocal() { local = null; }

function render(msg) {
  const el = document.getElementById('message');
  if (!msg) { el.hidden = true; el.textContent = ''; return; }
  el.hidden = false;
  el.className = `message ${msg.level || 'error'}`;
  el.textContent = msg.text;
}
