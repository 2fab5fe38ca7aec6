/**
 * --export DIR --format …: each format written, validated with the tools on the machine (helm template,
 * kubectl kustomize, a server-side dry run against the real API server and Flux's CRDs), nothing created
 * in GitLab or the cluster, and no token in any file.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, transcript } from './support/cli.js';
import { e2eEnv } from './support/env.js';
import { installFlux } from './support/flux.js';
import { commonFlags, startGitLab, type E2eGitLab } from './support/gitlab.js';
import { exec, helm, kubectl, namespaceExists } from './support/kube.js';
import { createSandbox, type Sandbox } from './support/sandbox.js';

describe('install --export', () => {
  let sb: Sandbox;
  let g: E2eGitLab;
  let agent: string;

  beforeAll(async () => {
    sb = createSandbox('export');
    g = await startGitLab();
    await installFlux();
  });
  afterAll(async () => g?.close());

  async function exportAs(format: string): Promise<string> {
    // One agent (so one namespace) per format: a namespace another test made and deleted may still be terminating.
    agent = sb.name(`exp-${format.replace(/[^a-z]/g, '').slice(0, 8)}`);
    const dir = join(sb.tmp, format);
    const r = await runCli(
      sb,
      [
        'install',
        '--yes',
        '--export',
        dir,
        '--format',
        format,
        '--project',
        'group/app',
        '--agent',
        agent,
        '--context',
        'e2e-admin',
        '--chart-version',
        '2.32.0',
        '--output',
        'json',
        ...commonFlags(g, e2eEnv().chartRepo),
      ],
      {
        env: { GITLAB_TOKEN: g.pat },
      },
    );
    expect(r.code, transcript(r)).toBe(0);
    const doc = JSON.parse(r.stdout) as { export: { format: string; files: string[] } };
    expect(doc.export.format).toBe(format);
    expect(g.mutations(), 'nothing created in GitLab').toEqual([]);
    expect(await namespaceExists(`gitlab-agent-${agent}`), 'nothing created in the cluster').toBe(false);
    for (const f of readdirSync(dir)) expect(readFileSync(join(dir, f), 'utf8')).not.toMatch(/glagent-|glpat-/);
    for (const f of doc.export.files) expect(readdirSync(dir)).toContain(f.split('/').at(-1));
    return dir;
  }
  const kubectlBin = () => e2eEnv().kubectl;
  const plainEnv = () => ({ PATH: '/usr/bin:/bin', HOME: sb.home });

  it('helm-values: helm template renders the chart with the values', async () => {
    const dir = await exportAs('helm-values');
    const t = await helm(sb, [
      'template',
      agent,
      'gitlab-agent',
      '--repo',
      e2eEnv().chartRepo,
      '--version',
      '2.32.0',
      '-n',
      `gitlab-agent-${agent}`,
      '-f',
      join(dir, 'values.yaml'),
    ]);
    expect(t.stdout).toContain('kind: Deployment');
    expect(t.stdout).toContain(`secretName: ${agent}-agent-token`);
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toContain('-f values.yaml');
  });

  it('flux: kubectl kustomize builds it and the API server accepts it against the Flux CRDs', async () => {
    const dir = await exportAs('flux');
    const built = await exec(kubectlBin(), ['kustomize', dir], plainEnv());
    expect(built.code, built.stderr).toBe(0);
    expect(built.stdout).toContain('apiVersion: helm.toolkit.fluxcd.io/v2');
    const dry = await kubectl(['apply', '--server-side', '--dry-run=server', '-k', dir]);
    expect(dry.stdout).toMatch(/helmrelease\.helm\.toolkit\.fluxcd\.io\/\S+ serverside-applied \(server dry run\)/);
  });

  it('kustomize: kubectl kustomize builds it and the API server accepts every object (server-side dry run)', async () => {
    const dir = await exportAs('kustomize');
    const built = await exec(kubectlBin(), ['kustomize', dir], plainEnv());
    expect(built.code, built.stderr).toBe(0);
    // A dry run creates nothing, not even the package's namespace, so its objects need that namespace to exist.
    const ns = `gitlab-agent-${agent}`;
    await kubectl(['create', 'namespace', ns]);
    try {
      const dry = await kubectl(['apply', '--server-side', '--dry-run=server', '-k', dir]);
      for (const kind of ['namespace', 'serviceaccount', 'clusterrolebinding.rbac.authorization.k8s.io', 'deployment.apps']) {
        expect(dry.stdout).toMatch(new RegExp(`^${kind.replace(/\./g, '\\.')}/\\S+ serverside-applied \\(server dry run\\)$`, 'm'));
      }
    } finally {
      await kubectl(['delete', 'namespace', ns, '--wait=false']);
    }
  });

  it('terraform: main.tf with the GitLab, Kubernetes and Helm providers, the token only as a sensitive reference', async () => {
    const dir = await exportAs('terraform');
    const tf = readFileSync(join(dir, 'main.tf'), 'utf8');
    expect(tf).toContain('resource "gitlab_cluster_agent" "this"');
    expect(tf).toContain('resource "gitlab_cluster_agent_token" "this"');
    expect(tf).toContain('resource "helm_release" "agent"');
    expect(tf).toContain('token = gitlab_cluster_agent_token.this.token');
    expect(tf).toContain(`base_url = "${g.gl.url}/api/v4"`);
  });
});
