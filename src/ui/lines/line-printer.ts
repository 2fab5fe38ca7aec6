import { styleText } from 'node:util';
import { REVIEW_COMMAND_TITLE, type FlowEvent } from '../../core/kernel/events.js';
import type { FlowOutcome, ResultItem, ResultSection } from '../../core/kernel/outcome.js';
import { safeEvent, safeOutcome } from '../../core/kernel/safe-text.js';

type Color = Parameters<typeof styleText>[0];

const MARK: Record<ResultItem['status'], string> = { ok: '✓', warn: '!', fail: '✗', skip: '-', info: 'i' };

/** Result sections as plain lines: tables in columns, every item with all of its details. */
function sectionLines(sections: readonly ResultSection[]): string[] {
  const out: string[] = [];
  for (const s of sections) {
    if (s.title) out.push('', s.title);
    if (s.kind === 'lines') out.push(...s.lines.map((l) => `  ${l}`));
    if (s.kind === 'table') {
      const widths = s.columns.map((c, i) => Math.max(c.length, ...s.rows.map((r) => (r[i] ?? '').length)));
      for (const row of [s.columns, ...s.rows])
        out.push(
          `  ${row
            .map((c, i) => c.padEnd(widths[i] ?? 0))
            .join('  ')
            .trimEnd()}`,
        );
    }
    if (s.kind === 'items')
      for (const item of s.items) out.push(`  ${MARK[item.status]} ${item.summary}`, ...item.details.map((d) => `      ${d}`));
    // Raw, so that what is copied runs: a heredoc's end marker must stay at column 0.
    if (s.kind === 'code') out.push(...s.text.split('\n'));
  }
  return out;
}

/**
 * Plain lines for no-TTY and --plain runs: one line per finished step, helm output indented,
 * readiness only when it changes. Progress goes to stderr so stdout stays for results.
 */
export class LinePrinter {
  private lastReadiness = '';
  /** Layers already printed as finished, so each is printed once per diagnosis. */
  private readonly layersDone = new Set<string>();

  constructor(
    private readonly err: NodeJS.WritableStream,
    private readonly out: NodeJS.WritableStream,
    private readonly color: boolean,
  ) {}

  private paint(color: Color, text: string): string {
    return this.color ? styleText(color, text, { validateStream: false }) : text;
  }

  readonly onEvent = (event: FlowEvent): void => {
    const e = safeEvent(event);
    const w = (line: string) => this.err.write(`${line}\n`);
    switch (e.type) {
      case 'step':
        if (e.status === 'running') return;
        if (e.status === 'done') w(`${this.paint('green', '✓')} ${e.title}${e.detail ? `: ${e.detail}` : ''}`);
        else if (e.status === 'skipped') w(`- ${e.title}${e.detail ? `: ${e.detail}` : ''}`);
        // A failed step is reported once, by the outcome line that follows.
        return;
      case 'info':
        w(`  ${e.text}`);
        return;
      case 'warn':
        w(`${this.paint('yellow', '!')} ${e.text}`);
        return;
      case 'log':
        w(this.paint('dim', `  │ ${e.line}`));
        return;
      case 'readiness': {
        const findings = e.verdict.state === 'ready' ? '' : e.verdict.findings.map((f) => f.code).join(',');
        const key = `${e.verdict.state}|${e.verdict.progress}|${findings}`;
        if (key === this.lastReadiness) return;
        this.lastReadiness = key;
        w(`  pods: ${e.verdict.progress}${e.verdict.state === 'ready' ? '' : e.verdict.findings.map((f) => ` · ${f.summary}`).join('')}`);
        return;
      }
      case 'layers':
        for (const l of e.layers) {
          if (l.state === 'pending') this.layersDone.delete(l.id);
          if ((l.state !== 'done' && l.state !== 'skipped') || this.layersDone.has(l.id)) continue;
          this.layersDone.add(l.id);
          const c = l.counts;
          w(`  layer ${l.title}: ${l.state}${c ? ` · ${c.ok} ok, ${c.warn} warn, ${c.fail} fail, ${c.skip} skipped` : ''}`);
        }
        return;
      case 'review': {
        const width = Math.max(...e.items.map((i) => i.label.length));
        w('');
        w(this.paint('bold', 'Review'));
        for (const i of e.items) {
          w(`  ${i.label.padEnd(width)}  ${i.value}${i.warning ? `  ${this.paint('yellow', `! ${i.warning}`)}` : ''}`);
        }
        for (const d of e.diffs ?? []) {
          w('');
          w(this.paint('bold', d.title));
          if (d.lines.length === 0) w('  (no change)');
          for (const l of d.lines) {
            const t = l.trimStart();
            w(`  ${t.startsWith('+') ? this.paint('green', l) : t.startsWith('-') ? this.paint('red', l) : l}`);
          }
        }
        w('');
        w(e.commandTitle ?? REVIEW_COMMAND_TITLE);
        // Raw, at column 0: an indented heredoc end marker never closes the heredoc.
        for (const line of e.command.split('\n')) w(line);
        w('');
        return;
      }
      case 'rewind':
        w(`  ↩ ${e.reason === 'back' ? 'back to the previous question' : `changing ${e.question ?? 'an answer'}`}`);
        return;
      case 'ledger':
        return;
    }
  };

  printOutcome(unsafe: FlowOutcome): void {
    const outcome = safeOutcome(unsafe);
    const stream = outcome.exitCode === 0 ? this.out : this.err;
    const mark = outcome.exitCode === 0 ? this.paint('green', '✓') : outcome.exitCode === 130 ? '-' : this.paint('red', '✗');
    stream.write(`${mark} ${outcome.headline}\n`);
    for (const d of outcome.details) stream.write(`  ${d}\n`);
    for (const line of sectionLines(outcome.sections ?? [])) stream.write(`${line}\n`);
  }
}
