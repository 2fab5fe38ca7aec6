import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/core/kernel/errors.js';
import type { RunCommand } from '../../src/core/commands/registry.js';
import { App } from '../../src/ui/tui/App.js';
import { KEY, type Rendered, frame, press, waitFor, waitForText } from './helpers.js';
import { MENU } from './scripted-flow.js';

afterEach(() => cleanup());

function setColumns(r: Rendered, columns: number, rows = 40): void {
  Object.defineProperty(r.stdout, 'columns', { value: columns, configurable: true });
  Object.defineProperty(r.stdout, 'rows', { value: rows, configurable: true });
  r.stdout.emit('resize');
}

const lines = (text: string) => text.split('\n');
/** The rows from the one containing `start` on, while they are its wrapped continuation (more indented). */
function rowsOf(text: string, start: string): string[] {
  const all = lines(text);
  const at = all.findIndex((l) => l.includes(start));
  return at < 0 ? [] : all.slice(at, at + 4);
}
const indentOf = (line: string) => line.length - line.trimStart().length;

const LONG_CONTEXT = 'arn:aws:eks:eu-west-1:123456789012:cluster/production-platform-main';

describe('rendering details at 60 columns (issue 11 §7)', () => {
  it('the reachability mark survives a long context name, which is cut instead; the keys still pick it', async () => {
    let answer = '';
    const start: RunCommand = async (_id, { asker }) => {
      answer = await asker.ask({
        kind: 'select',
        id: 'context',
        message: 'Which cluster?',
        choices: [
          { value: 'short', label: 'kind-dev', hint: 'https://127.0.0.1:6443 · probing…' },
          { value: 'long', label: LONG_CONTEXT, hint: 'https://ABCDEF0123456789.gr7.eu-west-1.eks.amazonaws.com · current · probing…' },
        ],
        liveHints: (onHint) => {
          const t = setTimeout(() => {
            onHint('short', 'https://127.0.0.1:6443 · ✓ v1.35.8');
            onHint('long', 'https://ABCDEF0123456789.gr7.eu-west-1.eks.amazonaws.com · current · ✗ unreachable');
          }, 20);
          return () => clearTimeout(t);
        },
      });
      return { exitCode: ExitCode.ok, headline: `picked ${answer}`, details: [], ledger: [] };
    };
    const r = render(<App menu={MENU} initialCommand="install" start={start} />);
    setColumns(r, 60);
    const f = await waitForText(r, '✗ unreachable');
    const row = lines(f).find((l) => l.includes('✗ unreachable'))!;
    expect(row.length).toBeLessThanOrEqual(60);
    expect(row.trimEnd()).toMatch(/✗ unreachable$/);
    // The name is cut (with "…"), not the mark; the URL went first.
    expect(row).toContain('arn:aws:eks:eu-west-1');
    expect(row).toContain('…');
    expect(row).not.toContain('amazonaws');
    expect(lines(f).find((l) => l.includes('kind-dev'))).toMatch(/✓ v1\.35\.8/);
    await press(r, KEY.down);
    await waitForText(r, '❯ arn:aws');
    await press(r, KEY.enter);
    await waitFor(() => answer !== '', () => frame(r));
    expect(answer).toBe('long');
  });

  it('a long help, review warning and report detail wrap under their own text, not at column 0', async () => {
    const warning = 'cluster-admin grants full control of the cluster: for production bind a narrower role with --existing-role';
    const start: RunCommand = async (_id, { asker, emit }) => {
      await asker.ask({ kind: 'input', id: 'agent', message: 'Agent name', help: 'Lowercase letters, digits and "-", at most 63 characters; unique in the project that holds it.', default: 'prod' });
      emit({ type: 'review', items: [{ label: 'Agent', value: 'prod' }, { label: 'RBAC', value: 'cluster-admin', warning }], command: 'helm upgrade --install prod gitlab-agent' });
      await asker.ask({ kind: 'select', id: 'review', fresh: true, message: 'Install with these settings?', choices: [{ value: 'apply', label: 'Install' }, { value: 'cancel', label: 'Cancel' }] });
      return {
        exitCode: ExitCode.failure,
        headline: 'readiness failed: gitlab-agent-7d9f: ErrImagePull: cannot pull image registry.gitlab.com/agentk:v99',
        details: ['Next: Check --image-tag and --image-repository (the tag must exist, with its v prefix), and that the cluster can reach the registry.'],
        ledger: [],
      };
    };
    const exits: number[] = [];
    const r = render(<App menu={MENU} initialCommand="install" start={start} onExit={(c) => exits.push(c)} />);
    setColumns(r, 60);
    let f = await waitForText(r, '? Agent name');
    const help = rowsOf(f, 'Lowercase letters');
    expect(indentOf(help[0]!)).toBe(2);
    expect(indentOf(help[1]!)).toBe(2);
    expect(help[1]!.trim()).not.toBe('');
    await press(r, KEY.enter);

    f = await waitForText(r, 'Install with these settings?');
    const rbac = rowsOf(f, 'RBAC');
    // "  RBAC   cluster-admin  ! cluster-admin grants…": the next row starts under the value column
    const valueColumn = rbac[0]!.indexOf('cluster-admin');
    expect(indentOf(rbac[1]!)).toBe(valueColumn);
    await press(r, KEY.enter);

    await waitFor(() => exits.length > 0, () => frame(r));
    f = frame(r);
    const next = rowsOf(f, 'Next: Check');
    expect(indentOf(next[0]!)).toBe(2);
    expect(indentOf(next[1]!)).toBe(2);
    const headline = rowsOf(f, '✗ readiness failed');
    expect(indentOf(headline[1]!)).toBe(2);
    for (const line of lines(f)) expect(line.length, f).toBeLessThanOrEqual(60);
  });
});
