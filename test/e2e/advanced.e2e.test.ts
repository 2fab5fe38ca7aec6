/**
 * --method advanced on the real control plane: our kustomize package passes `kubectl kustomize`, is
 * applied with server-side apply (field manager gitlab-agent-tui), its pods become Ready (kwok plays the
 * kubelet) and the agent connects with the token of the Secret it references; no token in the package.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deployment, Secret } from './support/agent-objects.js';
import { runCli, transcript, type CliResult } from './support/cli.js';
import { e2eEnv } from './support/env.js';
import { commonFlags, startGitLab, type E2eGitLab } from './support/gitlab.js';
import { exec, kubectl, kubectlJson, type KubeList } from './support/kube.js';
import { createSandbox, type Sandbox } from './support/sandbox.js';

describe('install --method advanced', () => {
  let sb: Sandbox;
  let g: E2eGitLab;
  let agent: string;
  let namespace: string;
  let dir: string;
  let r: CliResult | undefined;

  beforeAll(async () => {
    sb = createSandbox('advanced');
    g = await startGitLab();
    agent = sb.name('adv');
    namespace = `gitlab-agent-${agent}`;
    dir = join(sb.tmp, 'package');
  });
  afterAll(async () => g?.close());

  it('applies the package server-side and ends Ready and connected', async () => {
    r = await runCli(
      sb,
      [
        'install',
        '--yes',
        '--method',
        'advanced',
        '--project',
        'group/app',
        '--agent',
        agent,
        '--context',
        'e2e-admin',
        '--manifests-dir',
        dir,
        '--https-proxy',
        'http://proxy.internal:3128',
        ...commonFlags(g, e2eEnv().chartRepo),
      ],
      { env: { GITLAB_TOKEN: g.pat } },
    );
    expect(r.code, transcript(r)).toBe(0);
    expect(r.stdout).toContain(`✓ Agent ${agent} is installed, Ready and connected.`);
    expect(r.stderr).toMatch(/✓ Apply the manifests/);
    expect(r.stderr).toMatch(/✓ Agent pods Ready: 2\/2 pods ready/);
    expect(r.stdout).toContain(`Uninstall: kubectl --context e2e-admin delete deployment,serviceaccount,configmap -n ${namespace}`);
  });

  it('wrote a package that kubectl kustomize builds, with no token in it', async () => {
    expect(r, 'the install ran').toBeDefined();
    const built = await exec(e2eEnv().kubectl, ['kustomize', dir], { PATH: '/usr/bin:/bin', HOME: sb.home });
    expect(built.code, built.stderr).toBe(0);
    expect(built.stdout).toContain('kind: Deployment');
    const token = [...g.gl.state.agentTokens.values()][0]!.value;
    for (const f of readdirSync(dir)) expect(readFileSync(join(dir, f), 'utf8')).not.toContain(token);
  });

  it('put our objects into the cluster with server-side apply: hardened Deployment, proxy env, the Secret referenced', async () => {
    expect(r, 'the install ran').toBeDefined();
    const list = await kubectlJson<KubeList<Deployment & { metadata: { managedFields?: { manager: string; operation: string }[] } }>>([
      'get',
      'deployments',
      '-n',
      namespace,
      '-l',
      `app.kubernetes.io/instance=${agent}`,
      '--show-managed-fields',
    ]);
    expect(list.items.map((d) => d.metadata.name)).toEqual([`${agent}-gitlab-agent`]);
    const d = list.items[0]!;
    expect(d.metadata.managedFields?.some((m) => m.manager === 'gitlab-agent-tui' && m.operation === 'Apply')).toBe(true);
    expect(d.status?.readyReplicas).toBe(2);
    const pod = d.spec.template.spec as Deployment['spec']['template']['spec'] & { securityContext?: Record<string, unknown> };
    const c = pod.containers[0]! as Deployment['spec']['template']['spec']['containers'][number] & {
      securityContext?: Record<string, unknown>;
    };
    expect(c.image).toBe('registry.gitlab.com/gitlab-org/cluster-integration/gitlab-agent/agentk:v17.6.2');
    expect(c.env?.find((e) => e.name === 'HTTPS_PROXY')?.value).toBe('http://proxy.internal:3128');
    expect(c.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true });
    expect(pod.volumes?.find((v) => v.name === 'token-volume')?.secret?.secretName).toBe(`${agent}-agent-token`);
    const crb = await kubectl(['get', 'clusterrolebinding', `${namespace}:${agent}-gitlab-agent-cluster-admin`, '-o', 'name']);
    expect(crb.stdout.trim()).toContain('clusterrolebinding');
    const secret = await kubectlJson<Secret>(['get', 'secret', `${agent}-agent-token`, '-n', namespace]);
    expect(Buffer.from(secret.data!.token!, 'base64').toString('utf8')).toBe([...g.gl.state.agentTokens.values()][0]!.value);
  });

  it('a re-run reuses the agent and token and applies again (nothing new created)', async () => {
    expect(r, 'the install ran').toBeDefined();
    const again = await runCli(
      sb,
      [
        'install',
        '--yes',
        '--method',
        'advanced',
        '--project',
        'group/app',
        '--agent',
        agent,
        '--context',
        'e2e-admin',
        '--https-proxy',
        'http://proxy.internal:3128',
        ...commonFlags(g, e2eEnv().chartRepo),
        '--output',
        'json',
      ],
      {
        env: { GITLAB_TOKEN: g.pat },
      },
    );
    expect(again.code, transcript(again)).toBe(0);
    const doc = JSON.parse(again.stdout) as { method: string; ledger: { kind: string; created: boolean }[] };
    expect(doc.method).toBe('advanced');
    expect(doc.ledger.filter((e) => e.created)).toEqual([]);
    expect(g.gl.state.agentTokens.size).toBe(1);
  });
});
