// One Server-Sent Events stream per page. Every event's scalars are kept (the loss curve
// never misses an epoch); only the newest snapshot is drawn, once per animation frame.
import { getJSON } from './api.js';

export class Stream {
  constructor(onFrame) {
    this.onFrame = onFrame;
    this.scalars = [];      // every epoch since the last reset
    this.data = null;       // latest train/test points
    this.latest = null;     // newest snapshot not yet drawn
    this.pending = false;
  }

  async start() {
    this.take(await getJSON('/api/state'));
    this.source = new EventSource('/api/stream');
    this.source.addEventListener('state', (ev) => this.take(JSON.parse(ev.data)));
    // After a reconnect, fetch the epochs the stream may have missed.
    this.source.addEventListener('open', () => this.refill());
  }

  async refill() {
    const h = await getJSON('/api/history').catch(() => null);
    if (h) { this.scalars = []; this.append(h.scalars); }
  }

  /** Keep scalars in epoch order; an epoch at or below the last one means a reset. */
  append(rows) {
    for (const r of rows || []) {
      while (this.scalars.length && this.scalars[this.scalars.length - 1].epoch >= r.epoch) this.scalars.pop();
      this.scalars.push(r);
    }
  }

  take(snap) {
    if (this.latest && snap.state_version < this.latest.state_version) return;  // stale frame
    if (snap.scalars_reset || snap.epoch === 0) this.scalars = [];   // a reset: epoch 1 again
    this.append(snap.scalars);
    if (snap.data) this.data = snap.data;
    this.latest = snap;
    if (!this.pending) {
      this.pending = true;
      requestAnimationFrame(() => {
        this.pending = false;
        const s = this.latest;
        s.lastScalars = this.scalars[this.scalars.length - 1];
        this.onFrame(s, this.scalars, this.data);
      });
    }
  }
}
