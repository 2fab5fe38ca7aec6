import { describe, expect, it } from 'vitest';
import { bundleContents, redactForBundle, runLogLine, type BundleInput } from '../../../src/core/flows/troubleshoot/bundle.js';
import type { TroubleshootResult } from '../../../src/core/flows/troubleshoot/result.js';
import { Secret } from '../../../src/core/kernel/secret.js';

const AGENT_TOKEN = 'glagent-Qz8xK2mNvB7rT4yLpW1sD9fH';
const PAT = 'glpat-Ab3Cd5Ef7Gh9Ij1Kl3Mn';
/** A token of no known shape: masked only because the run holds it as a Secret. */
const LIVE = 'plain-live-token-7f3a9c2e41';
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

const result: TroubleshootResult = {
  schemaVersion: 1,
  context: 'kind-prod',
  gitlab: { url: 'https://gitlab.example.com', version: '18.6.1' },
  installs: [
    {
      namespace: 'gitlab-agent-prod',
      release: 'prod',
      agent: 'prod',
      rootCause: { id: 'CONN-TOKEN-REJECTED', category: 'token-rejected' },
      category: 'token-rejected',
      findings: [],
      fixes: [
        {
          kind: 'recreate-token-secret',
          namespace: 'gitlab-agent-prod',
          secretName: 'prod-agent-token',
          restartDeployment: 'prod-gitlab-agent-v2',
        },
      ],
      notCollected: [],
    },
  ],
};

function input(): BundleInput {
  new Secret(LIVE);
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'prod-gitlab-agent-v2',
      namespace: 'gitlab-agent-prod',
      annotations: { 'example.com/leaked': AGENT_TOKEN, 'example.com/encoded': b64(AGENT_TOKEN) },
      managedFields: [{ manager: 'helm' }],
    },
    spec: {
      template: {
        spec: {
          containers: [
            {
              name: 'agent',
              image: 'registry.gitlab.com/gitlab-org/cluster-integration/gitlab-agent/agentk:v18.6.0',
              args: ['--kas-address', 'wss://kas.example.com'],
              env: [
                { name: 'HTTPS_PROXY', value: 'http://proxyuser:s3cretPass@proxy.example.com:3128' },
                // No scheme, as Go and curl accept it: the URL shape alone would not see the password.
                { name: 'HTTP_PROXY', value: 'plainuser:n0Scheme@proxy.example.com:3128' },
                { name: 'MY_API_TOKEN', value: 'opaque-value-1234' },
                { name: 'OWN_LIVE', value: LIVE },
              ],
            },
          ],
        },
      },
    },
  };
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'prod-gitlab-agent-v2-abc12', namespace: 'gitlab-agent-prod' },
    status: { containerStatuses: [{ name: 'agent', imageID: 'registry.gitlab.com/agentk@sha256:0123', restartCount: 3 }] },
  };
  const event = {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'prod.1', namespace: 'gitlab-agent-prod' },
    type: 'Warning',
    reason: 'BackOff',
    message: `Back-off restarting failed container agent; header Authorization: Bearer ${PAT}`,
  };
  return {
    at: '2026-12-03T07:30:00.000Z',
    result,
    cluster: {
      namespace: 'gitlab-agent-prod',
      release: {
        name: 'prod',
        namespace: 'gitlab-agent-prod',
        revision: 2,
        status: 'deployed',
        chart: 'gitlab-agent-2.32.0',
        appVersion: 'v18.6.0',
      },
      history: [],
      deployment,
      pods: [pod],
      events: [event],
      tokenSecret: { namespace: 'gitlab-agent-prod', name: 'prod-agent-token', tokenId: 7, managedByUs: true, hasTokenKey: true },
      logs: [
        {
          pod: pod.metadata.name,
          container: 'agent',
          previous: false,
          lines: [
            `{"level":"error","msg":"Error handling a connection","error":"rpc error: code = Unauthenticated desc = unauthenticated","token":"${AGENT_TOKEN}"}`,
          ],
        },
        {
          pod: pod.metadata.name,
          container: 'agent',
          previous: true,
          lines: [`token from file: ${b64(AGENT_TOKEN)}`, `PRIVATE-TOKEN: ${PAT}`],
        },
      ],
    },
    gitlab: {
      url: 'https://gitlab.example.com',
      metadata: { version: '18.6.1', kas: { enabled: true, externalUrl: 'wss://kas.example.com', version: '18.6.1' } },
    },
    runLog: [
      runLogLine('2026-12-03T07:29:59.000Z', {
        type: 'step',
        step: 'gitlab',
        title: 'GitLab: token',
        status: 'done',
        detail: `token ${LIVE}`,
      }),
    ],
  };
}

