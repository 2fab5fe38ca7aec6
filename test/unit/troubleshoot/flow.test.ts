import { describe, expect, it } from 'vitest';
import { runTroubleshoot } from '../../../src/core/flows/troubleshoot/flow.js';
import { TROUBLESHOOT_OPTION_IDS } from '../../../src/core/flows/troubleshoot/options.js';
import type { FlowEvent } from '../../../src/core/kernel/events.js';
import type { FlowIO } from '../../../src/core/kernel/io.js';
import { optionValues, type RawOptions } from '../../../src/core/options/catalogue.js';
import { createDemoPorts, createDemoWorld, type DemoWorld } from '../../../src/demo/index.js';
import { DEMO_AGENT_TOKEN } from '../../../src/demo/seed.js';
import { FlagAsker } from '../../../src/ui/flags/flag-asker.js';
import type { NetworkPort } from '../../../src/core/ports/network.js';
import { FAST, fastWorld, gitlabWrites, clusterState, tokenSecret } from '../../support/demo-world.js';

function io(): FlowIO & { events: FlowEvent[] } {
  const events: FlowEvent[] = [];
  return { asker: new FlagAsker('--yes was given', true), emit: (e) => events.push(e), signal: new AbortController().signal, events };
}
const opts = (raw: RawOptions = {}) => optionValues(TROUBLESHOOT_OPTION_IDS, { context: 'demo-staging', ...raw });
const ports = (w: DemoWorld, env?: Record<string, string>) => ({
  ...createDemoPorts({ world: w, ...(env ? { env } : {}) }),
  probeTimeoutMs: 2000,
});

