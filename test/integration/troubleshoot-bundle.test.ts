import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { createLocalFiles } from '../../src/adapters/files/local-files.js';
import { runTroubleshoot } from '../../src/core/flows/troubleshoot/flow.js';
import { TROUBLESHOOT_OPTION_IDS } from '../../src/core/flows/troubleshoot/options.js';
import type { FlowIO } from '../../src/core/kernel/io.js';
import { optionValues } from '../../src/core/options/catalogue.js';
import type { KubeCluster, KubeObject } from '../../src/core/ports/kube/index.js';
import { createDemoPorts } from '../../src/demo/index.js';
import { DEMO_AGENT_TOKEN } from '../../src/demo/seed.js';
import { FlagAsker } from '../../src/ui/flags/flag-asker.js';
import { leaksIn, secretForms } from '../e2e/support/secrets.js';
import { fastWorld } from '../support/demo-world.js';
import { readTarGz } from '../support/tar-gz.js';

const PAT = 'glpat-Integration9Seeded4Personal';
const AGENT_TOKEN = DEMO_AGENT_TOKEN;
const dir = mkdtempSync(join(tmpdir(), 'glat-bundle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The demo cluster, with both tokens seeded where a careless bundle would copy them: a log line, an event, an annotation. */
function seeded(cluster: KubeCluster): KubeCluster {
  const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
  return new Proxy(cluster, {
    get(target, prop, receiver) {
      if (prop === 'podLogs') {
        return async (...args: Parameters<KubeCluster['podLogs']>) => [
          ...(await target.podLogs(...args)),
          `{"level":"debug","msg":"token","token":"${AGENT_TOKEN}","b64":"${b64(AGENT_TOKEN)}","pat":"${PAT}"}`,
        ];
      }
      if (prop === 'listObjects') {
        return async (...args: Parameters<KubeCluster['listObjects']>) => {
          const list = await target.listObjects(...args);
          const q = args[0];
          if (q.kind === 'Event') {
            const seededEvent: KubeObject = {
              apiVersion: 'v1',
              kind: 'Event',
              metadata: { name: 'seeded.1', namespace: q.namespace },
              type: 'Warning',
              reason: 'Seeded',
              message: `token ${AGENT_TOKEN} / ${PAT} / ${b64(PAT)}`,
            };
            return [...list, seededEvent];
          }
          if (q.kind === 'Pod')
            return list.map((p) => ({
              ...p,
              metadata: {
                ...p.metadata,
                annotations: { ...p.metadata.annotations, 'example.com/token': AGENT_TOKEN, 'example.com/pat': b64(PAT) },
              },
            }));
          return list;
        };
      }
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

describe('troubleshoot --bundle, written by the local files adapter', () => {
  it('writes a tar.gz with the findings, objects, logs, versions and run log, and no token in any form', async () => {
    const w = fastWorld();
    const base = createDemoPorts({ world: w, env: { GITLAB_TOKEN: PAT } });
    const ports = {
      ...base,
      files: createLocalFiles(),
      probeTimeoutMs: 2000,
      kube: { ...base.kube, cluster: async (...a: Parameters<typeof base.kube.cluster>) => seeded(await base.kube.cluster(...a)) },
    };
    const io: FlowIO = { asker: new FlagAsker('--yes was given', true), emit: () => undefined, signal: new AbortController().signal };
    const path = join(dir, 'support.tar.gz');
    const outcome = await runTroubleshoot(optionValues(TROUBLESHOOT_OPTION_IDS, { context: 'demo-staging', bundle: path }), ports, io);
    expect(outcome.details).toContain(`Support bundle: ${path} (tokens and Secret values masked).`);
    expect(statSync(path).mode & 0o777).toBe(0o600);

    const files = await readTarGz(path);
    const names = [...files.keys()];
    expect(names).toEqual(
      expect.arrayContaining([
        'gitlab-agent-support/findings.json',
        'gitlab-agent-support/objects/deployment.yaml',
        'gitlab-agent-support/objects/events.yaml',
        'gitlab-agent-support/run.log',
        'gitlab-agent-support/versions.json',
      ]),
    );
    expect(names.some((n) => /^gitlab-agent-support\/logs\/.+\/agent\.log$/.test(n))).toBe(true);
    expect(JSON.parse(files.get('gitlab-agent-support/findings.json')!)).toEqual(JSON.parse(JSON.stringify(outcome.data)));
    expect(files.get('gitlab-agent-support/objects/events.yaml')).toContain('reason: Seeded');
    expect(files.get('gitlab-agent-support/run.log')).toMatch(/step diagnose done: Diagnosis/);

    const everything = [...files.values()].join('\n');
    expect(leaksIn(everything, { ...secretForms('agent token', AGENT_TOKEN), ...secretForms('GitLab PAT', PAT) })).toEqual([]);
    // The raw archive too (names, headers).
    expect(
      leaksIn(gunzipSync(readFileSync(path)).toString('latin1'), {
        ...secretForms('agent token', AGENT_TOKEN),
        ...secretForms('GitLab PAT', PAT),
      }),
    ).toEqual([]);
  });

  it('an unwritable --bundle path is bad input: exit 2 before any check', async () => {
    const w = fastWorld();
    const ports = { ...createDemoPorts({ world: w }), files: createLocalFiles(), probeTimeoutMs: 2000 };
    const io: FlowIO = { asker: new FlagAsker('--yes was given', true), emit: () => undefined, signal: new AbortController().signal };
    const outcome = await runTroubleshoot(
      optionValues(TROUBLESHOOT_OPTION_IDS, { context: 'demo-staging', bundle: join(dir, 'no-such-dir', 'b.tar.gz') }),
      ports,
      io,
    );
    expect(outcome.exitCode).toBe(2);
    expect(outcome.headline).toMatch(/--bundle/);
  });
});
