/**
 * Issue "install hardening": bad input, as a careless or hostile user types it, through the real binary
 * in flag mode (stdin closed): every case ends with exit 2 and one error line naming the field, and
 * nothing reached GitLab (no writing request) or the cluster (no namespace, Secret or release of that
 * agent). Several cases get as far as GitLab or the cluster (reads only) before they are refused.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linesOf, runCli, transcript } from './support/cli.js';
import { e2eEnv } from './support/env.js';
import { commonFlags, startGitLab, type E2eGitLab } from './support/gitlab.js';
import { helm, kubectlJson, namespaceExists, type KubeList } from './support/kube.js';
import { createSandbox, type Sandbox } from './support/sandbox.js';

let sb: Sandbox;
let g: E2eGitLab;
let before: Set<string>;
const fixture = (name: string) => new URL(`../fixtures/${name}`, import.meta.url).pathname;

async function namespaceNames(): Promise<Set<string>> {
  const list = await kubectlJson<KubeList>(['get', 'namespaces']);
  return new Set(list.items.map((n) => n.metadata.name));
}

/** Files the cases point at, made once in the sandbox. */
function file(name: string, content: string): string {
  const path = join(sb.cwd, name);
  writeFileSync(path, content);
  return path;
}

beforeAll(async () => {
  sb = createSandbox('bad-input', 4);
  g = await startGitLab();
  before = await namespaceNames();
  mkdirSync(join(sb.cwd, 'a-directory'), { recursive: true });
  mkdirSync(join(sb.cwd, 'not-a-chart'), { recursive: true });
  copyFileSync(fixture('expired-ca.pem'), join(sb.cwd, 'expired.pem'));
});
afterAll(async () => g?.close());

interface Case {
  /** Extra flags after valid defaults (later flags win for single-valued ones). */
  args: () => string[];
  /** What the error line must name. */
  field: string;
  env?: Record<string, string | undefined>;
  /** Leave out the default flags that would answer the question (e.g. --project). */
  without?: string[];
}

