/**
 * Chart sources and upgrades through the CLI: a pinned chart version from the repository, then an
 * upgrade of the same agent to the next chart version and agentk tag; and a chart from a local .tgz
 * (`--chart`, the air-gapped path).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentContainer, agentObjects } from './support/agent-objects.js';
import { runCli, transcript } from './support/cli.js';
import { e2eEnv } from './support/env.js';
import { commonFlags, startGitLab, type E2eGitLab } from './support/gitlab.js';
import { helmRevisions, kubectl } from './support/kube.js';
import { createSandbox, type Sandbox } from './support/sandbox.js';
import { packageChart, sourceFormCopy } from './support/test-chart.js';

describe('chart versions and sources', () => {
  let sb: Sandbox;
  let g: E2eGitLab;
  beforeAll(async () => {
    sb = createSandbox('charts', 4);
    g = await startGitLab();
  });
  afterAll(async () => g?.close());

  it('installs a pinned chart version, then upgrades the same agent to the next chart and agentk tag', async () => {
    const agent = sb.name('upg');
    const namespace = `gitlab-agent-${agent}`;
    const base = [
      'install',
      '--yes',
      '--project',
      'group/app',
      '--agent',
      agent,
      '--context',
      'e2e-admin',
      ...commonFlags(g, e2eEnv().chartRepo),
    ];

    const first = await runCli(sb, [...base, '--chart-version', '2.31.0', '--image-tag', 'v17.5.0'], { env: { GITLAB_TOKEN: g.pat } });
    expect(first.code, transcript(first)).toBe(0);
    let o = await agentObjects(namespace, agent);
    expect(o.deployments[0]!.metadata.labels?.['helm.sh/chart']).toBe('gitlab-agent-2.31.0');
    expect(agentContainer(o.deployments[0]!).image).toMatch(/:v17\.5\.0$/);

    const second = await runCli(sb, [...base, '--chart-version', '2.32.0', '--image-tag', 'v17.6.0'], { env: { GITLAB_TOKEN: g.pat } });
    expect(second.code, transcript(second)).toBe(0);
    expect(second.stderr).toMatch(new RegExp(`release ${agent} exists \\(revision 1, deployed\\): it will be upgraded`));
    o = await agentObjects(namespace, agent);
    expect(o.deployments[0]!.metadata.labels?.['helm.sh/chart']).toBe('gitlab-agent-2.32.0');
    expect(agentContainer(o.deployments[0]!).image).toMatch(/:v17\.6\.0$/);
    expect(await helmRevisions(sb, agent, namespace)).toEqual([1, 2]);
    // Same agent, same token: the upgrade minted nothing new in GitLab.
    expect([...g.gl.state.agentTokens.values()].filter((t) => t.status === 'active')).toHaveLength(1);
  });

  it('installs from a local chart archive (--chart), the path for clusters without the chart repository', async () => {
    // Packaged as the official chart is published: its ingress-nginx dependency built in.
    const archive = await packageChart(sb, join(sb.root, 'charts'), '2.40.0', 'v17.6.0');
    const agent = sb.name('tgz');
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
        '--gitlab-url',
        g.gl.url,
        '--chart',
        archive,
        '--timeout',
        '90s',
        '--connect-timeout',
        '60s',
      ],
      { env: { GITLAB_TOKEN: g.pat } },
    );
    expect(r.code, transcript(r)).toBe(0);
    expect(r.stderr).toContain(`Chart               ${archive}`);
    const o = await agentObjects(`gitlab-agent-${agent}`, agent);
    expect(o.deployments[0]!.metadata.labels?.['helm.sh/chart']).toBe('gitlab-agent-2.40.0');
  });

  it('a source checkout of the chart without its dependency: exit 2 with the fix, before anything is created', async () => {
    const dir = sourceFormCopy(join(sb.root, 'checkout'));
    const agent = sb.name('src');
    const writes = g.mutations().length;
    const r = await runCli(
      sb,
      ['install', '--yes', '--project', 'group/app', '--agent', agent, '--context', 'e2e-admin', '--gitlab-url', g.gl.url, '--chart', dir],
      { env: { GITLAB_TOKEN: g.pat } },
    );
    expect(r.code, transcript(r)).toBe(2);
    expect(r.stderr).toMatch(/--chart: the chart does not render: .*ingress-nginx/);
    expect(r.stderr).toContain(`helm dependency build ${dir}`);
    expect(g.mutations().length, 'GitLab writes').toBe(writes);
    const ns = await kubectl(['get', 'namespace', `gitlab-agent-${agent}`], { allowFail: true });
    expect(ns.stderr).toMatch(/NotFound/);
  });
});
