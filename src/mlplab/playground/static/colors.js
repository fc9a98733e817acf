// The diverging colour map shared by every view: orange (−1) → grey (0) → blue (+1),
// quantised to 31 shades like TensorFlow Playground, with alpha 160 so axes show through.
export const ORANGE = [0xf5, 0x93, 0x22];
export const GREY = [0xe8, 0xea, 0xeb];
export const BLUE = [0x08, 0x77, 0xbd];
export const ALPHA = 160;
export const NUM_SHADES = 31;
// Hues for K > 2 classes (class 0 and 1 keep TF's orange and blue).
export const CLASS_HUES = [ORANGE, BLUE, [0x2c, 0xa0, 0x2c], [0x94, 0x67, 0xbd], [0xd6, 0x27, 0x28],
  [0x8c, 0x56, 0x4b], [0xe3, 0x77, 0xc2], [0x17, 0xbe, 0xcf]];

const mix = (a, b, t) => a.map((v, i) => Math.round(v + (b[i] - v) * t));

/** RGB of a value in [−1, 1] after quantising it to one of the 31 shades. */
export function shade(v) {
  if (!Number.isFinite(v)) return GREY;           // NaN shows as grey
  const c = Math.max(-1, Math.min(1, v));
  const k = Math.min(NUM_SHADES - 1, Math.floor((c + 1) / 2 * NUM_SHADES));
  const q = -1 + 2 * k / (NUM_SHADES - 1);
  return q < 0 ? mix(GREY, ORANGE, -q) : mix(GREY, BLUE, q);
}

/** 256-entry RGBA table: byte b encodes the value b / 255 · 2 − 1. */
export function diverging(discretize) {
  const lut = new Uint8ClampedArray(256 * 4);
  for (let b = 0; b < 256; b++) {
    const v = b / 255 * 2 - 1;
    const rgb = discretize ? (v >= 0 ? BLUE : ORANGE) : shade(v);
    lut.set([...rgb, ALPHA], b * 4);
  }
  return lut;
}

/** RGBA for class c with confidence t ∈ [0, 1]: paler is less sure. */
export function classColour(c, t, discretize) {
  const hue = CLASS_HUES[c % CLASS_HUES.length];
  return [...(discretize ? hue : mix(GREY, hue, Math.max(0, Math.min(1, t)))), ALPHA];
}

export const css = (rgb, a = 1) => `rgba(${rgb[0]},${rgb[1]},${rgb[2]},${a})`;

/** CSS colour of a weight or bias: the shade of w clamped to [−1, 1]. */
export const valueCss = (w) => css(shade(w));

/** Colour of a data label: ±1 or 0/1 labels use orange/blue, K > 2 classes their hue,
 *  regression targets (already in [−1, 1]) the diverging map. */
export function labelCss(label, classes) {
  if (!classes || classes < 2) return css(shade(label));   // regression target
  if (classes <= 2) return css(label > 0 ? BLUE : ORANGE);
  return css(CLASS_HUES[label % CLASS_HUES.length]);
}

/** Decode base64 into bytes. */
export function b64bytes(s) {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
