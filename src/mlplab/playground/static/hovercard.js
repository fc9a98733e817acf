// The hover card over a link or bias square: shows the live value; a click turns it into an
// input box (text selected): Enter sends the new value to the server, Esc cancels.
let target = null, editing = false, lastState = null;
const card = () => document.getElementById('hovercard');

function valueOf(t, state) {
  const n = state?.network;
  if (!n || !t) return undefined;
  return t.kind === 'weight' ? n.weights[t.layer]?.[t.to]?.[t.from] : n.biases[t.layer]?.[t.unit];
}

const fmt = (v) => (v === undefined ? '–' : Number(v).toPrecision(3));

function place(ev) {
  const el = card(), box = el.parentElement.getBoundingClientRect();
  el.style.left = `${ev.clientX - box.left + 12}px`;
  el.style.top = `${ev.clientY - box.top + 12}px`;
}

function show() {
  const el = card();
  el.hidden = false;
  const name = target.kind === 'weight' ? 'Weight' : 'Bias';
  el.innerHTML = `${name} is <b data-testid="hovercard-value">${fmt(valueOf(target, lastState))}</b>` +
    ' <span class="sub">(click to edit)</span>';
}

function edit(handlers) {
  editing = true;
  const el = card(), t = target;
  el.hidden = false;
  el.innerHTML = '';
  const input = document.createElement('input');
  input.type = 'number'; input.step = 'any'; input.dataset.testid = 'hovercard-input';
  input.setAttribute('aria-label', t.kind === 'weight' ? 'New weight' : 'New bias');
  input.value = String(valueOf(t, lastState) ?? 0);
  el.appendChild(input);
  input.focus(); input.select();
  input.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape') close();
    if (ev.key !== 'Enter') return;
    const value = Number(input.value);
    close();
    if (Number.isFinite(value)) handlers.editValue(t, value);
  });
  input.addEventListener('blur', () => { if (editing) close(); });
}

function close() { editing = false; target = null; card().hidden = true; }

export const hoverCard = {
  attach(el, t, handlers) {
    el.addEventListener('mouseenter', (ev) => { if (!editing) { target = t; show(); place(ev); } });
    el.addEventListener('mousemove', (ev) => { if (!editing) place(ev); });
    el.addEventListener('mouseleave', () => { if (!editing) close(); });
    el.addEventListener('click', (ev) => { ev.stopPropagation(); target = t; place(ev); edit(handlers); });
  },
  /** Keep the shown value live as snapshots arrive. */
  update(state) {
    lastState = state;
    if (target && !editing) {
      const v = card().querySelector('[data-testid=hovercard-value]');
      if (v) v.textContent = fmt(valueOf(target, state));
    }
  },
};
