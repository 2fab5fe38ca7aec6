import { LAYERS, type Finding, type Layer } from '../../diagnosis/finding.js';
import type { LayerProgress } from '../../kernel/events.js';
import type { EmitFn } from '../../kernel/io.js';

const TITLES: Record<Layer, string> = { gitlab: 'gitlab', flux: 'flux', workload: 'workload', connection: 'connection' };

/**
 * The doctor's progress per layer, for the screen: each layer pending until what it reads is being read,
 * running while it is, then done with its checks' counts once the diagnosis ran. Every change emits the
 * whole picture (one `layers` event), so a front end only ever draws the latest.
 */
export class LayerTracker {
  private readonly layers = new Map<Layer, LayerProgress>();

  constructor(private readonly emit: EmitFn) {
    this.reset();
  }

  /** All pending again (a second diagnosis after a fix). */
  reset(): void {
    for (const l of LAYERS) this.layers.set(l, { id: l, title: TITLES[l], state: 'pending' });
    this.publish();
  }

  running(layer: Layer, detail: string): void {
    this.layers.set(layer, { id: layer, title: TITLES[layer], state: 'running', detail });
    this.publish();
  }

  /** Layers whose reads ended: still running until the checks have run over everything. */
  note(layer: Layer, detail: string): void {
    const l = this.layers.get(layer);
    if (l && l.state !== 'done' && l.state !== 'skipped') this.layers.set(layer, { ...l, detail });
    this.publish();
  }

  /** The checks ran: every layer done with its counts (skipped when all of them skipped). */
  finish(findings: readonly Finding[]): void {
    for (const l of LAYERS) {
      const mine = findings.filter((f) => f.layer === l);
      const counts = { ok: 0, warn: 0, fail: 0, skip: 0 };
      for (const f of mine) counts[f.status]++;
      const skippedAll = mine.length > 0 && counts.skip === mine.length;
      this.layers.set(l, { id: l, title: TITLES[l], state: skippedAll ? 'skipped' : 'done', counts });
    }
    this.publish();
  }

  private publish(): void {
    this.emit({ type: 'layers', layers: LAYERS.map((l) => ({ ...this.layers.get(l)! })) });
  }
}
