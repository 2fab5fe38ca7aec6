/**
 * Case 2: the RBAC / identity / token variants.
 *  - --existing-role + --service-account + --token-secret in one install (everything pre-created by the
 *    "user": namespace, ClusterRole, ServiceAccount, and a Secret holding a token of an agent registered
 *    earlier) → bound to that role, no chart ServiceAccount, nothing created in GitLab;
 *  - --no-rbac (it excludes --existing-role, so a second install) → no ClusterRoleBinding at all.
 * helm 3 here: helm 4 is covered by install.e2e.test.ts (and, at the time of writing, any install into
 * an existing namespace fails with helm 4 because `helm list --all` is gone; see the report).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentContainer, agentObjects, type Secret } from './support/agent-objects.js';
import { connectWhenReady } from './support/agentk.js';
import { runCli, transcript } from './support/cli.js';
import { e2eEnv } from './support/env.js';
import { commonFlags, startGitLab, type E2eGitLab } from './support/gitlab.js';
import { kubectl, kubectlApply, kubectlJson } from './support/kube.js';
import { createSandbox, type Sandbox } from './support/sandbox.js';

describe('install variants', () => {
  describe('--existing-role, --service-account and --token-secret together', () => {
    let sb: Sandbox;
    let g: E2eGitLab;
    let agent: string;
    let namespace: string;
    let role: string;
    let sa: string;
    let ownSecret: string;
    let ownToken: { id: number; value: string; agentId: number };

    beforeAll(async () => {
      sb = createSandbox('variants-own', 3);
      // No simulated connection per new token: this run must not mint one; agentk "connects" below.
      g = await startGitLab({ connectAfterMs: undefined });
      agent = sb.name('own');
      namespace = sb.name('team-ns');
      role = sb.name('agent-role');
      sa = sb.name('my-sa');
      ownSecret = sb.name('my-agent-token');
      // Registered earlier by the user in the GitLab UI, with a token they copied.
      const registered = g.gl.state.addAgent(g.world.project, agent, g.world.maintainer);
      const t = g.gl.state.addAgentToken(registered, { name: 'from the UI', createdBy: g.world.maintainer });
      ownToken = { id: t.id, value: t.value, agentId: registered.id };
      await kubectlApply(`
apiVersion: v1
kind: Namespace
metadata: {name: ${namespace}}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: ${role}}
rules:
- apiGroups: [""]
  resources: ["pods", "configmaps"]
  verbs: ["get", "list", "watch"]
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: ${sa}, namespace: ${namespace}}
---
apiVersion: v1
kind: Secret
metadata: {name: ${ownSecret}, namespace: ${namespace}}
type: Opaque
stringData:
  token: ${t.value}
`);
    });
    afterAll(async () => g?.close());

    it('installs bound to the existing role, with the existing service account and the own Secret; GitLab untouched', async () => {
      const agentk = connectWhenReady(g.gl, ownToken.agentId, namespace, agent);
      const r = await runCli(
        sb,
        [
          'install',
          '--yes',
          '--project',
          'group/app',
          '--agent',
          agent,
          '--namespace',
          namespace,
          '--existing-role',
          role,
          '--service-account',
          sa,
          '--token-secret',
          ownSecret,
          '--context',
          'e2e-admin',
          ...commonFlags(g, e2eEnv().chartRepo),
        ],
        { env: { GITLAB_TOKEN: g.pat } },
      ).finally(agentk.stop);
      expect(r.code, transcript(r)).toBe(0);
      expect(r.stdout).toContain(`✓ Agent ${agent} is installed, Ready and connected.`);
      expect(r.stdout).toContain(`Token: your own in Secret ${namespace}/${ownSecret}`);
      expect(agentk.connected(), 'the simulated agentk connected once the pods were Ready').toBe(true);

      // GitLab: the agent existed and the token is the user's: nothing was written.
      expect(g.mutations(), g.log()).toEqual([]);
      expect([...g.gl.state.agentTokens.values()].map((t) => t.id)).toEqual([ownToken.id]);
      expect(g.gl.state.agentsOf(g.world.project)).toHaveLength(1);

      const o = await agentObjects(namespace, agent);
      // RBAC: one binding, to the user's role, for the user's service account; container scanning (which would
      // bring its own ServiceAccount and cluster-wide binding) follows --service-account and is off.
      expect(o.clusterRoleBindings).toHaveLength(1);
      expect(o.clusterRoleBindings[0]!.roleRef).toMatchObject({ kind: 'ClusterRole', name: role });
      expect(o.clusterRoleBindings[0]!.subjects).toEqual([{ kind: 'ServiceAccount', name: sa, namespace }]);
      expect(r.stderr).toContain('Container scanning  off');
      // Identity: no chart ServiceAccount, the pods run as the user's.
      expect(o.serviceAccounts, 'ServiceAccounts created by the chart').toEqual([]);
      const chartSa = await kubectl(['get', 'serviceaccount', `${agent}-gitlab-agent`, '-n', namespace], { allowFail: true });
      expect(chartSa.stderr).toMatch(/NotFound/);
      const d = o.deployments[0]!;
      expect(d.spec.template.spec.serviceAccountName).toBe(sa);
      // Token: the pods mount the user's Secret; ours was not created; theirs was left as it was.
      expect(d.spec.template.spec.volumes?.find((v) => v.secret)?.secret?.secretName).toBe(ownSecret);
      expect(agentContainer(d).args).toContain('--token-file=/etc/agentk/secrets/token');
      const ours = await kubectl(['get', 'secret', `${agent}-agent-token`, '-n', namespace], { allowFail: true });
      expect(ours.stderr).toMatch(/NotFound/);
      const theirs = await kubectlJson<Secret>(['get', 'secret', ownSecret, '-n', namespace]);
      expect(Buffer.from(theirs.data!.token!, 'base64').toString('utf8')).toBe(ownToken.value);
      expect(theirs.metadata.labels ?? {}).toEqual({});
    });
  });

  describe('--no-rbac', () => {
    let g: E2eGitLab;
    afterAll(async () => g?.close());

    it('installs without any ClusterRoleBinding, with the chart service account and a new token', async () => {
      const sb = createSandbox('variants-norbac', 3);
      g = await startGitLab();
      const agent = sb.name('norbac');
      const namespace = `gitlab-agent-${agent}`;
      const r = await runCli(
        sb,
        [
          'install',
          '--yes',
          '--project',
          'group/app',
          '--agent',
          agent,
          '--no-rbac',
          '--context',
          'e2e-admin',
          ...commonFlags(g, e2eEnv().chartRepo),
        ],
        { env: { GITLAB_TOKEN: g.pat } },
      );
      expect(r.code, transcript(r)).toBe(0);
      expect(r.stdout).toContain(`✓ Agent ${agent} is installed, Ready and connected.`);
      expect(r.stderr, 'no cluster-admin warning without a binding').not.toContain('The agent gets cluster-admin');

      const o = await agentObjects(namespace, agent);
      expect(o.deployments).toHaveLength(1);
      expect(o.clusterRoleBindings, 'ClusterRoleBindings of the release').toEqual([]);
      const anyBinding = await kubectlJson<{ items: { subjects?: { namespace?: string }[] }[] }>(['get', 'clusterrolebindings']);
      expect(anyBinding.items.filter((b) => b.subjects?.some((s) => s.namespace === namespace))).toEqual([]);
      // Container scanning follows --no-rbac (its ClusterRoleBinding would contradict it): no scanner objects.
      expect(o.serviceAccounts.map((s) => s.metadata.name)).toEqual([`${agent}-gitlab-agent`]);
      expect(r.stderr).toContain('Container scanning  off');
      expect(g.gl.state.agentTokens.size).toBe(1);
    });
  });

  describe('a namespace that enforces Pod Security "restricted"', () => {
    let g: E2eGitLab;
    afterAll(async () => g?.close());

    it('the agent is admitted and Ready with the default securityContext; the chart default would not be', async () => {
      const sb = createSandbox('variants-psa', 3);
      g = await startGitLab();
      const agent = sb.name('psa');
      const namespace = sb.name('locked-down');
      await kubectlApply(
        `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${namespace}\n  labels:\n    pod-security.kubernetes.io/enforce: restricted\n`,
      );
      const r = await runCli(
        sb,
        [
          'install',
          '--yes',
          '--project',
          'group/app',
          '--agent',
          agent,
          '--namespace',
          namespace,
          '--context',
          'e2e-admin',
          ...commonFlags(g, e2eEnv().chartRepo),
        ],
        { env: { GITLAB_TOKEN: g.pat } },
      );
      expect(r.code, transcript(r)).toBe(0);
      expect(r.stdout).toContain(`✓ Agent ${agent} is installed, Ready and connected.`);
      const d = (await agentObjects(namespace, agent)).deployments[0]!;
      const spec = d.spec.template.spec as { securityContext?: Record<string, unknown> };
      expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      expect(agentContainer(d)).toMatchObject({
        securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
      });
      // The chart default (an empty securityContext) would violate it: the API server says so for any such workload.
      const dry = await kubectl(['create', 'deployment', 'probe', '--image', 'busybox', '-n', namespace, '--dry-run=server'], {
        allowFail: true,
      });
      expect(dry.stderr + dry.stdout).toMatch(/violate PodSecurity "restricted/);
    });

    it('a namespace we create is labelled with the level the agent passes', async () => {
      const sb = createSandbox('variants-psa-new', 3);
      const agent = sb.name('psanew');
      const namespace = `gitlab-agent-${agent}`;
      const r = await runCli(
        sb,
        [
          'install',
          '--yes',
          '--project',
          'group/app',
          '--agent',
          agent,
          '--no-container-scanning',
          '--context',
          'e2e-admin',
          ...commonFlags(g, e2eEnv().chartRepo),
        ],
        { env: { GITLAB_TOKEN: g.pat } },
      );
      expect(r.code, transcript(r)).toBe(0);
      const ns = await kubectlJson<{ metadata: { labels?: Record<string, string> } }>(['get', 'namespace', namespace]);
      expect(ns.metadata.labels).toMatchObject({
        'pod-security.kubernetes.io/enforce': 'restricted',
        'app.kubernetes.io/managed-by': 'gitlab-agent-tui',
      });
      expect(r.stderr).toMatch(/Pod security\s+restricted securityContext .*new namespace enforces restricted/);
    });
  });

  describe('--set nameOverride', () => {
    let g: E2eGitLab;
    afterAll(async () => g?.close());

    it("waits for the release's own pods although the chart's name label changed, and finds the install again", async () => {
      const sb = createSandbox('variants-name', 3);
      g = await startGitLab();
      const agent = sb.name('renamed');
      const namespace = `gitlab-agent-${agent}`;
      const base = ['--project', 'group/app', '--agent', agent, '--context', 'e2e-admin', ...commonFlags(g, e2eEnv().chartRepo)];
      const r = await runCli(sb, ['install', '--yes', ...base, '--set', 'nameOverride=agentk-custom'], { env: { GITLAB_TOKEN: g.pat } });
      expect(r.code, transcript(r)).toBe(0);
      expect(r.stdout).toContain(`✓ Agent ${agent} is installed, Ready and connected.`);
      // The chart's labels really changed: a watcher on app.kubernetes.io/name=gitlab-agent would see nothing.
      const pods = await kubectlJson<{ items: { metadata: { labels: Record<string, string> } }[] }>([
        'get',
        'pods',
        '-n',
        namespace,
        '-l',
        `app.kubernetes.io/instance=${agent}`,
      ]);
      expect(pods.items.length).toBeGreaterThan(0);
      expect(pods.items.every((p) => p.metadata.labels['app.kubernetes.io/name'] === 'agentk-custom')).toBe(true);
      // status finds it by the release, not by the name label.
      const s = await runCli(
        sb,
        ['status', '--context', 'e2e-admin', '--namespace', namespace, '--gitlab-url', g.gl.url, '--output', 'json'],
        { env: { GITLAB_TOKEN: g.pat } },
      );
      const doc = JSON.parse(s.stdout) as { contexts: { installs: Record<string, unknown>[] }[] };
      expect(doc.contexts[0]!.installs, transcript(s)).toEqual([
        expect.objectContaining({ namespace, release: agent, pods: { ready: 2, desired: 2 } }),
      ]);
    });
  });
});
