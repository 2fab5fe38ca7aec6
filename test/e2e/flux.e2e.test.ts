/**
 * --method flux against the real control plane with Flux's CRDs (not its controllers): the test plays
 * source-, kustomize- and helm-controller by reading what the CLI committed to the fake GitLab,
 * applying it, running helm, and writing the statuses Flux would write. Asserted: the one commit and its
 * files (API versions, pinned chart and tag, our Secret name), the token Secret (and no token in Git),
 * the reconcile annotation, and the watch ending in success or in Flux's own failure message.
 */
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { runCli, transcript, type CliResult } from './support/cli.js';
import { e2eEnv } from './support/env.js';
import { commonFlags, startGitLab, type E2eGitLab } from './support/gitlab.js';
import {
  bootstrapFlux,
  FLUX_NS,
  installFlux,
  lastReconcileRequest,
  notReady,
  ready,
  reconcileRequested,
  writeStatus,
} from './support/flux.js';
import { helm, kubectl, kubectlApply, kubectlJson } from './support/kube.js';
import type { Secret } from './support/agent-objects.js';
import { createSandbox, type Sandbox } from './support/sandbox.js';

const CHART_VERSION = '2.32.0';

describe('install --method flux', () => {
  let sb: Sandbox;
  let g: E2eGitLab;

  beforeAll(async () => {
    sb = createSandbox('flux');
    g = await startGitLab();
    await installFlux();
  });
  afterAll(async () => g?.close());

  const flags = (agent: string, extra: string[] = []) => [
    'install',
    '--yes',
    '--method',
    'flux',
    '--project',
    'group/app',
    '--agent',
    agent,
    '--context',
    'e2e-admin',
    '--chart-version',
    CHART_VERSION,
    ...commonFlags(g, e2eEnv().chartRepo),
    ...extra,
  ];
  const repository = () => g.gl.state.repository(g.world.project);
  const headCommit = () => repository().branches.get('main')!;
  const fileAt = (path: string) => g.gl.state.file(g.world.project, path);

  /** Plays Flux for one run: once the CLI asks for a reconciliation, `play` acts as the controllers. */
  async function withFlux(args: string[], play: (commit: string) => Promise<void>): Promise<CliResult> {
    const previous = await lastReconcileRequest();
    const run = runCli(sb, args, { env: { GITLAB_TOKEN: g.pat } });
    const played = reconcileRequested(previous).then(async () => {
      const commit = headCommit();
      await writeStatus('gitrepository', 'flux-system', {
        artifact: {
          revision: `main@sha1:${commit}`,
          digest: 'sha256:0',
          lastUpdateTime: new Date().toISOString(),
          path: 'x',
          url: 'http://x',
        },
        conditions: [ready('Succeeded', `stored artifact for revision 'main@sha1:${commit}'`)],
      });
      await play(commit);
    });
    const [r] = await Promise.all([
      run,
      played.catch((err: unknown) => {
        throw new Error(`playing Flux failed: ${(err as Error).message}`);
      }),
    ]);
    return r;
  }

  /** kustomize-controller: apply what the commit put under `dir`, then report the revision applied. */
  async function applyRevision(dir: string, commit: string): Promise<void> {
    await kubectlApply([fileAt(`${dir}/helm-repository.yaml`)!, fileAt(`${dir}/helm-release.yaml`)!].join('---\n'));
    await writeStatus('kustomization', 'flux-system', {
      lastAppliedRevision: `main@sha1:${commit}`,
      lastAttemptedRevision: `main@sha1:${commit}`,
      conditions: [ready('ReconciliationSucceeded', `Applied revision: main@sha1:${commit}`)],
    });
  }

  /** helm-controller: install the chart with the HelmRelease's values into its target namespace, then report it. */
  async function helmControllerInstalls(dir: string, agent: string): Promise<void> {
    const hr = parse(fileAt(`${dir}/helm-release.yaml`)!) as { spec: { releaseName: string; targetNamespace: string; values: unknown } };
    const values = `${sb.tmp}/hr-values-${agent}.yaml`;
    writeFileSync(values, stringify(hr.spec.values));
    await helm(sb, [
      'upgrade',
      '--install',
      hr.spec.releaseName,
      'gitlab-agent',
      '--repo',
      e2eEnv().chartRepo,
      '--version',
      CHART_VERSION,
      '-n',
      hr.spec.targetNamespace,
      '-f',
      values,
    ]);
    await writeStatus('helmrelease', agent, {
      conditions: [
        ready(
          'InstallSucceeded',
          `Helm install succeeded for release ${hr.spec.targetNamespace}/${agent}.v1 with chart gitlab-agent@${CHART_VERSION}`,
        ),
        { type: 'Released', status: 'True', reason: 'InstallSucceeded', message: 'Helm install succeeded' },
      ],
    });
  }

  it('commits the HelmRepository and HelmRelease in one commit, creates the Secret, and ends Ready and connected', async () => {
    await bootstrapFlux(`${g.gl.url}/group/app.git`, './clusters/e2e');
    const agent = sb.name('flux');
    const namespace = `gitlab-agent-${agent}`;
    const dir = `clusters/e2e/gitlab-agent-${agent}`;
    const commitsBefore = repository().commits.size;
    const r = await withFlux(flags(agent), async (commit) => {
      await applyRevision(dir, commit);
      await helmControllerInstalls(dir, agent);
    });
    expect(r.code, transcript(r)).toBe(0);
    expect(r.stdout).toContain(`✓ Agent ${agent} is installed, Ready and connected.`);
    expect(r.stderr).toMatch(/✓ Flux reconciled: HelmRelease flux-system\/\S+: Helm install succeeded/);
    expect(r.stderr).toMatch(/✓ Connected to GitLab/);

    // One commit, three files, on the branch the GitRepository follows.
    expect(repository().commits.size - commitsBefore).toBe(1);
    const commit = repository().resolve('main')!;
    expect(commit.message).toContain(`Install GitLab agent ${agent}`);
    const release = parse(fileAt(`${dir}/helm-release.yaml`)!) as Record<string, any>;
    const repo = parse(fileAt(`${dir}/helm-repository.yaml`)!) as Record<string, any>;
    expect(repo).toMatchObject({
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'HelmRepository',
      metadata: { namespace: FLUX_NS },
      spec: { url: e2eEnv().chartRepo },
    });
    expect(release).toMatchObject({
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      metadata: { name: agent, namespace: FLUX_NS },
      spec: {
        targetNamespace: namespace,
        chart: { spec: { chart: 'gitlab-agent', version: CHART_VERSION } },
        values: { image: { tag: 'v17.6.2' }, config: { secretName: `${agent}-agent-token` } },
      },
    });
    expect((parse(fileAt(`${dir}/kustomization.yaml`)!) as { resources: string[] }).resources).toEqual([
      'helm-repository.yaml',
      'helm-release.yaml',
    ]);

    // The token: in its Secret, nowhere in Git.
    const token = [...g.gl.state.agentTokens.values()].find((t) => t.status === 'active')!;
    const secret = await kubectlJson<Secret>(['get', 'secret', `${agent}-agent-token`, '-n', namespace]);
    expect(Buffer.from(secret.data!.token!, 'base64').toString('utf8')).toBe(token.value);
    for (const [, content] of commit.tree) expect(content).not.toContain(token.value);

    // The reconcile request reached both objects.
    const ks = await kubectlJson<{ metadata: { annotations?: Record<string, string> } }>([
      'get',
      'kustomization',
      'flux-system',
      '-n',
      FLUX_NS,
    ]);
    expect(ks.metadata.annotations?.['reconcile.fluxcd.io/requestedAt']).toMatch(/^\d{4}-/);
  });

  it('refuses a --manifest-path outside the Flux path before anything is created (exit 2)', async () => {
    const agent = sb.name('fluxpath');
    const writes = g.mutations().length;
    const r = await runCli(sb, flags(agent, ['--manifest-path', 'apps']), { env: { GITLAB_TOKEN: g.pat } });
    expect(r.code, transcript(r)).toBe(2);
    expect(r.stderr).toContain(
      '--manifest-path: Kustomization flux-system/flux-system reconciles "clusters/e2e" on main, so manifests committed to "apps" would never be applied',
    );
    expect(g.mutations().length).toBe(writes);
  });

  it("reports helm-controller's message when the HelmRelease fails to install (exit 1)", async () => {
    const agent = sb.name('fluxfail');
    const dir = `clusters/e2e/gitlab-agent-${agent}`;
    const r = await withFlux(flags(agent), async (commit) => {
      await applyRevision(dir, commit);
      await writeStatus('helmrelease', agent, {
        conditions: [
          notReady(
            'InstallFailed',
            `Helm install failed for release gitlab-agent-${agent}/${agent} with chart gitlab-agent@${CHART_VERSION}`,
          ),
          {
            type: 'Released',
            status: 'False',
            reason: 'InstallFailed',
            message: 'Helm install failed for release x: unable to build kubernetes objects from release manifest: error validating data',
          },
        ],
      });
    });
    expect(r.code, transcript(r)).toBe(1);
    expect(r.stderr).toContain(
      `HelmRelease flux-system/${agent}: Helm install failed for release x: unable to build kubernetes objects from release manifest: error validating data`,
    );
    expect(r.stderr).not.toMatch(/failed to reconcile/i);
  });

  it('names a path mismatch when Flux applied the commit but made no HelmRelease (exit 1)', async () => {
    const agent = sb.name('fluxmiss');
    const r = await withFlux(flags(agent), async (commit) => {
      // The Kustomization applied the revision, but (as with another --path) not our directory.
      await writeStatus('kustomization', 'flux-system', {
        lastAppliedRevision: `main@sha1:${commit}`,
        lastAttemptedRevision: `main@sha1:${commit}`,
        conditions: [ready('ReconciliationSucceeded', `Applied revision: main@sha1:${commit}`)],
      });
    });
    expect(r.code, transcript(r)).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(`there is no HelmRelease flux-system/${agent}: the manifests in "clusters/e2e" are outside what it reconciles`),
    );
    expect(r.stderr).toContain('flux bootstrap --path');
  });

  it('a protected Flux branch is refused before anything is created; --merge-request opens a merge request and waits for it', async () => {
    const { mergeMergeRequest, mergeRequestsOf } = await import('../fake-gitlab/server.js');
    g.gl.state.protectBranch(g.world.project, 'main', 'no_one');
    try {
      const agent = sb.name('fluxmr');
      const writes = g.mutations().length;
      const refused = await runCli(sb, flags(agent), { env: { GITLAB_TOKEN: g.pat } });
      expect(refused.code, transcript(refused)).toBe(2);
      expect(refused.stderr).toContain('--merge-request: main of group/app is protected and you may not push to it');
      expect(g.mutations().length, 'nothing created').toBe(writes);

      const dir = `clusters/e2e/gitlab-agent-${agent}`;
      const r = await withFlux(flags(agent, ['--merge-request']), async () => {
        const mr = mergeRequestsOf(g.gl.state).at(-1)!;
        expect(mr).toMatchObject({
          state: 'opened',
          targetBranch: 'main',
          sourceBranch: expect.stringMatching(new RegExp(`^gitlab-agent-tui/${agent}-`)),
        });
        mergeMergeRequest(g.gl.state, g.world.project, mr.iid);
        const merged = headCommit();
        await applyRevision(dir, merged);
        await helmControllerInstalls(dir, agent);
      });
      expect(r.code, transcript(r)).toBe(0);
      expect(r.stdout).toContain(`✓ Agent ${agent} is installed, Ready and connected.`);
      expect(r.stderr).toMatch(/merge request !\d+: http\S+\/-\/merge_requests\/\d+/);
      expect(r.stderr).toMatch(/✓ Flux reconciled: HelmRelease flux-system\/\S+: Helm install succeeded/);
    } finally {
      g.gl.state.protectBranch(g.world.project, 'main', 'maintainers');
    }
  });

  it('at the repository root without a kustomization.yaml: warns, and reports the failure Flux then has (exit 1)', async () => {
    await bootstrapFlux(`${g.gl.url}/group/app.git`, './');
    const agent = sb.name('fluxroot');
    const message = `kustomize build failed: accumulating resources: .gitlab/agents/${agent}/config.yaml: missing Resource metadata`;
    const r = await withFlux(flags(agent, ['--create-config', 'empty']), async (commit) => {
      await writeStatus('kustomization', 'flux-system', {
        lastAttemptedRevision: `main@sha1:${commit}`,
        conditions: [notReady('BuildFailed', message)],
      });
    });
    expect(r.code, transcript(r)).toBe(1);
    expect(r.stderr).toContain('reconciles the repository root, which has no kustomization.yaml');
    expect(r.stderr).toContain(`Kustomization flux-system/flux-system: ${message}`);
    expect(r.stderr).toContain('--add-root-kustomization');
    expect(fileAt(`.gitlab/agents/${agent}/config.yaml`)).toBeDefined();
    expect(fileAt('kustomization.yaml')).toBeUndefined();
  });

  it('refuses to commit while a Flux controller is not running (exit 1, nothing created)', async () => {
    const writes = g.mutations().length;
    await kubectl(['scale', 'deployment/helm-controller', '-n', FLUX_NS, '--replicas=0']);
    try {
      await kubectl(['rollout', 'status', 'deployment/helm-controller', '-n', FLUX_NS, '--timeout=30s']);
      const { pollUntil } = await import('./support/poll.js');
      await pollUntil(
        async () =>
          ((await kubectlJson<{ status?: { readyReplicas?: number } }>(['get', 'deployment', 'helm-controller', '-n', FLUX_NS])).status
            ?.readyReplicas ?? 0) === 0,
        'helm-controller scaled down',
      );
      const r = await runCli(sb, flags(sb.name('fluxdown')), { env: { GITLAB_TOKEN: g.pat } });
      expect(r.code, transcript(r)).toBe(1);
      expect(r.stderr).toContain('Flux in flux-system is not running: helm-controller has no Ready replica');
      expect(g.mutations().length).toBe(writes);
    } finally {
      await kubectl(['scale', 'deployment/helm-controller', '-n', FLUX_NS, '--replicas=1']);
    }
  });
});
