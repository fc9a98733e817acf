// Numbers under the heatmap: losses, accuracy (train/test) and the confusion matrix for
// classification; RMSE = √(mean (ŷ − y)²) and R² = 1 − SS_res / SS_tot for regression.
const fmt = (v, d = 3) => (v === undefined || v === null ? '–' : Number.isFinite(v) ? v.toFixed(d) : String(v));

export function renderMetrics(root, state) {
  const last = state.lastScalars;
  document.querySelector('[data-testid=train-loss]').textContent = fmt(last?.loss);
  document.querySelector('[data-testid=test-loss]').textContent = fmt(last?.test_loss);
  if (!last) { root.innerHTML = ''; return; }
  const rows = [];
  if (last.accuracy !== undefined && last.accuracy !== null) {
    rows.push(`Accuracy: train <output data-testid="train-accuracy">${fmt(last.accuracy)}</output>` +
      ` · test <output data-testid="test-accuracy">${fmt(last.test_accuracy)}</output>`);
  }
  if (last.rmse !== undefined && last.rmse !== null) {
    rows.push(`RMSE <output data-testid="rmse">${fmt(last.rmse)}</output>` +
      ` · R² <output data-testid="r2">${fmt(last.r2)}</output>`);
  }
  const conf = state.metrics?.confusion;
  if (conf && conf.length) rows.push(confusion(conf));
  root.innerHTML = rows.map((r) => `<div>${r}</div>`).join('');
}

function confusion(m) {
  const head = m.map((_, j) => `<th>${j}</th>`).join('');
  const body = m.map((row, i) => `<tr><th>${i}</th>${row.map((v) => `<td>${v}</td>`).join('')}</tr>`).join('');
  return `<table data-testid="confusion" title="rows: true class, columns: predicted (test set)">` +
    `<tr><th>true\\pred</th>${head}</tr>${body}</table>`;
}
