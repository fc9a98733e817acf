// The output heatmap: a 100 × 100 canvas that CSS stretches to 260 px, painted from the
// server's uint8 field through a 256-entry lookup table (no colour maths per pixel).
import { b64bytes, classColour, diverging } from './colors.js';

const luts = { false: diverging(false), true: diverging(true) };

/** Paint bytes (value map, n × n) into a canvas through the diverging table. */
export function paintValues(canvas, bytes, n, discretize) {
  const lut = luts[Boolean(discretize)];
  const ctx = canvas.getContext('2d');
  if (canvas.width !== n) { canvas.width = n; canvas.height = n; }
  const img = ctx.createImageData(n, n);
  const px = img.data;
  for (let i = 0; i < n * n; i++) {
    const o = bytes[i] * 4;
    px[4 * i] = lut[o]; px[4 * i + 1] = lut[o + 1]; px[4 * i + 2] = lut[o + 2]; px[4 * i + 3] = lut[o + 3];
  }
  ctx.putImageData(img, 0, 0);
}

/** Paint K classes: hue of the argmax class, lightness from its confidence. */
function paintClasses(canvas, argmax, conf, n, k, discretize) {
  const ctx = canvas.getContext('2d');
  const img = ctx.createImageData(n, n);
  const table = [];
  for (let c = 0; c < k; c++) {
    table.push(Array.from({ length: 256 }, (_, b) => {
      const p = b / 255;                 // the byte is 255 · max probability
      return classColour(c, (p - 1 / k) / (1 - 1 / k), discretize);
    }));
  }
  for (let i = 0; i < n * n; i++) img.data.set(table[argmax[i] % k][conf[i]], 4 * i);
  ctx.putImageData(img, 0, 0);
}

/** Draw a snapshot's `heat` into the main canvas. */
export function drawHeat(canvas, heat, discretize) {
  if (!heat) return;
  const n = heat.size;
  const values = b64bytes(heat.values);
  canvas.classList.toggle('pixelated', Boolean(discretize));
  if (heat.classes > 2 && heat.argmax) {
    if (canvas.width !== n) { canvas.width = n; canvas.height = n; }
    paintClasses(canvas, b64bytes(heat.argmax), values, n, heat.classes, discretize);
  } else {
    paintValues(canvas, values, n, discretize);
  }
}

/** Block-average an n × n byte field into m × m (for the output node's thumbnail). */
export function reduce(bytes, n, m) {
  const out = new Uint8Array(m * m);
  const f = n / m;
  for (let r = 0; r < m; r++) {
    for (let c = 0; c < m; c++) {
      let s = 0;
      for (let i = 0; i < f; i++) for (let j = 0; j < f; j++) s += bytes[(r * f + i) * n + c * f + j];
      out[r * m + c] = Math.round(s / (f * f));
    }
  }
  return out;
}