describe('support bundle contents', () => {
  it('holds the findings (the --output json document), the objects as YAML, both logs, the versions and the run log', () => {
    const entries = bundleContents(input());
    const byName = Object.fromEntries(entries.map((e) => [e.name.replace(/^gitlab-agent-support\//, ''), e.content]));
    expect(Object.keys(byName)).toEqual([
      'README.txt',
      'findings.json',
      'objects/release.yaml',
      'objects/deployment.yaml',
      'objects/pods.yaml',
      'objects/events.yaml',
      'objects/token-secret.yaml',
      'objects/flux.yaml',
      'logs/prod-gitlab-agent-v2-abc12/agent.log',
      'logs/prod-gitlab-agent-v2-abc12/agent.previous.log',
      'versions.json',
      'gitlab.yaml',
      'run.log',
    ]);
    expect(JSON.parse(byName['findings.json']!)).toEqual(result);
    expect(byName['objects/deployment.yaml']).toContain('name: prod-gitlab-agent-v2');
    expect(byName['objects/deployment.yaml']).not.toContain('managedFields');
    expect(byName['objects/events.yaml']).toContain('reason: BackOff');
    expect(byName['objects/token-secret.yaml']).toContain('tokenId: 7');
    expect(byName['objects/flux.yaml']).toBe('# Flux not read\n');
    expect(byName['logs/prod-gitlab-agent-v2-abc12/agent.log']).toContain('code = Unauthenticated');
    expect(byName['logs/prod-gitlab-agent-v2-abc12/agent.previous.log']).toContain('token from file: ********');
    expect(JSON.parse(byName['versions.json']!)).toMatchObject({
      gitlab: '18.6.1',
      kas: '18.6.1',
      chart: 'gitlab-agent-2.32.0',
      appVersion: 'v18.6.0',
      images: {
        'Deployment prod-gitlab-agent-v2/agent': 'registry.gitlab.com/gitlab-org/cluster-integration/gitlab-agent/agentk:v18.6.0',
        'Pod prod-gitlab-agent-v2-abc12/agent (running)': 'registry.gitlab.com/agentk@sha256:0123',
      },
    });
    expect(byName['run.log']).toBe('2026-12-03T07:29:59.000Z step gitlab done: GitLab: token — token ********\n');
    expect(byName['README.txt']).toContain('root cause: token-rejected (CONN-TOKEN-REJECTED)');
  });

  it('masks every token: seeded in logs, events, annotations and env, clear or base64, live or only by its shape', () => {
    const all = bundleContents(input())
      .map((e) => e.content)
      .join('\n');
    for (const needle of [AGENT_TOKEN, b64(AGENT_TOKEN), PAT, b64(PAT), LIVE, b64(LIVE), 's3cretPass', 'opaque-value-1234'])
      expect(all).not.toContain(needle);
    expect(all).toContain('http://***@proxy.example.com:3128');
    expect(all).toContain('***@proxy.example.com:3128');
    expect(all).not.toContain('n0Scheme');
    expect(all).toContain('Bearer ********');
  });

  it("masks agentk's --kas-header values (args, either form, and the chart's kasHeaders) by name, whatever they look like", () => {
    const i = input();
    const container = (i.cluster.deployment as unknown as { spec: { template: { spec: { containers: { args: string[] }[] } } } }).spec
      .template.spec.containers[0]!;
    container.args.push('--kas-header', 'Authorization: Bearer opaqueWafKey', '--kas-header=X-Waf-Key: plainvalue42', '--kas-address');
    const hr = {
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      metadata: { name: 'gitlab-agent', namespace: 'flux-system' },
      spec: { values: { config: { kasHeaders: ['Cookie: _gitlab_session=c0ffee99', 'X-Env: prod'] } } },
    };
    i.cluster.flux = {
      served: { source: ['v1'], kustomize: ['v1'], helm: ['v2'] },
      gitRepositories: [],
      kustomizations: [],
      helmRepositories: [],
      helmCharts: [],
      ociRepositories: [],
      buckets: [],
      helmReleases: [hr],
      managed: true,
    };
    const all = bundleContents(i)
      .map((e) => e.content)
      .join('\n');
    for (const needle of ['opaqueWafKey', 'plainvalue42', 'c0ffee99', 'X-Env: prod']) expect(all).not.toContain(needle);
    expect(all).toContain('- "Authorization: ********"');
    expect(all).toContain('--kas-header=X-Waf-Key: ********');
    expect(all).toContain('Cookie: ********');
    // Only the value after --kas-header: the next flag is left alone.
    expect(all).toContain('- --kas-address');
  });

  it('leaves ordinary text alone (near-misses of a token shape)', () => {
    for (const text of [
      'gitlab-agent-prod',
      'glagent-short',
      'the-token-secret prod-agent-token',
      'https://gitlab.example.com/-/kubernetes-agent/',
      'wss://kas.example.com',
    ]) {
      expect(redactForBundle(text)).toBe(text);
    }
  });
});