const cases: Record<string, Case> = {
  'agent name with upper case and _': { args: () => ['--agent', 'Bad_Name'], field: '--agent' },
  'agent name empty': { args: () => ['--agent', ''], field: '--agent' },
  'agent name of 64 characters': { args: () => ['--agent', 'a'.repeat(64)], field: '--agent' },
  'agent name starting with -': { args: () => ['--agent=-lead'], field: '--agent' },
  'namespace with _': { args: () => ['--namespace', 'team_ns'], field: '--namespace' },
  'namespace of 64 characters': { args: () => ['-n', 'n'.repeat(64)], field: '--namespace' },
  'release with upper case': { args: () => ['--release', 'Prod'], field: '--release' },
  'release of 54 characters': { args: () => ['--release', 'r'.repeat(54)], field: '--release' },
  'token Secret name with /': { args: () => ['--token-secret', 'a/b'], field: '--token-secret' },
  'GitLab URL with ftp': { args: () => ['--gitlab-url', 'ftp://gitlab.example.com'], field: '--gitlab-url' },
  'GitLab URL that is no URL': { args: () => ['--gitlab-url', 'http://exa mple'], field: '--gitlab-url' },
  'GITLAB_URL with ftp': { args: () => [], without: ['--gitlab-url'], env: { GITLAB_URL: 'ftp://x.example' }, field: 'GITLAB_URL' },
  'GITLAB_HOST with ftp': { args: () => [], without: ['--gitlab-url'], env: { GITLAB_HOST: 'ftp://x.example' }, field: 'GITLAB_HOST' },
  'KAS address with https': { args: () => ['--kas-address', 'https://kas.example'], field: '--kas-address' },
  'KAS address that is no URL': { args: () => ['--kas-address', 'kas.example'], field: '--kas-address' },
  'HTTP proxy with ftp': { args: () => ['--http-proxy', 'ftp://proxy:21'], field: '--http-proxy' },
  'HTTPS proxy that is no URL': { args: () => ['--https-proxy', 'proxy'], field: '--https-proxy' },
  'unknown method': { args: () => ['--method', 'carrier-pigeon'], field: '--method' },
  '--chart with --chart-repo': {
    args: () => ['--chart', 'oci://r.example/c/gitlab-agent', '--chart-repo', 'https://charts.gitlab.io'],
    field: '--chart',
  },
  '--existing-role with --no-rbac': { args: () => ['--existing-role', 'agent', '--no-rbac'], field: '--existing-role' },
  'unknown --create-config kind': { args: () => ['--create-config', 'everything'], field: '--create-config' },
  '--set without =': { args: () => ['--set', 'replicas'], field: '--set' },
  '--set of the token': { args: () => ['--set', 'config.token=abc'], field: '--set' },
  '--set of the token after a comma': { args: () => ['--set', 'replicas=1,config.token=abc'], field: '--set' },
  '--set of the token, any case': { args: () => ['--set', 'Config.Token=abc'], field: '--set' },
  '--set-string of the token': { args: () => ['--set-string', 'config.token=abc'], field: '--set-string' },
  '--set of a value shaped like a token': { args: () => ['--set', 'podAnnotations.x=glpat-AbCdEfGhIjKl0123'], field: '--set' },
  '--set with a bad list index': { args: () => ['--set', 'extraArgs[x]=1'], field: '--set' },
  '--set-string without =': { args: () => ['--set-string', 'a'], field: '--set-string' },
  '--revoke-token that is no id': { args: () => ['--revoke-token', 'abc'], field: '--revoke-token' },
  '--timeout unreadable': { args: () => ['--timeout', 'soon'], field: '--timeout' },
  '--timeout zero': { args: () => ['--timeout', '0s'], field: '--timeout' },
  '--timeout beyond a Node timer': { args: () => ['--timeout', '600h'], field: '--timeout' },
  '--connect-timeout unreadable': { args: () => ['--connect-timeout', 'later'], field: '--connect-timeout' },
  '--connect-timeout beyond a Node timer': { args: () => ['--connect-timeout', '900h'], field: '--connect-timeout' },
  'image tag with a colon': { args: () => ['--image-tag', 'v18:1'], field: '--image-tag' },
  'image tag starting with -': { args: () => ['--image-tag=-x'], field: '--image-tag' },
  'image repository in upper case': { args: () => ['--image-repository', 'Mirror/AgentK'], field: '--image-repository' },
  'image repository with a tag': { args: () => ['--image-repository', 'mirror.example/agentk:v18'], field: '--image-repository' },
  'image repository with a bad host': { args: () => ['--image-repository', 'mi_rror.example:5000/agentk'], field: '--image-repository' },
  'chart version that is no version': { args: () => ['--chart-version', 'newest'], field: '--chart-version' },
  'chart repository with ftp': { args: () => ['--chart-repo', 'ftp://charts.example'], field: '--chart-repo' },
  'chart repository with oci': { args: () => ['--chart-repo', 'oci://charts.example/x'], field: '--chart-repo' },
  'OCI chart without a path': { args: () => ['--chart', 'oci://registry.example'], field: '--chart', without: ['--chart-repo'] },
  'OCI chart with a tag': {
    args: () => ['--chart', 'oci://registry.example/charts/gitlab-agent:2.32.0'],
    field: '--chart',
    without: ['--chart-repo'],
  },
  'chart directory that does not exist': { args: () => ['--chart', join(sb.cwd, 'nope')], field: '--chart', without: ['--chart-repo'] },
  'chart that is a plain file': { args: () => ['--chart', file('chart.txt', 'hello')], field: '--chart', without: ['--chart-repo'] },
  'chart directory without Chart.yaml': {
    args: () => ['--chart', join(sb.cwd, 'not-a-chart')],
    field: '--chart',
    without: ['--chart-repo'],
  },
  'service account with _': { args: () => ['--service-account', 'agent_sa'], field: '--service-account' },
  'ClusterRole name with /': { args: () => ['--existing-role', 'team/agent'], field: '--existing-role' },
  'values file that does not exist': { args: () => ['--values', join(sb.cwd, 'missing.yaml')], field: '--values' },
  'values file that is a list': { args: () => ['--values', file('list.yaml', '- a\n- b\n')], field: '--values' },
  'values file that is not YAML': { args: () => ['--values', file('broken.yaml', 'a: [1, 2\n')], field: '--values' },
  'values file with config.token': { args: () => ['--values', file('token.yaml', 'config:\n  token: abc\n')], field: '--values' },
  'values file with a token-shaped value': {
    args: () => ['--values', file('shaped.yaml', 'extraEnv:\n  - name: T\n    value: glagent-fake-0123456789abcdef\n')],
    field: '--values',
  },
  'KAS CA that does not exist': { args: () => ['--kas-ca-cert', join(sb.cwd, 'missing.pem')], field: '--kas-ca-cert' },
  'KAS CA that is not PEM': { args: () => ['--kas-ca-cert', fixture('not-a-cert.pem')], field: '--kas-ca-cert' },
  'KAS CA that expired': { args: () => ['--kas-ca-cert', join(sb.cwd, 'expired.pem')], field: '--kas-ca-cert' },
  'KAS CA that is a directory': { args: () => ['--kas-ca-cert', join(sb.cwd, 'a-directory')], field: '--kas-ca-cert' },
  'GitLab CA that does not exist': { args: () => ['--gitlab-ca', join(sb.cwd, 'missing.pem')], field: '--gitlab-ca' },
  'GitLab CA that is not PEM': { args: () => ['--gitlab-ca', fixture('not-a-cert.pem')], field: '--gitlab-ca' },
  'GitLab CA that expired': { args: () => ['--gitlab-ca', join(sb.cwd, 'expired.pem')], field: '--gitlab-ca' },
  'helm log in a directory that does not exist': {
    args: () => ['--helm-log', join(sb.cwd, 'no', 'such', 'helm.log')],
    field: '--helm-log',
  },
  'helm log that is a directory': { args: () => ['--helm-log', join(sb.cwd, 'a-directory')], field: '--helm-log' },
  'values output in a directory that does not exist': {
    args: () => ['--values-out', join(sb.cwd, 'no', 'values.yaml')],
    field: '--values-out',
  },
  'unknown output format': { args: () => ['--output', 'yaml'], field: '--output' },
  'unknown flag': { args: () => ['--bogus-flag'], field: '--bogus-flag' },
  'GITLAB_TOKEN with a second line': {
    args: () => [],
    env: { GITLAB_TOKEN: 'glpat-FAKE-maintainer-api\nsecond-line' },
    field: 'GITLAB_TOKEN',
  },
  'GITLAB_TOKEN with a space inside': { args: () => [], env: { GITLAB_TOKEN: 'glpat-FAKE maintainer' }, field: 'GITLAB_TOKEN' },
  'GITLAB_TOKEN with an escape sequence': { args: () => [], env: { GITLAB_TOKEN: 'glpat-FAKE\u001b[2Jx' }, field: 'GITLAB_TOKEN' },
  'GITLAB_TOKEN that GitLab rejects': { args: () => [], env: { GITLAB_TOKEN: 'glpat-FAKE-unknown-token' }, field: 'GITLAB_TOKEN' },
  'GITLAB_TOKEN without the api scope': { args: () => [], env: { GITLAB_TOKEN: 'glpat-FAKE-maintainer-read-api' }, field: 'GITLAB_TOKEN' },
  'no token at all': { args: () => [], env: { GITLAB_TOKEN: undefined }, field: 'GITLAB_TOKEN' },
  'unknown context': { args: () => ['--context', 'no-such-context'], field: '--context' },
  'kubeconfig that does not exist': { args: () => ['--kubeconfig', join(sb.cwd, 'no-kubeconfig')], field: 'kubeconfig' },
  'project that does not exist': { args: () => ['--project', 'nobody/nothing'], field: '--project' },
  'no project in flag mode': { args: () => [], without: ['--project'], field: '--project' },
  'own token Secret in a namespace that does not exist': { args: () => ['--token-secret', 'mine'], field: '--token-secret' },
  '--no-create-namespace for a missing namespace': { args: () => ['--no-create-namespace'], field: '--namespace' },
};