describe('troubleshoot over the demo world', () => {
  it('the healthy staging agent: exit 0, no root cause, GitLab asked read-only, nothing changed', async () => {
    const w = fastWorld();
    const before = clusterState(w);
    const run = io();
    const outcome = await runTroubleshoot(opts(), ports(w), run);
    expect(outcome.exitCode, outcome.headline).toBe(0);
    expect(outcome.headline).toMatch(/^demo-staging · gitlab-agent-staging\/staging: healthy/);
    const data = outcome.data!;
    expect(data).toMatchObject({
      schemaVersion: 1,
      context: 'demo-staging',
      gitlab: { url: 'https://gitlab.example.com', version: '18.6.1-ee' },
    });
    const install = data.installs[0]!;
    expect(install).toMatchObject({
      namespace: 'gitlab-agent-staging',
      release: 'staging',
      agent: 'staging',
      rootCause: null,
      category: 'healthy',
      fixes: [],
    });
    const byId = Object.fromEntries(install.findings.map((f) => [f.id, f.status]));
    expect(byId).toMatchObject({
      'GL-REACH': 'ok',
      'GL-TOKEN': 'ok',
      'GL-AGENT': 'ok',
      'GL-AGENT-TOKEN': 'ok',
      'WL-SECRET': 'ok',
      'WL-ROLLOUT': 'ok',
    });
    expect(install.notCollected.join('\n')).toContain('verification from this machine');
    // Read-only: no GitLab write, no cluster change.
    expect(gitlabWrites(w)).toEqual([]);
    expect(w.record.helm).toEqual([]);
    expect(clusterState(w)).toEqual(before);
    expect(JSON.stringify(outcome)).not.toContain(DEMO_AGENT_TOKEN);
    expect(run.events).toContainEqual(expect.objectContaining({ type: 'step', step: 'cluster', status: 'done' }));
  });

  it("progress per layer: all pending first, then running while read, and finally each done with its findings' counts", async () => {
    const run = io();
    const outcome = await runTroubleshoot(opts(), ports(fastWorld()), run);
    const snapshots = run.events.flatMap((e) => (e.type === 'layers' ? [e.layers] : []));
    expect(snapshots[0]!.map((l) => `${l.id}:${l.state}`)).toEqual([
      'gitlab:pending',
      'flux:pending',
      'workload:pending',
      'connection:pending',
    ]);
    for (const layer of ['gitlab', 'flux', 'workload', 'connection']) {
      expect(
        snapshots.some((s) => s.find((l) => l.id === layer)?.state === 'running'),
        `${layer} running`,
      ).toBe(true);
    }
    const last = snapshots.at(-1)!;
    const findings = outcome.data!.installs[0]!.findings;
    for (const l of last) {
      const mine = findings.filter((f) => f.layer === l.id);
      expect(l.state === 'done' || l.state === 'skipped', l.id).toBe(true);
      expect(l.counts, l.id).toEqual({
        ok: mine.filter((f) => f.status === 'ok').length,
        warn: mine.filter((f) => f.status === 'warn').length,
        fail: mine.filter((f) => f.status === 'fail').length,
        skip: mine.filter((f) => f.status === 'skip').length,
      });
    }
    expect(last.find((l) => l.id === 'flux')?.state, 'not Flux-managed: every Flux check skips').toBe('skipped');
  });

  it('the token Secret deleted: exit 1, root cause token-secret-missing with the kubectl fix, FailedMount as evidence', async () => {
    const w = fastWorld();
    w.clusters.get('demo-staging')!.namespaces.get('gitlab-agent-staging')!.secrets.delete('staging-agent-token');
    const outcome = await runTroubleshoot(opts({ release: 'staging' }), ports(w), io());
    expect(outcome.exitCode, outcome.headline).toBe(1);
    const install = outcome.data!.installs[0]!;
    expect(install.rootCause).toEqual({ id: 'WL-SECRET-MISSING', category: 'token-secret-missing' });
    expect(outcome.headline).toBe(
      'demo-staging · gitlab-agent-staging/staging: token-secret-missing — Secret staging-agent-token does not exist in gitlab-agent-staging',
    );
    expect(outcome.details.join('\n')).toContain(
      'kubectl -n gitlab-agent-staging create secret generic staging-agent-token --from-file=token=',
    );
    const chain = outcome.sections?.[0];
    expect(chain?.kind === 'items' && chain.items[0]!.summary).toMatch(
      /^root cause · \[workload\] Secret staging-agent-token does not exist/,
    );
    const evidence = install.findings.flatMap((f) => f.evidence).join('\n');
    expect(evidence).toContain('MountVolume.SetUp failed for volume "token-volume" : secret "staging-agent-token" not found');
    // The mechanical fix, as data for a later "fix it" step: a new token into that Secret, then a restart.
    expect(install.fixes[0]).toEqual({
      kind: 'recreate-token-secret',
      namespace: 'gitlab-agent-staging',
      secretName: 'staging-agent-token',
      restartDeployment: 'staging-gitlab-agent-v2',
    });
  });

  it("a revoked agent token in GitLab: agent-token-revoked from the Secret's token-id annotation", async () => {
    const w = fastWorld();
    w.gitlab.tokens.find((t) => t.id === 32)!.status = 'revoked';
    const outcome = await runTroubleshoot(opts(), ports(w), io());
    expect(outcome.exitCode).toBe(1);
    expect(outcome.data!.installs[0]!.rootCause).toEqual({ id: 'GL-AGENT-TOKEN-REVOKED', category: 'agent-token-revoked' });
  });

  it('no GitLab token: the GitLab checks skip and the report says so; the cluster side is still diagnosed', async () => {
    const w = fastWorld();
    const outcome = await runTroubleshoot(opts(), ports(w, {}), io());
    expect(outcome.exitCode, outcome.headline).toBe(0);
    const install = outcome.data!.installs[0]!;
    expect(outcome.data!.gitlab).toBeNull();
    expect(install.findings.find((f) => f.id === 'GL-REACH')?.status).toBe('skip');
    expect(install.notCollected.join('\n')).toMatch(/GitLab was not asked .*GITLAB_TOKEN/);
    expect(w.record.gitlab).toEqual([]);
  });

  it("verification from this machine: the probes go to the Deployment's --kas-address, and an untrusted KAS certificate is reported", async () => {
    const w = fastWorld();
    const probed: unknown[] = [];
    const network: NetworkPort = {
      probeKas: async (target) => {
        probed.push(target);
        return {
          dns: { ok: true, addresses: ['203.0.113.7'] },
          tcp: { ok: true, address: '203.0.113.7:443' },
          tls: {
            systemCa: {
              ok: false,
              code: 'SELF_SIGNED_CERT_IN_CHAIN',
              message: 'self-signed certificate in certificate chain',
              chain: [
                { subject: 'CN=gitlab.example.com', issuer: 'CN=Example Corp Root CA' },
                { subject: 'CN=Example Corp Root CA', issuer: 'CN=Example Corp Root CA' },
              ],
              sans: ['DNS:gitlab.example.com'],
            },
          },
          upgrade: { status: 200, statusLine: 'HTTP/1.1 200 OK', contentType: 'text/html; charset=utf-8', htmlTitle: 'Sign in · Corp SSO' },
        };
      },
    };
    const outcome = await runTroubleshoot(opts(), { ...ports(w), network }, io());
    expect(probed).toEqual([
      {
        host: 'gitlab.example.com',
        port: 443,
        tls: true,
        serverName: 'gitlab.example.com',
        judgeTls: true,
        upgradePath: '/-/kubernetes-agent/',
      },
    ]);
    const install = outcome.data!.installs[0]!;
    const byId = Object.fromEntries(install.findings.map((f) => [f.id, f]));
    expect(byId['NET-DNS']?.status).toBe('ok');
    expect(byId['NET-TCP']?.status).toBe('ok');
    expect(install.findings.find((f) => f.category === 'kas-tls-untrusted-ca')).toMatchObject({ id: 'NET-TLS-CA', layer: 'connection' });
    expect(install.notCollected.join('\n')).not.toContain('not available here');
    expect(byId['NET-UPGRADE-BLOCKED']).toMatchObject({
      category: 'websocket-blocked',
      status: 'warn',
      evidence: [
        expect.stringContaining('→ HTTP/1.1 200 OK, Content-Type: text/html; charset=utf-8, HTML page "Sign in · Corp SSO"'),
        expect.stringContaining('connected anyway'),
      ],
    });
  });

  it('Flux-managed: a HelmRelease of the chart targeting the install is read with its conditions; its failure is the root cause', async () => {
    const w = fastWorld();
    const staging = w.clusters.get('demo-staging')!;
    staging.servedGroups = { 'source.toolkit.fluxcd.io': ['v1'], 'kustomize.toolkit.fluxcd.io': ['v1'], 'helm.toolkit.fluxcd.io': ['v2'] };
    const p = ports(w);
    const cluster = await p.kube.cluster({}, 'demo-staging');
    const apply = (o: Parameters<typeof cluster.applyObject>[0]) => cluster.applyObject(o, { fieldManager: 'test' });
    for (const name of ['source-controller', 'kustomize-controller', 'helm-controller']) {
      await apply({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name, namespace: 'flux-system', labels: { 'app.kubernetes.io/part-of': 'flux' } },
        status: { readyReplicas: 1 },
      });
    }
    await apply({
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      metadata: { name: 'gitlab-agent', namespace: 'flux-system' },
      spec: {
        chart: { spec: { chart: 'gitlab-agent', sourceRef: { kind: 'HelmRepository', name: 'gitlab' } } },
        targetNamespace: 'gitlab-agent-staging',
        releaseName: 'staging',
      },
      status: {
        observedGeneration: 1,
        upgradeFailures: 2,
        conditions: [
          {
            type: 'Ready',
            status: 'False',
            reason: 'UpgradeFailed',
            message:
              "Helm upgrade failed for release gitlab-agent-staging/staging with chart gitlab-agent@2.32.0: values don't meet the specifications of the schema(s)",
            observedGeneration: 1,
          },
        ],
      },
    });
    const outcome = await runTroubleshoot(opts(), p, io());
    const install = outcome.data!.installs[0]!;
    expect(install.findings.find((f) => f.id === 'FLX-INSTALLED')).toMatchObject({
      status: 'ok',
      evidence: ['source-controller ready', 'kustomize-controller ready', 'helm-controller ready'],
    });
    expect(install.findings.find((f) => f.category === 'flux-helmrelease-failed')).toMatchObject({
      status: 'fail',
      evidence: [expect.stringContaining('Ready=False UpgradeFailed: Helm upgrade failed'), 'installFailures: 0, upgradeFailures: 2'],
    });
    expect(install.rootCause).toEqual({ id: 'FLX-HELMRELEASE-FAILED', category: 'flux-helmrelease-failed' });
    expect(outcome.exitCode).toBe(1);
  });

  it("npm run demo's broken install: release legacy, its Secret gone, is found beside staging and diagnosed", async () => {
    const w = createDemoWorld({ timeScale: FAST, brokenInstall: true });
    const outcome = await runTroubleshoot(opts({ release: 'legacy' }), ports(w), io());
    expect(outcome.exitCode).toBe(1);
    expect(outcome.data!.installs[0]!.rootCause).toEqual({ id: 'WL-SECRET-MISSING', category: 'token-secret-missing' });
    // The rest of the cluster agrees: its Deployment has no Ready pod.
    const cluster = await ports(w).kube.cluster({}, 'demo-staging');
    expect((await cluster.findAgentDeployments('gitlab-agent-legacy'))[0]).toMatchObject({ release: 'legacy', desired: 2, ready: 0 });
    // Without it, the demo world is the plain one the other tests use.
    expect((await (await ports(fastWorld()).kube.cluster({}, 'demo-staging')).findAgentDeployments()).map((d) => d.release)).toEqual([
      'staging',
    ]);
  });

  it('a read_api token is enough to read; a token without it is the root cause gitlab-token-scope', async () => {
    const readApi = fastWorld();
    readApi.gitlab.scopes = ['read_api'];
    const ok = await runTroubleshoot(opts(), ports(readApi), io());
    expect(ok.exitCode, ok.headline).toBe(0);
    expect(ok.data!.installs[0]!.findings.find((f) => f.id === 'GL-AGENT-TOKEN')?.status).toBe('ok');
    const readUser = fastWorld();
    readUser.gitlab.scopes = ['read_user'];
    const bad = await runTroubleshoot(opts(), ports(readUser), io());
    expect(bad.exitCode).toBe(1);
    expect(bad.data!.installs[0]!.rootCause?.category).toBe('gitlab-token-scope');
  });

  describe('--fix', () => {
    const deleteSecret = (w: DemoWorld) =>
      w.clusters.get('demo-staging')!.namespaces.get('gitlab-agent-staging')!.secrets.delete('staging-agent-token');
    const fixOpts = (raw: RawOptions = {}) => opts({ fix: true, project: 'demo-group/infrastructure', ...raw });

    it('a missing token Secret, confirmed with --yes: a new token through the install steps (the two-token limit by --revoke-token), a restart, then healthy', async () => {
      const w = fastWorld();
      deleteSecret(w);
      const run = io();
      const outcome = await runTroubleshoot(fixOpts({ revokeToken: '31' }), ports(w), run);
      expect(outcome.exitCode, `${outcome.headline}\n${outcome.details.join('\n')}`).toBe(0);
      const install = outcome.data!.installs[0]!;
      expect(install.fixApplied).toMatchObject({
        kind: 'recreate-token-secret',
        rootCauseBefore: { id: 'WL-SECRET-MISSING', category: 'token-secret-missing' },
      });
      expect(install.rootCause).toBeNull();
      expect(outcome.details[0]).toMatch(
        /^Fixed token-secret-missing: token 33 written into Secret gitlab-agent-staging\/staging-agent-token, deployment\/staging-gitlab-agent-v2 restarted\.$/,
      );
      expect(tokenSecret(w, 'demo-staging', 'gitlab-agent-staging', 'staging-agent-token')).toMatchObject({
        tokenId: 33,
        managedByUs: true,
      });
      expect(gitlabWrites(w)).toEqual(['DELETE /projects/42/cluster_agents/17/tokens/31', 'POST /projects/42/cluster_agents/17/tokens']);
      expect(outcome.ledger.map((e) => e.kind)).toEqual(['revoked-token', 'token', 'secret']);
      expect(run.events).toContainEqual(expect.objectContaining({ type: 'step', title: 'Diagnosis (after the fix)', status: 'done' }));
      expect(JSON.stringify(outcome)).not.toContain(DEMO_AGENT_TOKEN);
    });

    it('flag mode without --yes: not confirmed (exit 2), nothing changed', async () => {
      const w = fastWorld();
      deleteSecret(w);
      const before = clusterState(w);
      const outcome = await runTroubleshoot(fixOpts({ revokeToken: '31' }), ports(w), {
        ...io(),
        asker: new FlagAsker('no terminal', false),
      });
      expect(outcome.exitCode).toBe(2);
      expect(outcome.headline).toMatch(
        /^--yes: Root cause token-secret-missing: type staging to create a new agent token .*: not confirmed/,
      );
      expect(gitlabWrites(w)).toEqual([]);
      expect(clusterState(w)).toEqual(before);
    });

    it('the Secret gone and no --project: the agent cannot be found, exit 1 naming --project, nothing created', async () => {
      const w = fastWorld();
      deleteSecret(w);
      const outcome = await runTroubleshoot(opts({ fix: true }), ports(w), io());
      expect(outcome.exitCode).toBe(1);
      expect(outcome.headline).toBe('fix failed: the GitLab agent of this install was not found, so no token can be created for it');
      expect(outcome.details).toContain('Next: pass --project <group/project> (and a GitLab token), or create the token by hand');
      expect(outcome.details).toContain('Nothing was created.');
      expect(gitlabWrites(w)).toEqual([]);
    });

    it('nothing failing: nothing to fix, nothing changed', async () => {
      const w = fastWorld();
      const outcome = await runTroubleshoot(fixOpts(), ports(w), io());
      expect(outcome.exitCode).toBe(0);
      expect(outcome.details).toContain('--fix: nothing to fix, no check failed.');
      expect(gitlabWrites(w)).toEqual([]);
    });
  });

  it("helm is asked once for a deployed release: discovery's list is reused, and no history is read", async () => {
    const w = fastWorld();
    const p = ports(w);
    const calls: string[] = [];
    const helm = {
      ...p.helm,
      listReleases: (...a: Parameters<typeof p.helm.listReleases>) => (calls.push(`list ${a[1] ?? '-A'}`), p.helm.listReleases(...a)),
      history: (...a: Parameters<typeof p.helm.history>) => (calls.push(`history ${a[0].release}`), p.helm.history(...a)),
    };
    const outcome = await runTroubleshoot(opts({ release: 'staging' }), { ...p, helm }, io());
    expect(outcome.exitCode, outcome.headline).toBe(0);
    expect(calls).toEqual(['list -A']);
    expect(outcome.data!.installs[0]!.findings.find((f) => f.id === 'WL-RELEASE')?.status).toBe('ok');
  });

  it('bad input is exit 2 before any call; an unknown --release names the installs there', async () => {
    const w = fastWorld();
    const bad = await runTroubleshoot(opts({ namespace: 'Not_A_Name' }), ports(w), io());
    expect(bad.exitCode).toBe(2);
    expect(bad.headline).toMatch(/^--namespace: /);
    expect(w.record.gitlab).toEqual([]);
    const unknown = await runTroubleshoot(opts({ release: 'nope' }), ports(w), io());
    expect(unknown.exitCode).toBe(2);
    expect(unknown.headline).toContain('choose one of: gitlab-agent-staging/staging');
  });

  it('a context without agents: exit 1 saying so', async () => {
    const outcome = await runTroubleshoot(opts({ context: 'demo-prod' }), ports(fastWorld()), io());
    expect(outcome.exitCode).toBe(1);
    expect(outcome.headline).toContain('no agent install found in context demo-prod');
  });
});
