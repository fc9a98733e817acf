// The train/eval badge over the output. The server computes the heatmap, the neuron
// thumbnails, the histograms, the losses and the metrics in eval mode (dropout and noise
// off, BatchNorm with its running statistics); training steps run in train mode. The
// badge shows the mode the displayed numbers come from, and the note lists the layers
// that act differently while training, i.e. what the picture leaves out.
const $ = (id) => document.getElementById(id);
let shownKey = '';

export function renderMode(state) {
  const mode = state.mode || 'eval';
  const only = state.train_only || [];
  const key = `${mode}|${only.join('|')}`;
  if (key === shownKey) return;
  shownKey = key;
  const badge = $('mode-badge');
  badge.textContent = `${mode} mode`;
  badge.dataset.mode = mode;
  badge.classList.toggle('differs', only.length > 0);
  badge.title = `The heatmap, thumbnails, histograms, losses and metrics were computed in ${mode} mode; ` +
    'every training step runs in train mode.';
  const named = only.map((s) => (s.includes('BatchNorm') ? `${s} (batch statistics)` : s));
  $('mode-note').textContent = only.length ? `differs while training: ${named.join(', ')}` :
    'train = eval: no dropout, noise or BatchNorm';
}
