import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunCommand } from '../../src/core/commands/registry.js';
import { ExitCode } from '../../src/core/kernel/errors.js';
import { App } from '../../src/ui/tui/App.js';
import { KEY, frame, press, sleep, waitFor, waitForText } from './helpers.js';

afterEach(() => cleanup());

const findings: RunCommand = async () => ({
  exitCode: ExitCode.failure,
  headline: 'Found 1 problem.',
  details: [],
  ledger: [],
  sections: [
    {
      kind: 'items',
      title: 'Findings',
      items: [
        { status: 'ok', summary: 'GitLab reachable', details: [] },
        { status: 'fail', summary: 'agentk cannot verify the KAS certificate', details: ['x509: certificate signed by unknown authority', 'Fix: --kas-ca-cert ca.pem'] },
      ],
    },
    { kind: 'table', columns: ['NAMESPACE', 'RELEASE'], rows: [['gitlab-agent-prod', 'prod']] },
  ],
});

describe('results view', () => {
  it('stays open with findings collapsed; ⏎ expands the highlighted one; q leaves with the exit code', async () => {
    const exits: number[] = [];
    const r = render(<App menu={[]} initialCommand="troubleshoot" start={findings} onExit={(c) => exits.push(c)} />);
    await waitForText(r, 'agentk cannot verify the KAS certificate');
    expect(frame(r)).toMatch(/NAMESPACE\s+RELEASE\n\s*gitlab-agent-prod\s+prod/);
    expect(frame(r)).toContain('⏎ details');
    await sleep(100);
    expect(exits).toEqual([]);
    expect(frame(r)).not.toContain('signed by unknown authority');

    await press(r, KEY.down, KEY.enter);
    await waitForText(r, 'x509: certificate signed by unknown authority');
    expect(frame(r)).toContain('Fix: --kas-ca-cert ca.pem');
    await press(r, KEY.enter);
    await waitFor(() => !frame(r).includes('Fix: --kas-ca-cert'), () => frame(r));

    await press(r, 'q');
    await waitFor(() => exits.length > 0, () => 'exit');
    expect(exits).toEqual([1]);
  });

  it('a result without tables or findings exits as soon as it is drawn', async () => {
    const exits: number[] = [];
    const plain: RunCommand = async () => ({ exitCode: ExitCode.ok, headline: 'Done.', details: [], ledger: [] });
    render(<App menu={[]} initialCommand="install" start={plain} onExit={(c) => exits.push(c)} />);
    await waitFor(() => exits.length > 0, () => 'exit');
    expect(exits).toEqual([0]);
  });
});
