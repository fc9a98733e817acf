// The data drawn over the heatmap (training points: white ring; test points: black ring,
// only with "show test data"), and editing it with the mouse: click adds class A, shift-click
// class B, a number key 1–8 picks the class when there are more than two, alt/ctrl-click
// removes the nearest point.
import { labelCss } from './colors.js';

const DOMAIN = 6;
let chosenClass = null;

/** Canvas pixel ↔ input coordinates over [−6, 6]² (y grows upwards). */
export function toData(canvas, ev) {
  const r = canvas.getBoundingClientRect();
  const x = ((ev.clientX - r.left) / r.width) * 2 * DOMAIN - DOMAIN;
  const y = DOMAIN - ((ev.clientY - r.top) / r.height) * 2 * DOMAIN;
  return { x: Math.round(x * 1000) / 1000, y: Math.round(y * 1000) / 1000 };
}

export function drawPoints(canvas, data, showTest, classes) {
  const ctx = canvas.getContext('2d'), W = canvas.width;
  ctx.clearRect(0, 0, W, W);
  if (!data) return;
  const s = W / (2 * DOMAIN);
  const dot = ([x, y, label], ring) => {
    ctx.beginPath(); ctx.arc((x + DOMAIN) * s, (DOMAIN - y) * s, 3, 0, 2 * Math.PI);
    ctx.fillStyle = labelCss(label, classes); ctx.fill();
    ctx.strokeStyle = ring; ctx.lineWidth = 1; ctx.stroke();
  };
  data.train.forEach((p) => dot(p, '#fff'));
  if (showTest) data.test.forEach((p) => dot(p, '#000'));
}

/** Which label a click adds, from the modifier keys and the class chosen by number key. */
export function clickLabel(ev, classes, labels) {
  if (classes > 2 && chosenClass !== null) return Math.min(chosenClass, classes - 1);
  const [a, b] = labels;   // the two labels the data use, e.g. [1, -1] or [1, 0]
  return ev.shiftKey ? b : a;
}

export function listenClassKeys() {
  window.addEventListener('keydown', (ev) => {
    if (ev.target.tagName === 'INPUT' || ev.target.tagName === 'SELECT') return;
    if (/^[1-8]$/.test(ev.key)) chosenClass = Number(ev.key) - 1;
  });
}

/** The two class labels of a binary data set: [positive (blue), negative (orange)]. */
export function binaryLabels(data) {
  const all = (data?.train || []).map((p) => p[2]);
  return all.some((v) => v < 0) ? [1, -1] : [1, 0];
}