function withoutFlags(args: string[], drop: string[] = []): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (drop.includes(args[i]!)) i++;
    else out.push(args[i]!);
  }
  return out;
}

describe('bad input: exit 2, one line naming the field, nothing created anywhere', () => {
  it('has at least 60 cases across every flag and variable', () => {
    expect(Object.keys(cases).length).toBeGreaterThanOrEqual(60);
  });

  it.each(Object.entries(cases))('%s', async (_what, c) => {
    const agent = sb.name('bad');
    const writesBefore = g.mutations().length;
    const defaults = [
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
    const env: Record<string, string> = { GITLAB_TOKEN: g.pat };
    for (const [k, v] of Object.entries(c.env ?? {})) {
      if (v === undefined) delete env[k];
      else env[k] = v;
    }
    const r = await runCli(sb, [...withoutFlags(defaults, c.without), ...c.args()], { env, timeoutMs: 60_000 });
    expect(r.code, transcript(r)).toBe(2);
    expect(r.stdout, 'nothing on stdout').toBe('');
    const errors = linesOf(r.stderr).filter((l) => /^(gitlab-agent-tui: |✗ )/.test(l));
    expect(errors, transcript(r)).toHaveLength(1);
    expect(errors[0]).toContain(c.field);
    // The rest is progress of read-only steps, never a second error or a stack trace.
    expect(r.stderr).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);
    expect(r.stderr + r.stdout, 'no raw escape byte').not.toMatch(/[\u001b\u0007]/);
    expect(g.mutations().slice(writesBefore), g.log()).toEqual([]);
    expect(await namespaceExists(`gitlab-agent-${agent}`)).toBe(false);
  });

  it('left nothing in the cluster or GitLab over all of them', async () => {
    expect(g.gl.state.agents.size + g.gl.state.agentTokens.size).toBe(0);
    expect([...(await namespaceNames())].filter((n) => !before.has(n))).toEqual([]);
    const releases = JSON.parse((await helm(sb, ['list', '-A', '-o', 'json'])).stdout) as { name: string }[];
    expect(releases.filter((r) => r.name.startsWith('bad-'))).toEqual([]);
  });
});
