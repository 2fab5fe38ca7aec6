import { describe, expect, it } from 'vitest';
import { diagnose } from '../../../src/core/diagnosis/catalogue.js';
import { headlineOf, resultSections } from '../../../src/core/flows/troubleshoot/result.js';
import { ExitCode } from '../../../src/core/kernel/errors.js';
import { safeOutcome } from '../../../src/core/kernel/safe-text.js';
import { container, event, evidence as evidence_, minutesAgo, pod, workload } from '../diagnosis/builders.js';

const POD_NAME = 'gitlab-agent-v2-7c9d8f6b5d-abcde';

/** A DNS failure as agentk logs it. */
const DNS_LINE = String.raw`{"level":"error","time":"2026-03-01T11:59:00Z","msg":"Error handling a connection","mod_name":"reverse_tunnel","error":"Connect(): rpc error: code = Unavailable desc = connection error: desc = \"transport: Error while dialing: dial tcp: lookup kas.example.com on 10.96.0.10:53: no such host\""}`;

const evidence = () => ({
  observedAt: '2026-03-01T12:00:00Z',
  context: { namespace: 'gitlab-agent-prod', release: 'prod' },
  logs: [{ pod: 'prod-gitlab-agent-v2-abc-def', container: 'agent', previous: false, lines: [DNS_LINE] }],
});

describe('the troubleshoot result', () => {
  it('the chain: root cause first, each finding expandable to cause, fix, docs and verbatim evidence', () => {
    const d = diagnose(evidence());
    expect(d.rootCause?.category).toBe('kas-dns');
    const [chain, rest] = resultSections(d, ['verification from this machine … is not run']);
    expect(chain).toMatchObject({ kind: 'items', title: 'Causal chain (first failing layer first)' });
    const root = chain?.kind === 'items' ? chain.items[0]! : undefined;
    expect(root?.status).toBe('fail');
    expect(root?.summary).toMatch(/^root cause · \[connection\] .*\(AGK-DNS, kas-dns\)$/);
    expect(root?.details.some((l) => l.startsWith('fix: '))).toBe(true);
    expect(root?.details.some((l) => l.startsWith('docs: https://'))).toBe(true);
    expect(root?.details).toContain('evidence:');
    expect(rest?.kind === 'items' && rest.items.every((i) => i.status === 'ok' || i.status === 'skip')).toBe(true);
    expect(headlineOf('ctx · ns/prod', d)).toMatch(/^ctx · ns\/prod: kas-dns — /);
  });

  it('text from the cluster (an event message) reaches the screen with its control characters escaped', () => {
    const p = pod(POD_NAME, {
      phase: 'Pending',
      createdAt: minutesAgo(30),
      containers: [container({ state: 'waiting', reason: 'ContainerCreating', ready: false })],
    });
    const hostile = '0/3 nodes are available: 3 Insufficient memory.\x1b]0;pwned\x07\x1b[2J';
    const d = diagnose(evidence_({ workload: workload({ pods: [p], events: [event('FailedScheduling', hostile, { name: POD_NAME })] }) }));
    const sections = resultSections(d, []);
    expect(JSON.stringify(sections)).toContain('\\u001b]0;pwned'); // verbatim in the data (JSON escapes it)…
    const shown = safeOutcome({ exitCode: ExitCode.failure, headline: headlineOf('x', d), details: [], ledger: [], sections });
    const text = JSON.stringify(shown.sections);
    expect(text).not.toMatch(/\\u001b|\\u0007/); // …never raw on the screen
    expect(text).toContain('Insufficient memory.\\\\x1b]0;pwned\\\\x07');
  });

  it('healthy: no chain section, only the passed and skipped checks', () => {
    const d = diagnose({ observedAt: '2026-03-01T12:00:00Z', context: { namespace: 'n' } });
    expect(d.rootCause).toBeNull();
    const sections = resultSections(d, []);
    expect(sections.map((s) => s.title)).toEqual([expect.stringMatching(/^Checks passed \(\d+\) and skipped \(\d+\)$/)]);
    expect(headlineOf('x', d)).toBe('x: healthy — no check failed.');
  });
});
