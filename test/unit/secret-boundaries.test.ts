import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runInstall } from '../../src/core/flows/install/flow.js';
import type { InstallOptions } from '../../src/core/flows/install/options.js';
import type { FlowEvent } from '../../src/core/kernel/events.js';
import type { FlowOutcome } from '../../src/core/kernel/outcome.js';
import type { Ports } from '../../src/core/ports/index.js';
import { createDemoPorts } from '../../src/demo/index.js';
import { DEMO_AGENT_TOKEN } from '../../src/demo/seed.js';
import { FlagAsker } from '../../src/ui/flags/flag-asker.js';
import { writeJson } from '../../src/ui/json/json-writer.js';
import { LinePrinter } from '../../src/ui/lines/line-printer.js';
import { fastWorld } from '../support/demo-world.js';

const PAT = 'glpat-fake-boundary-check-pat-0001';
const b64 = (s: string) => Buffer.from(s).toString('base64');

/** A run through the line printer and the JSON writer: everything a user or a script could see. */
async function visibleOutput(ports: Ports, over: Partial<InstallOptions> = {}): Promise<{ text: string; outcome: FlowOutcome }> {
  const err = new PassThrough();
  const out = new PassThrough();
  const chunks: string[] = [];
  err.on('data', (d: Buffer) => chunks.push(d.toString()));
  out.on('data', (d: Buffer) => chunks.push(d.toString()));
  const printer = new LinePrinter(err, out, false);
  const events: FlowEvent[] = [];
  const outcome = await runInstall(
    {
      project: 'demo-group/infrastructure',
      agent: 'prod',
      values: [],
      set: [],
      dryRun: false,
      timeoutMs: 5_000,
      connectTimeoutMs: 2_000,
      ...over,
    },
    ports,
    { asker: new FlagAsker('--yes was given'), emit: (e) => (events.push(e), printer.onEvent(e)), signal: new AbortController().signal },
  );
  printer.printOutcome(outcome);
  writeJson(out, outcome);
  return { text: chunks.join(''), outcome };
}

function expectNoSecret(text: string): void {
  for (const secret of [PAT, b64(PAT), DEMO_AGENT_TOKEN, b64(DEMO_AGENT_TOKEN)]) expect(text).not.toContain(secret);
}

describe('the one redactor at the output boundary', () => {
  it('an HTTP library error that echoes the PAT (and its base64) is shown masked', async () => {
    const ports = createDemoPorts({ world: fastWorld(), env: { GITLAB_TOKEN: PAT } });
    const connect = ports.gitlab.connect;
    ports.gitlab.connect = (c) => {
      const client = connect(c);
      client.registerAgent = async () => {
        throw new Error(
          `request to https://gitlab.example.com failed, headers {"Authorization":"Bearer ${c.token.reveal()}","x":"${b64(c.token.reveal())}"}`,
        );
      };
      return client;
    };
    const { text, outcome } = await visibleOutput(ports);
    expect(outcome.exitCode).toBe(1);
    expect(text).toContain('Bearer ********');
    expectNoSecret(text);
  });

  it('a Kubernetes error that echoes the agent token while the Secret is written is shown masked', async () => {
    const ports = createDemoPorts({ world: fastWorld(), env: { GITLAB_TOKEN: PAT } });
    const cluster = ports.kube.cluster.bind(ports.kube);
    ports.kube.cluster = async (s, ctx) => {
      const c = await cluster(s, ctx);
      c.writeTokenSecret = async (spec) => {
        throw new Error(`admission webhook "policy" denied the request: data.token=${b64(spec.token.reveal())} (${spec.token.reveal()})`);
      };
      return c;
    };
    const { text, outcome } = await visibleOutput(ports);
    expect(outcome.exitCode).toBe(1);
    expect(text).toContain('admission webhook "policy" denied');
    expectNoSecret(text);
  });

  it('helm failing with output that quotes the token is shown masked, in the log file too', async () => {
    const world = fastWorld();
    const ports = createDemoPorts({ world, env: { GITLAB_TOKEN: PAT } });
    const run = ports.helm.run.bind(ports.helm);
    ports.helm.run = async (r) => {
      r.onLine(`Error: values echo config.token=${PAT}`, 'stderr');
      return { ...(await run(r)), exitCode: 1, stderrTail: [`Error: UPGRADE FAILED: token ${PAT}`] };
    };
    const { text, outcome } = await visibleOutput(ports, { helmLog: 'helm.log' });
    expect(outcome.exitCode).toBe(1);
    expectNoSecret(text);
    expectNoSecret(world.files.get('helm.log') ?? '');
    expect(world.files.get('helm.log')).toContain('config.token=********');
  });
});
