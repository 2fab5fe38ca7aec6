import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { inspectCaPem } from '../../src/core/plan/ca-cert.js';
import type { AgentSettings } from '../../src/core/plan/agent-settings.js';
import { buildHelmUpgradeArgs } from '../../src/core/plan/helm/argv.js';
import { pasteableHelmCommand } from '../../src/core/plan/helm/pasteable.js';
import type { HelmPlacement, HelmReleasePlan } from '../../src/core/plan/helm/release-plan.js';
import { buildHelmValues, helmValuesYaml } from '../../src/core/plan/helm/values.js';
import { requiredAccess } from '../../src/core/plan/helm/required-access.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');

export function sampleSettings(overrides: Partial<AgentSettings> = {}): AgentSettings {
  return {
    kasAddress: 'wss://gitlab.example.com/-/kubernetes-agent/',
    image: {},
    proxy: {},
    rbac: { mode: 'cluster-admin' },
    containerScanning: true,
    tokenSecret: { name: 'prod-agent-token', own: false },
    createConfig: 'none',
    ...overrides,
  };
}

const placement: HelmPlacement = { context: 'prod', namespace: 'gitlab-agent-prod' };

export function sampleRelease(overrides: Partial<HelmReleasePlan> = {}): HelmReleasePlan {
  return {
    release: 'prod',
    chart: { kind: 'repo', repo: 'https://charts.gitlab.io', name: 'gitlab-agent' },
    valuesFiles: [],
    sets: [],
    setStrings: [],
    ...overrides,
  };
}

describe('KAS CA certificate', () => {
  it('reads subject and expiry of a PEM', () => {
    const info = inspectCaPem(fixture('kas-ca.pem'));
    expect(info).toMatchObject({ subject: 'CN=test-kas-ca', expired: false, count: 1 });
  });
  it('marks an expired certificate', () => {
    expect(inspectCaPem(fixture('expired-ca.pem'))).toMatchObject({ expired: true });
  });
  it('says why a file is not a certificate', () => {
    expect(inspectCaPem(fixture('not-a-cert.pem'))).toEqual({ problem: expect.stringContaining('not a PEM certificate') });
    expect(inspectCaPem('-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----')).toEqual({ problem: expect.stringContaining('does not parse') });
  });
});

describe('helm values', () => {
  it('point the chart at our token Secret and never carry a token', () => {
    const values = buildHelmValues(sampleSettings());
    expect(values).toEqual({ config: { kasAddress: 'wss://gitlab.example.com/-/kubernetes-agent/', secretName: 'prod-agent-token' } });
    expect(JSON.stringify(values)).not.toMatch(/token"\s*:/i);
  });
  it('carry proxy env, CA, image, RBAC and service account choices', () => {
    const pem = fixture('kas-ca.pem');
    const values = parse(
      helmValuesYaml(
        sampleSettings({
          proxy: { httpsProxy: 'http://proxy:3128', noProxy: '.svc' },
          kasCa: { path: 'ca.pem', pem },
          image: { tag: 'v18.6.0', repository: 'mirror.example/agentk' },
          rbac: { mode: 'existing-role', role: 'agent-role' },
          serviceAccount: 'agent-sa',
        }),
      ),
    );
    expect(values.extraEnv).toEqual([
      { name: 'HTTPS_PROXY', value: 'http://proxy:3128' },
      { name: 'NO_PROXY', value: '.svc' },
    ]);
    expect(values.config.kasCaCert).toBe(pem);
    expect(values.image).toEqual({ tag: 'v18.6.0', repository: 'mirror.example/agentk' });
    expect(values.rbac).toEqual({ create: true, useExistingRole: 'agent-role' });
    expect(values.serviceAccount).toEqual({ create: false, name: 'agent-sa' });
    expect(parse(helmValuesYaml(sampleSettings({ rbac: { mode: 'none' } }))).rbac).toEqual({ create: false });
  });
  it('leave container scanning at the chart default, or turn it off for old and new charts alike', () => {
    expect(buildHelmValues(sampleSettings()).config).not.toHaveProperty('operational_container_scanning');
    const off = buildHelmValues(sampleSettings({ containerScanning: false })).config as Record<string, unknown>;
    // 2.10+ reads "enabled"; the 2.6-era templates only drop their objects on "disabled".
    expect(off.operational_container_scanning).toEqual({ enabled: false, disabled: true });
  });
});

describe('rights a helm install needs', () => {
  const target = { context: 'prod', gitlabUrl: 'https://gitlab.example.com', projectId: 1, projectPath: 'g/p', agentName: 'prod', namespace: 'gitlab-agent-prod', createNamespace: true };
  const rbacResources = (s: AgentSettings) => requiredAccess(target, s, true).filter((c) => c.group === 'rbac.authorization.k8s.io').map((c) => c.resource);
  it("include the container scanner's ClusterRole, bindings and Role while it is on", () => {
    expect(rbacResources(sampleSettings())).toEqual(['clusterrolebindings', 'clusterroles', 'clusterrolebindings', 'roles', 'rolebindings']);
    expect(rbacResources(sampleSettings({ rbac: { mode: 'none' }, containerScanning: false }))).toEqual([]);
  });
});

describe('helm argv', () => {
  it('installs from the repo with values on stdin and the user context', () => {
    const args = buildHelmUpgradeArgs({ ...placement, kubeconfig: '/k/config' }, sampleRelease({ chartVersion: '2.32.0', valuesFiles: ['extra.yaml'], sets: ['replicas=1'], setStrings: ['podAnnotations.a=true'] }));
    expect(args).toEqual([
      'upgrade', '--install', 'prod', 'gitlab-agent', '--namespace', 'gitlab-agent-prod',
      '--repo', 'https://charts.gitlab.io', '--version', '2.32.0',
      '--kube-context', 'prod', '--kubeconfig', '/k/config',
      '-f', '-', '-f', 'extra.yaml', '--set', 'replicas=1', '--set-string', 'podAnnotations.a=true',
    ]);
  });
  it('uses a local or OCI chart reference as given', () => {
    const args = buildHelmUpgradeArgs(placement, sampleRelease({ chart: { kind: 'ref', ref: 'oci://registry.example/charts/gitlab-agent' } }));
    expect(args.slice(0, 4)).toEqual(['upgrade', '--install', 'prod', 'oci://registry.example/charts/gitlab-agent']);
    expect(args).not.toContain('--repo');
  });
  it('prints a command a user can paste, values as a heredoc', () => {
    const cmd = pasteableHelmCommand(placement, sampleRelease(), helmValuesYaml(sampleSettings()));
    // One flag a line, so nothing wraps it; the heredoc's end marker at column 0.
    expect(cmd).toMatch(/^helm upgrade --install prod gitlab-agent \\\n {2}--namespace [\s\S]* -f - <<'VALUES'\n/);
    expect(cmd.split('\n').every((l) => l.length <= 80)).toBe(true);
    expect(cmd).toContain('secretName: prod-agent-token');
    expect(cmd.trimEnd().endsWith('VALUES')).toBe(true);
  });
});
