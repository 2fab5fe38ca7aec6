import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { inspectCaPem } from '../../src/core/plan/ca-cert.js';
import { sampleRelease, sampleSettings } from '../support/sample-settings.js';
import { buildHelmUpgradeArgs } from '../../src/core/plan/helm/argv.js';
import { pasteableHelmCommand } from '../../src/core/plan/helm/pasteable.js';
import type { HelmPlacement } from '../../src/core/plan/helm/release-plan.js';
import { buildHelmValues, helmValuesYaml } from '../../src/core/plan/helm/values.js';
import { requiredAccess } from '../../src/core/plan/helm/required-access.js';
import { podSecurityLabels } from '../../src/core/plan/secure-defaults.js';
import { renderedAccess, renderedObjects, resourceOf } from '../../src/core/plan/rendered-access.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');

const placement: HelmPlacement = { context: 'prod', namespace: 'gitlab-agent-prod' };

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
    expect(inspectCaPem('-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----')).toEqual({
      problem: expect.stringContaining('does not parse'),
    });
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
  it('roll the pods when the token they run with or the KAS CA changes (the chart checksums neither)', () => {
    const pem = fixture('kas-ca.pem');
    const values = buildHelmValues(sampleSettings({ kasCa: { path: 'ca.pem', pem }, rollout: { tokenId: 7 } }));
    const annotations = values.podAnnotations as Record<string, string>;
    expect(annotations['gitlab-agent-tui/token-id']).toBe('7');
    expect(annotations['gitlab-agent-tui/kas-ca-sha256']).toMatch(/^[0-9a-f]{64}$/);
    const other = buildHelmValues(sampleSettings({ kasCa: { path: 'ca.pem', pem: pem.replace('A', 'B') }, rollout: { tokenId: 8 } }))
      .podAnnotations as Record<string, string>;
    expect(other['gitlab-agent-tui/kas-ca-sha256']).not.toBe(annotations['gitlab-agent-tui/kas-ca-sha256']);
    expect(buildHelmValues(sampleSettings())).not.toHaveProperty('podAnnotations');
  });
  it('carry a restricted-compliant securityContext unless told not to (the chart ships it empty)', () => {
    const values = buildHelmValues(sampleSettings({ secureDefaults: true }));
    expect(values.podSecurityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 65532,
      runAsGroup: 65532,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(values.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(buildHelmValues(sampleSettings({ secureDefaults: false }))).not.toHaveProperty('securityContext');
  });
  it('label a namespace we create with the Pod Security level that passes', () => {
    expect(podSecurityLabels({ secureDefaults: true, containerScanning: false })['pod-security.kubernetes.io/enforce']).toBe('restricted');
    // Container scanning's Trivy pods are not ours to vouch for: restricted is warned and audited only.
    expect(podSecurityLabels({ secureDefaults: true, containerScanning: true })).toEqual({
      'pod-security.kubernetes.io/enforce': 'baseline',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/audit': 'restricted',
    });
    expect(podSecurityLabels({ secureDefaults: false, containerScanning: false })).toEqual({});
  });
  it('leave container scanning at the chart default, or turn it off for old and new charts alike', () => {
    expect(buildHelmValues(sampleSettings()).config).not.toHaveProperty('operational_container_scanning');
    const off = buildHelmValues(sampleSettings({ containerScanning: false })).config as Record<string, unknown>;
    // 2.10+ reads "enabled"; the 2.6-era templates only drop their objects on "disabled".
    expect(off.operational_container_scanning).toEqual({ enabled: false, disabled: true });
  });
});

