/**
 * Ctrl-C in the non-interactive mode (README: "Ctrl-C at any point ends helm's whole process group and
 * tells you exactly what this run created and how to remove it"): SIGINT to the CLI's process group, as
 * a terminal sends it, while the agent pods are still coming up (kwok holds them Pending for a minute).
 * The TUI variant of this is in tui.e2e.test.ts.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli, transcript } from './support/cli.js';
import { e2eEnv } from './support/env.js';
import { commonFlags, startGitLab, type E2eGitLab } from './support/gitlab.js';
import { helmRevisions, namespaceExists } from './support/kube.js';
import { createSandbox, type Sandbox } from './support/sandbox.js';

function processesMentioning(text: string): string[] {
  const out: string[] = [];
  for (const pid of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'latin1').replaceAll('\0', ' ');
      if (cmdline.includes(text)) out.push(`${pid}: ${cmdline}`);
    } catch {
      /* exited */
    }
  }
  return out;
}

describe('Ctrl-C during an install (--yes)', () => {
  let sb: Sandbox;
  let g: E2eGitLab;
  beforeAll(async () => {
    sb = createSandbox('cancel', 4);
    g = await startGitLab();
  });
  afterAll(async () => g?.close());

  it('while waiting for Ready: exit 130, what this run created and how to remove it', async () => {
    const agent = sb.name('ctrlc');
    const ns = `gitlab-agent-${agent}`;
    const values = join(sb.cwd, 'slow.yaml');
    writeFileSync(values, 'podAnnotations:\n  e2e.test/ready-delay: "60s"\n');
    let signalledAt = 0;
    const r = await runCli(
      sb,
      [
        'install',
        '--yes',
        '--project',
        'group/app',
        '--agent',
        agent,
        '--context',
        'e2e-admin',
        '--values',
        values,
        ...commonFlags(g, e2eEnv().chartRepo),
      ],
      {
        env: { GITLAB_TOKEN: g.pat },
        // Long enough for an orderly stop, far shorter than the 90 s readiness timeout: a hang fails here.
        timeoutMs: 45_000,
        onStderr: (stderr, signalGroup) => {
          if (signalledAt === 0 && stderr.includes('✓ helm upgrade --install')) {
            signalledAt = Date.now();
            signalGroup('SIGINT');
          }
        },
      },
    );
    expect(signalledAt, 'Ctrl-C was sent during the readiness wait').toBeGreaterThan(0);
    expect(r.code, transcript(r)).toBe(130);
    expect(r.stderr).toContain('Ctrl-C: cancelling');
    expect(r.stderr).toMatch(/^- Cancelled\.$/m);
    expect(r.stderr).toMatch(/This run created: agent .*namespace .*agent token .*Secret .*helm release /);
    expect(r.stderr).toContain(`helm uninstall ${agent} -n ${ns} --kube-context e2e-admin`);
    expect(
      processesMentioning(agent).filter((p) => !p.includes('vitest')),
      'processes of this run still alive',
    ).toEqual([]);
    // What it says is left is there.
    expect(await namespaceExists(ns)).toBe(true);
    expect(await helmRevisions(sb, agent, ns)).toEqual([1]);
  });
});

/**
 * Issue "install hardening", part 4: Ctrl-C ends the run within a second wherever it is waiting — on
 * GitLab (a request that never answers), on helm, on the readiness watch — with exit 130 and the list
 * of what exists. The second is measured from the signal to the process's exit.
 */
describe('Ctrl-C ends the run within a second, whatever it waits on', () => {
  let sb: Sandbox;
  let g: E2eGitLab;
  beforeAll(async () => {
    sb = createSandbox('cancel-fast', 4);
  });
  afterEach(async () => g?.close());

  async function cancelWhen(agent: string, trigger: string, extra: string[] = []) {
    let signalledAt = 0;
    const r = await runCli(
      sb,
      [
        'install',
        '--yes',
        '--project',
        'group/app',
        '--agent',
        agent,
        '--context',
        'e2e-admin',
        ...commonFlags(g, e2eEnv().chartRepo),
        ...extra,
      ],
      {
        env: { GITLAB_TOKEN: g.pat },
        timeoutMs: 60_000,
        onStderr: (stderr, signalGroup) => {
          if (signalledAt === 0 && stderr.includes(trigger)) {
            signalledAt = Date.now();
            // Only the CLI: a terminal's Ctrl-C in raw mode reaches no child, and helm must be ended by us.
            signalGroup('SIGINT');
          }
        },
      },
    );
    const exitedAt = Date.now();
    expect(signalledAt, `the trigger "${trigger}" appeared`).toBeGreaterThan(0);
    return { r, afterSignalMs: exitedAt - signalledAt };
  }

  it('while a GitLab request hangs', async () => {
    g = await startGitLab();
    g.gl.failNext({ method: 'GET', path: /^\/projects\/group/, status: 200, body: {}, delayMs: 120_000 });
    const { r, afterSignalMs } = await cancelWhen(sb.name('hang'), '✓ GitLab');
    expect(r.code, transcript(r)).toBe(130);
    expect(r.stderr).toMatch(/^- Cancelled\.$/m);
    expect(r.stderr).toContain('Nothing was created.');
    expect(afterSignalMs, transcript(r)).toBeLessThan(1000);
  });

  it('while helm runs', async () => {
    g = await startGitLab();
    const agent = sb.name('helm');
    const { r, afterSignalMs } = await cancelWhen(agent, '✓ Agent token');
    expect(r.code, transcript(r)).toBe(130);
    expect(r.stderr).toMatch(/This run created: agent .*agent token .*Secret /);
    expect(afterSignalMs, transcript(r)).toBeLessThan(1000);
    expect(
      processesMentioning(agent).filter((p) => !p.includes('vitest')),
      'processes of this run still alive',
    ).toEqual([]);
  });

  it('while the readiness watch waits', async () => {
    g = await startGitLab();
    const values = join(sb.cwd, 'slow.yaml');
    writeFileSync(values, 'podAnnotations:\n  e2e.test/ready-delay: "60s"\n');
    const { r, afterSignalMs } = await cancelWhen(sb.name('watch'), '✓ helm upgrade --install', ['--values', values]);
    expect(r.code, transcript(r)).toBe(130);
    expect(r.stderr).toMatch(/This run created: .*helm release /);
    expect(afterSignalMs, transcript(r)).toBeLessThan(1000);
  });
});
