import type { LedgerEntry } from './events.js';
import type { EmitFn } from './io.js';

/** What this run created or reused, in order, so a cancel or failure can say exactly what is left. */
export class Ledger {
  readonly entries: LedgerEntry[] = [];
  constructor(private readonly emit: EmitFn) {}

  record(entry: LedgerEntry): void {
    this.entries.push(entry);
    this.emit({ type: 'ledger', entry });
  }

  get created(): LedgerEntry[] {
    return this.entries.filter((e) => e.created);
  }
}
