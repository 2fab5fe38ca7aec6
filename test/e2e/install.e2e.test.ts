/**
 * Cases 1 and 3: a non-interactive install with proxy and KAS CA, then the same command again,
 * once with helm 3 and once with helm 4. Asserts what the user sees, what reached the cluster
 * (Deployment, CA ConfigMap, ServiceAccount, ClusterRoleBinding, token Secret, helm records) and
 * what reached GitLab; and that the agent token is nowhere but in its Secret.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentContainer, agentObjects, envOf, namespaceObjects, type Secret } from './support/agent-objects.js';
import { runCli, transcript, type CliResult } from './support/cli.js';
import { e2eEnv } from './support/env.js';
import { commonFlags, startGitLab, type E2eGitLab } from './support/gitlab.js';
import { decodedReleaseRecords, helm, helmRevisions, kubectlJson } from './support/kube.js';
import { KAS_CA_PEM, ROOT } from './support/paths.js';
import { createSandbox, type HelmMajor, type Sandbox } from './support/sandbox.js';
import { leaksIn, secretForms } from './support/secrets.js';

describe.each([3, 4] as HelmMajor[])('install --yes with helm %i', (helmMajor) => {
  let sb: Sandbox;
  let g: E2eGitLab;
  let agent: string;
  let namespace: string;
  let release: string;
  let args: string[];
  let first: CliResult | undefined;

  beforeAll(async () => {
    sb = createSandbox(`install-h${helmMajor}`, helmMajor);
    g = await startGitLab();
    agent = sb.name(`h${helmMajor}`);
    namespace = `gitlab-agent-${agent}`;
    release = agent;
    args = [
      'install',
      '--yes',
      '--project',
      'group/app',
      '--agent',
      agent,
      '--https-proxy',
      'http://proxy.internal:3128',
      '--no-proxy',
      '.svc,.cluster.local',
      '--kas-ca-cert',
      KAS_CA_PEM,
      '--context',
      'e2e-admin',
      ...commonFlags(g, e2eEnv().chartRepo),
    ];
  });
  afterAll(async () => g?.close());

  const issuedToken = () => {
    const tokens = [...g.gl.state.agentTokens.values()];
    expect(tokens, 'agent tokens in GitLab').toHaveLength(1);
    return tokens[0]!;
  };

  it('installs: exit 0, Ready and connected, with the chosen helm', async () => {
    first = await runCli(sb, args, { env: { GITLAB_TOKEN: g.pat } });
    const r = first;
    expect(r.code, transcript(r)).toBe(0);
    expect(r.stdout).toContain(`✓ Agent ${agent} is installed, Ready and connected.`);
    expect(r.stdout).toContain(`Release ${release} in namespace ${namespace} on context e2e-admin`);
    expect(r.stderr).toMatch(new RegExp(`✓ Helm: v${helmMajor}\\.`));
    expect(r.stderr).toMatch(/✓ Agent pods Ready: 2\/2 pods ready/);
    // GitLab lists the live connection (GraphQL) or, failing that, the token's last use.
    expect(r.stderr).toMatch(/✓ Connected to GitLab: (\d+ agentk connections? |token \d+ used at )/);
    // The review shows the proxy and the CA it parsed.
    expect(r.stderr).toContain('HTTPS_PROXY=http://proxy.internal:3128');
    expect(r.stderr).toMatch(/KAS CA certificate\s+\S*kas-ca\.pem: CN=test-kas-ca/);
  });

  it('registered one agent and created one token in GitLab, and GitLab saw it connect', () => {
    expect(first, 'the install ran').toBeDefined();
    const agents = g.gl.state.agentsOf(g.world.project);
    expect(agents.map((a) => a.name)).toEqual([agent]);
    const token = issuedToken();
    expect(token.agentId).toBe(agents[0]!.id);
    expect(token.status).toBe('active');
    expect(token.lastUsedAt, 'the token was used (agent connected)').toBeTruthy();
    const writes = g.mutations().map((m) => `${m.method} ${m.path}`);
    expect(writes, g.log()).toEqual([
      `POST /api/v4/projects/${g.world.project.id}/cluster_agents`,
      `POST /api/v4/projects/${g.world.project.id}/cluster_agents/${agents[0]!.id}/tokens`,
    ]);
  });

  it('put the agent into the cluster: Deployment with proxy env, mounted CA, ServiceAccount bound to cluster-admin', async () => {
    expect(first, 'the install ran').toBeDefined();
    const o = await agentObjects(namespace, release);
    expect(o.deployments.map((d) => d.metadata.name)).toEqual([`${release}-gitlab-agent-v2`]);
    const d = o.deployments[0]!;
    expect(d.status?.readyReplicas, 'ready replicas').toBe(d.spec.replicas);
    const c = agentContainer(d);
    const env = envOf(c);
    expect(env.HTTPS_PROXY).toBe('http://proxy.internal:3128');
    expect(env.NO_PROXY).toBe('.svc,.cluster.local');
    expect(env.HTTP_PROXY, 'no --http-proxy was given').toBeUndefined();

    // The CA: a ConfigMap holding exactly the PEM, mounted into the agent container and passed to agentk.
    const pem = readFileSync(KAS_CA_PEM, 'utf8');
    const caMaps = o.configMaps.filter((cm) => cm.data?.['ca.crt'] !== undefined);
    expect(caMaps.map((cm) => cm.metadata.name)).toEqual([`${release}-gitlab-agent`]);
    expect(caMaps[0]!.data!['ca.crt']!.trim()).toBe(pem.trim());
    const caVolume = d.spec.template.spec.volumes?.find((v) => v.configMap?.name === caMaps[0]!.metadata.name);
    expect(caVolume, 'a volume from the CA ConfigMap').toBeDefined();
    const caMount = c.volumeMounts?.find((m) => m.name === caVolume!.name);
    expect(caMount, 'the CA volume is mounted in the agent container').toBeDefined();
    expect(c.args).toContain(`--kas-ca-cert-file=${caMount!.mountPath}/ca.crt`);

    // Identity and rights.
    const sa = `${release}-gitlab-agent`;
    // As the official chart: the agent's ServiceAccount plus container scanning's own (on by default).
    const ocsSa = `${sa}-ocs-scanning-pod-sa`;
    expect(o.serviceAccounts.map((s) => s.metadata.name).sort()).toEqual([sa, ocsSa]);
    expect(d.spec.template.spec.serviceAccountName).toBe(sa);
    expect(o.clusterRoleBindings.map((b) => b.metadata.name).sort()).toEqual([
      `${namespace}:${sa}-cluster-admin`,
      `${namespace}:${sa}:ocs`,
    ]);
    const crb = o.clusterRoleBindings.find((b) => b.roleRef.name === 'cluster-admin')!;
    expect(crb.subjects).toEqual([{ kind: 'ServiceAccount', name: sa, namespace }]);
    const ocs = o.clusterRoleBindings.find((b) => b.roleRef.name !== 'cluster-admin')!;
    expect(ocs.subjects).toEqual([{ kind: 'ServiceAccount', name: ocsSa, namespace }]);
    expect(first!.stderr, 'the review says what container scanning brings').toContain('Container scanning  on (chart default)');
    // The review names the identities and rights the rendered chart creates, before anything is created.
    const creates = first!.stderr.split('\n').find((l) => l.includes('Creates (RBAC)')) ?? '';
    for (const name of [
      `ServiceAccount ${sa}`,
      `ServiceAccount ${ocsSa}`,
      `ClusterRoleBinding ${namespace}:${sa}-cluster-admin`,
      `ClusterRole ${namespace}:${sa}:ocs`,
    ])
      expect(creates).toContain(name);
    expect(creates).toMatch(/! 3 cluster-wide/);
  });

  it('stored exactly the issued token in Secret <agent>-agent-token, annotated with its id, and the pods mount it', async () => {
    expect(first, 'the install ran').toBeDefined();
    const token = issuedToken();
    const secret = await kubectlJson<Secret>(['get', 'secret', `${agent}-agent-token`, '-n', namespace]);
    expect(secret.type).toBe('Opaque');
    expect(Object.keys(secret.data ?? {})).toEqual(['token']);
    expect(Buffer.from(secret.data!.token!, 'base64').toString('utf8')).toBe(token.value);
    expect(secret.metadata.annotations?.['gitlab.com/agent-token-id']).toBe(String(token.id));
    const [d] = (await agentObjects(namespace, release)).deployments;
    expect(d!.spec.template.spec.volumes?.some((v) => v.secret?.secretName === `${agent}-agent-token`)).toBe(true);
  });

  it('re-running the same command reuses everything: exit 0, no new agent or token, release revision 2', async () => {
    expect(first, 'the first install ran').toBeDefined();
    const writesBefore = g.mutations().length;
    const tokenBefore = issuedToken();
    // agentk stays connected between the runs: GitLab keeps refreshing the token's last_used_at.
    g.gl.state.markConnected(tokenBefore.agentId);
    const r = await runCli(sb, args, { env: { GITLAB_TOKEN: g.pat } });
    expect(r.code, transcript(r)).toBe(0);
    expect(r.stdout).toContain(`✓ Agent ${agent} is installed, Ready and connected.`);
    expect(r.stderr).toMatch(new RegExp(`✓ Register agent: reusing ${agent} \\(id \\d+\\)`));
    expect(r.stderr).toContain(`✓ Agent token: reusing active token ${tokenBefore.id}`);
    expect(g.mutations().length, g.log()).toBe(writesBefore);
    expect(g.gl.state.agentsOf(g.world.project)).toHaveLength(1);
    expect(issuedToken().id).toBe(tokenBefore.id);
    expect(await helmRevisions(sb, release, namespace)).toEqual([1, 2]);
    const secret = await kubectlJson<Secret>(['get', 'secret', `${agent}-agent-token`, '-n', namespace]);
    expect(Buffer.from(secret.data!.token!, 'base64').toString('utf8')).toBe(tokenBefore.value);
  });

  it('the agent token is in no ConfigMap, annotation, helm values, manifest or release record of any revision', async () => {
    expect(first, 'the install ran').toBeDefined();
    const token = issuedToken();
    const needles = secretForms('agent token', token.value);
    const found: string[] = [];
    const check = (where: string, text: string) => {
      for (const leak of leaksIn(text, needles)) found.push(`${leak} in ${where}`);
    };

    for (const obj of await namespaceObjects(namespace)) {
      const where = `${obj.kind} ${obj.metadata.name}`;
      check(`annotations of ${where}`, JSON.stringify(obj.metadata.annotations ?? {}));
      check(`labels of ${where}`, JSON.stringify(obj.metadata.labels ?? {}));
      if (obj.kind === 'ConfigMap') check(where, JSON.stringify(obj));
    }
    for (const crb of (await agentObjects(namespace, release)).clusterRoleBindings)
      check(`ClusterRoleBinding ${crb.metadata.name}`, JSON.stringify(crb));

    // Every revision there is (two after the re-run; the re-run test checks that count itself).
    const revisions = await helmRevisions(sb, release, namespace);
    expect(revisions.length).toBeGreaterThanOrEqual(1);
    check('helm get values --all', (await helm(sb, ['get', 'values', release, '-n', namespace, '--all', '-o', 'json'])).stdout);
    check('helm get manifest', (await helm(sb, ['get', 'manifest', release, '-n', namespace])).stdout);
    for (const n of revisions) {
      const rev = ['--revision', String(n)];
      check(`helm get values --all --revision ${n}`, (await helm(sb, ['get', 'values', release, '-n', namespace, '--all', ...rev])).stdout);
      check(`helm get manifest --revision ${n}`, (await helm(sb, ['get', 'manifest', release, '-n', namespace, ...rev])).stdout);
      check(`helm get all --revision ${n}`, (await helm(sb, ['get', 'all', release, '-n', namespace, ...rev])).stdout);
    }
    const records = await decodedReleaseRecords(namespace, release);
    expect(records).toHaveLength(revisions.length);
    records.forEach((rec, i) => check(`decoded helm release record #${i + 1}`, rec));
    // And the scan does see what it looks for: the record holds the Secret's name and the KAS address.
    expect(records[0]).toContain(`${agent}-agent-token`);

    expect(found).toEqual([]);
  });

  it('a token revoked in GitLab, then the same command: a new token in the Secret, and the pods restarted with it', async () => {
    expect(first, 'the first install ran').toBeDefined();
    const before = (await agentObjects(namespace, release)).deployments[0]!;
    const oldId = before.spec.template.metadata.annotations?.['gitlab-agent-tui/token-id'];
    const old = [...g.gl.state.agentTokens.values()].find((t) => String(t.id) === oldId);
    expect(old, `the pods' template names the token they run with (${oldId})`).toBeDefined();
    old!.status = 'revoked';
    const r = await runCli(sb, args, { env: { GITLAB_TOKEN: g.pat } });
    expect(r.code, transcript(r)).toBe(0);
    expect(r.stdout).toContain(`✓ Agent ${agent} is installed, Ready and connected.`);
    const fresh = [...g.gl.state.agentTokens.values()].find((t) => t.status === 'active')!;
    expect(fresh.id).not.toBe(old!.id);
    const secret = await kubectlJson<Secret>(['get', 'secret', `${agent}-agent-token`, '-n', namespace]);
    expect(Buffer.from(secret.data!.token!, 'base64').toString('utf8')).toBe(fresh.value);
    // The chart has no checksum for config.secretName: our annotation rolled the pods onto the new token.
    const after = (await agentObjects(namespace, release)).deployments[0]!;
    expect(after.spec.template.metadata.annotations?.['gitlab-agent-tui/token-id']).toBe(String(fresh.id));
    const pods = await kubectlJson<{ items: { metadata: { annotations?: Record<string, string>; deletionTimestamp?: string } }[] }>([
      'get',
      'pods',
      '-n',
      namespace,
      '-l',
      `app.kubernetes.io/instance=${release}`,
    ]);
    const running = pods.items.filter((p) => !p.metadata.deletionTimestamp);
    expect(running.length).toBeGreaterThan(0);
    expect(
      running.every((p) => p.metadata.annotations?.['gitlab-agent-tui/token-id'] === String(fresh.id)),
      'every live pod runs with the new token',
    ).toBe(true);
  });

  it('a new KAS CA, same command otherwise: the ConfigMap changes and the pods restart with it (the chart has no CA checksum)', async () => {
    expect(first, 'the first install ran').toBeDefined();
    const before = (await agentObjects(namespace, release)).deployments[0]!.spec.template.metadata.annotations?.[
      'gitlab-agent-tui/kas-ca-sha256'
    ];
    expect(before, 'the pods carry the digest of the CA they read').toMatch(/^[0-9a-f]{64}$/);
    const otherCa = join(ROOT, 'test/fixtures/expired-ca.pem');
    const withOtherCa = args.map((a) => (a === KAS_CA_PEM ? otherCa : a));
    const r = await runCli(sb, [...withOtherCa, '--allow-expired-ca'], { env: { GITLAB_TOKEN: g.pat } });
    expect(r.code, transcript(r)).toBe(0);
    const [d] = (await agentObjects(namespace, release)).deployments;
    const after = d!.spec.template.metadata.annotations?.['gitlab-agent-tui/kas-ca-sha256'];
    expect(after).toMatch(/^[0-9a-f]{64}$/);
    expect(after).not.toBe(before);
    const pods = await kubectlJson<{ items: { metadata: { annotations?: Record<string, string>; deletionTimestamp?: string } }[] }>([
      'get',
      'pods',
      '-n',
      namespace,
      '-l',
      `app.kubernetes.io/instance=${release}`,
    ]);
    const live = pods.items.filter((p) => !p.metadata.deletionTimestamp);
    expect(live.length).toBeGreaterThan(0);
    expect(
      live.every((p) => p.metadata.annotations?.['gitlab-agent-tui/kas-ca-sha256'] === after),
      'every live pod was started with the new CA',
    ).toBe(true);
  });
});