describe('rights a helm install needs', () => {
  const manifest = [
    'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: prod-gitlab-agent',
    '# Source: a comment-only document\n',
    'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: ns:prod-gitlab-agent:ocs',
    'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: ns:prod-gitlab-agent-cluster-admin',
    'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: ns:prod-gitlab-agent:ocs',
    'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: np\n  namespace: other',
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: prod-gitlab-agent-v2',
  ].join('\n---\n');
  const describe_ = (a: { verb: string; group: string; resource: string; namespace?: string }) =>
    `${a.verb} ${a.group}/${a.resource}@${a.namespace ?? '*'}`;

  it('come from the rendered chart: one per verb, resource and namespace, cluster-scoped kinds without one', () => {
    const objects = renderedObjects(manifest);
    expect(objects.map((o) => o.kind)).toEqual([
      'ServiceAccount',
      'ClusterRole',
      'ClusterRoleBinding',
      'ClusterRoleBinding',
      'NetworkPolicy',
      'Deployment',
    ]);
    const access = renderedAccess(objects, 'gitlab-agent-prod', { upgrading: false, serverSideApply: false });
    expect(access.map(describe_)).toEqual([
      'create /serviceaccounts@gitlab-agent-prod',
      'create rbac.authorization.k8s.io/clusterroles@*',
      'create rbac.authorization.k8s.io/clusterrolebindings@*',
      'create networking.k8s.io/networkpolicies@other',
      'create apps/deployments@gitlab-agent-prod',
    ]);
    expect(access[2]!.why).toBe('create ClusterRoleBinding ns:prod-gitlab-agent-cluster-admin, which the chart renders');
  });
  it('add patch for an upgrade and for helm 4 (server-side apply)', () => {
    const objects = renderedObjects(manifest).slice(0, 1);
    expect(renderedAccess(objects, 'ns', { upgrading: true, serverSideApply: false }).map((a) => a.verb)).toEqual(['create', 'patch']);
    expect(renderedAccess(objects, 'ns', { upgrading: false, serverSideApply: true }).map((a) => a.verb)).toEqual(['create', 'patch']);
  });
  it('name resources as RBAC does', () => {
    expect(['ConfigMap', 'Ingress', 'NetworkPolicy', 'Endpoints', 'IngressClass', 'PodDisruptionBudget'].map(resourceOf)).toEqual([
      'configmaps',
      'ingresses',
      'networkpolicies',
      'endpoints',
      'ingressclasses',
      'poddisruptionbudgets',
    ]);
  });
  it('besides the chart: our token Secret, the namespace and the readiness watch', () => {
    const target = {
      context: 'prod',
      gitlabUrl: 'https://gitlab.example.com',
      projectId: 1,
      projectPath: 'g/p',
      agentName: 'prod',
      namespace: 'gitlab-agent-prod',
      createNamespace: true,
    };
    expect(requiredAccess(target, sampleSettings(), false).map(describe_)).toEqual([
      'create /namespaces@*',
      'create /secrets@gitlab-agent-prod',
      'update /secrets@gitlab-agent-prod',
      'get /secrets@gitlab-agent-prod',
      'watch /pods@gitlab-agent-prod',
    ]);
  });
});

describe('helm argv', () => {
  it('installs from the repo with values on stdin and the user context', () => {
    const args = buildHelmUpgradeArgs(
      { ...placement, kubeconfig: '/k/config' },
      sampleRelease({ chartVersion: '2.32.0', valuesFiles: ['extra.yaml'], sets: ['replicas=1'], setStrings: ['podAnnotations.a=true'] }),
    );
    expect(args).toEqual([
      'upgrade',
      '--install',
      'prod',
      'gitlab-agent',
      '--namespace',
      'gitlab-agent-prod',
      '--repo',
      'https://charts.gitlab.io',
      '--version',
      '2.32.0',
      '--kube-context',
      'prod',
      '--kubeconfig',
      '/k/config',
      '-f',
      '-',
      '-f',
      'extra.yaml',
      '--set',
      'replicas=1',
      '--set-string',
      'podAnnotations.a=true',
    ]);
  });
  it('uses a local or OCI chart reference as given', () => {
    const args = buildHelmUpgradeArgs(
      placement,
      sampleRelease({ chart: { kind: 'ref', ref: 'oci://registry.example/charts/gitlab-agent' } }),
    );
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
