import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import type { AgentSettings } from '../../../src/core/plan/agent-settings.js';
import type { AgentTarget } from '../../../src/core/plan/agent-target.js';
import { chooseFluxVersions } from '../../../src/core/plan/flux/api-versions.js';
import { renderFluxFiles, rootKustomization, withResource } from '../../../src/core/plan/flux/manifests.js';
import { normalizeRepoPath, pathCovers, repoUrlIsProject } from '../../../src/core/plan/flux/paths.js';
import { fluxValues } from '../../../src/core/plan/flux/values.js';
import { agentObjects, renderPackage } from '../../../src/core/plan/manifests/package.js';
import { receptiveHelmSets, receptiveUrlProblem } from '../../../src/core/plan/receptive/values.js';
import { renderTerraform } from '../../../src/core/plan/terraform/render.js';
import { exportFiles } from '../../../src/core/plan/export.js';
import { EXPORT_FORMATS } from '../../../src/core/plan/choices.js';
import { sampleSettings } from '../../support/sample-settings.js';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n';

/** A pinned tag and the secure defaults, as the GitOps deliveries write them. */
const settings = (over: Partial<AgentSettings> = {}): AgentSettings =>
  sampleSettings({ image: { tag: 'v18.6.1' }, secureDefaults: true, ...over });

const target: AgentTarget = {
  context: 'prod-eu',
  gitlabUrl: 'https://gitlab.example.com',
  projectId: 7,
  projectPath: 'group/infra',
  agentName: 'prod',
  namespace: 'gitlab-agent-prod',
  createNamespace: true,
};

describe('Flux paths', () => {
  it('normalises Flux paths and knows what a Kustomization path covers', () => {
    expect(normalizeRepoPath('./clusters/prod/')).toBe('clusters/prod');
    expect(normalizeRepoPath('./')).toBe('');
    expect(pathCovers('./clusters/prod', 'clusters/prod')).toBe(true);
    expect(pathCovers('clusters/prod', 'clusters/prod/agents')).toBe(true);
    expect(pathCovers('clusters/prod', 'clusters/production')).toBe(false);
    expect(pathCovers('clusters/prod', '')).toBe(false);
    expect(pathCovers('./', 'anything/below')).toBe(true);
  });

  it('matches the GitRepository URLs flux bootstrap gitlab writes to the project', () => {
    const is = (url: string) => repoUrlIsProject(url, 'https://gitlab.example.com', 'group/infra');
    expect(is('https://gitlab.example.com/group/infra.git')).toBe(true);
    expect(is('https://gitlab.example.com/Group/Infra')).toBe(true);
    expect(is('ssh://git@gitlab.example.com:2222/group/infra.git')).toBe(true);
    expect(is('git@gitlab.example.com:group/infra.git')).toBe(true);
    expect(is('https://gitlab.example.com/group/infra-other.git')).toBe(false);
    expect(is('https://github.com/group/infra.git')).toBe(false);
  });

  it('picks the newest Flux API version the cluster serves, and none for a group it lacks', () => {
    expect(chooseFluxVersions({ source: ['v1', 'v1beta2'], kustomize: ['v1'], helm: ['v2beta1', 'v2'] })).toEqual({
      source: 'source.toolkit.fluxcd.io/v1',
      kustomize: 'kustomize.toolkit.fluxcd.io/v1',
      helm: 'helm.toolkit.fluxcd.io/v2',
    });
    expect(chooseFluxVersions({ source: ['v1beta2'], kustomize: [], helm: ['v2beta1'] })).toEqual({
      source: 'source.toolkit.fluxcd.io/v1beta2',
      helm: 'helm.toolkit.fluxcd.io/v2beta1',
    });
  });
});

describe('Flux manifests', () => {
  const files = renderFluxFiles({
    release: 'prod',
    fluxNamespace: 'flux-system',
    targetNamespace: 'gitlab-agent-prod',
    chartRepo: 'https://charts.gitlab.io',
    chartName: 'gitlab-agent',
    chartVersion: '2.32.0',
    values: fluxValues(
      settings({
        proxy: { httpsProxy: 'http://proxy:3128' },
        kasCa: { path: 'ca.pem', pem: PEM },
        rbac: { mode: 'existing-role', role: 'agent-role' },
      }),
    ),
    apiVersions: { source: 'source.toolkit.fluxcd.io/v1', helm: 'helm.toolkit.fluxcd.io/v2' },
  });
  const byPath = Object.fromEntries(files.map((f) => [f.path, parse(f.content) as Record<string, any>]));

  it('writes a HelmRepository and a HelmRelease with the discovered API versions, the pinned chart and tag, and our Secret', () => {
    expect(files.map((f) => f.path)).toEqual(['helm-repository.yaml', 'helm-release.yaml', 'kustomization.yaml']);
    const repo = byPath['helm-repository.yaml']!;
    expect(repo).toMatchObject({
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'HelmRepository',
      metadata: { namespace: 'flux-system' },
      spec: { url: 'https://charts.gitlab.io' },
    });
    const hr = byPath['helm-release.yaml']!;
    expect(hr.apiVersion).toBe('helm.toolkit.fluxcd.io/v2');
    expect(hr.spec).toMatchObject({
      releaseName: 'prod',
      targetNamespace: 'gitlab-agent-prod',
      chart: {
        spec: {
          chart: 'gitlab-agent',
          version: '2.32.0',
          sourceRef: { kind: 'HelmRepository', name: repo.metadata.name, namespace: 'flux-system' },
        },
      },
      install: { createNamespace: false },
    });
    expect(hr.spec.values).toMatchObject({
      image: { tag: 'v18.6.1' },
      config: { secretName: 'prod-agent-token', kasAddress: 'wss://gitlab.example.com/-/kubernetes-agent/', kasCaCert: PEM },
      extraEnv: [{ name: 'HTTPS_PROXY', value: 'http://proxy:3128' }],
      rbac: { useExistingRole: 'agent-role' },
      securityContext: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
      podSecurityContext: { runAsNonRoot: true },
    });
    expect(JSON.stringify(hr)).not.toMatch(/config\.token|"token":/);
    expect(byPath['kustomization.yaml']!.resources).toEqual(['helm-repository.yaml', 'helm-release.yaml']);
  });

  it('adds our directory to an existing kustomization.yaml once, keeping its comments', () => {
    const existing = '# mine\napiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - flux-system\n';
    const updated = withResource(existing, 'gitlab-agent-prod')!;
    expect(updated).toContain('# mine');
    expect((parse(updated) as { resources: string[] }).resources).toEqual(['flux-system', 'gitlab-agent-prod']);
    expect(withResource(updated, 'gitlab-agent-prod')).toBeUndefined();
    expect((parse(rootKustomization(['flux-system', 'gitlab-agent-prod'])) as { resources: string[] }).resources).toEqual([
      'flux-system',
      'gitlab-agent-prod',
    ]);
  });
});

describe('the advanced kustomize package', () => {
  it('renders namespace, service account, cluster-admin binding and a hardened Deployment that references the token Secret', () => {
    const objects = agentObjects({
      name: 'prod',
      namespace: 'gitlab-agent-prod',
      imageTag: 'v18.6.1',
      settings: settings({ proxy: { httpsProxy: 'http://proxy:3128', noProxy: '.svc' } }),
    });
    expect(objects.map((o) => o.kind)).toEqual(['Namespace', 'ServiceAccount', 'ClusterRoleBinding', 'Deployment']);
    const binding = objects[2] as Record<string, any>;
    expect(binding.roleRef.name).toBe('cluster-admin');
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'prod-gitlab-agent', namespace: 'gitlab-agent-prod' }]);
    const d = objects[3] as Record<string, any>;
    expect(d.metadata.labels).toMatchObject({
      'app.kubernetes.io/name': 'gitlab-agent',
      'app.kubernetes.io/instance': 'prod',
      'app.kubernetes.io/managed-by': 'gitlab-agent-tui',
    });
    const pod = d.spec.template.spec;
    const c = pod.containers[0];
    expect(c.image).toBe('registry.gitlab.com/gitlab-org/cluster-integration/gitlab-agent/agentk:v18.6.1');
    expect(c.args).toEqual(['--token-file=/etc/agentk/secrets/token', '--kas-address=wss://gitlab.example.com/-/kubernetes-agent/']);
    expect(c.env).toEqual(
      expect.arrayContaining([
        { name: 'HTTPS_PROXY', value: 'http://proxy:3128' },
        { name: 'NO_PROXY', value: '.svc' },
      ]),
    );
    expect(c.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.volumes[0]).toEqual({
      name: 'token-volume',
      secret: { secretName: 'prod-agent-token', items: [{ key: 'token', path: 'token' }] },
    });
  });

  it('follows the RBAC, service account and CA options', () => {
    const none = agentObjects({
      name: 'p',
      namespace: 'ns',
      imageTag: 'v1.0.0',
      settings: settings({ rbac: { mode: 'none' }, serviceAccount: 'mine' }),
    });
    expect(none.map((o) => o.kind)).toEqual(['Namespace', 'Deployment']);
    expect((none[1] as Record<string, any>).spec.template.spec.serviceAccountName).toBe('mine');
    const role = agentObjects({
      name: 'p',
      namespace: 'ns',
      imageTag: 'v1.0.0',
      settings: settings({ rbac: { mode: 'existing-role', role: 'agent-role' }, kasCa: { path: 'ca.pem', pem: PEM } }),
    });
    expect(role.map((o) => o.kind)).toEqual(['Namespace', 'ServiceAccount', 'ClusterRoleBinding', 'ConfigMap', 'Deployment']);
    expect((role[2] as Record<string, any>).roleRef.name).toBe('agent-role');
    expect((role[3] as Record<string, any>).data['ca.crt']).toBe(PEM);
    expect((role[4] as Record<string, any>).spec.template.spec.containers[0].args).toContain(
      '--kas-ca-cert-file=/etc/agentk/config/ca.crt',
    );
  });

  it('is a kustomize package listing every file, with a README on the token and no token in it', () => {
    const files = renderPackage({ name: 'prod', namespace: 'gitlab-agent-prod', imageTag: 'v18.6.1', settings: settings() });
    const k = parse(files[0]!.content) as { resources: string[] };
    expect(files.map((f) => f.path)).toEqual(['kustomization.yaml', ...k.resources, 'README.md']);
    expect(files.find((f) => f.path === 'README.md')!.content).toContain('never commit a token');
  });
});

describe('receptive values', () => {
  it('drops the KAS address, names the chart Secret apart from ours and mounts our token beside it', () => {
    const { sets, setStrings } = receptiveHelmSets('prod', 'prod-agent-token', 'a+b/c=');
    expect(sets).toContain('config.kasAddress=null');
    expect(sets).toContain('config.receptive.enabled=true');
    expect(sets).toContain('config.secretName=prod-gitlab-agent-receptive');
    expect(sets).toContain('extraVolumes[0].secret.secretName=prod-agent-token');
    expect(sets).toContain('extraArgs[0]=--token-file=/etc/agentk/agent-token/token');
    expect(setStrings).toEqual(['config.api.jwtPublicKey=a+b/c=']);
    expect(receptiveUrlProblem('grpcs://agent.example.com:443')).toBeUndefined();
    expect(receptiveUrlProblem('https://agent.example.com')).toMatch(/grpc:\/\/ or grpcs:\/\//);
  });
});

describe('Terraform', () => {
  it('uses the GitLab provider for agent, token and config file, a Kubernetes Secret for the token and the Helm provider for the release', () => {
    const [main] = renderTerraform({
      target,
      settings: settings({ createConfig: 'user-access' }),
      release: 'prod',
      chartRepo: 'https://charts.gitlab.io',
      chartName: 'gitlab-agent',
      chartVersion: '2.32.0',
      values: fluxValues(settings()),
      defaultBranch: 'main',
    });
    const tf = main!.content;
    for (const r of [
      'resource "gitlab_cluster_agent" "this"',
      'resource "gitlab_cluster_agent_token" "this"',
      'resource "gitlab_repository_file" "agent_config"',
      'resource "kubernetes_secret_v1" "agent_token"',
      'resource "helm_release" "agent"',
    ]) {
      expect(tf).toContain(r);
    }
    expect(tf).toContain('token = gitlab_cluster_agent_token.this.token');
    expect(tf).toContain('depends_on = [kubernetes_secret_v1.agent_token]');
    expect(tf).toContain('version    = "2.32.0"');
    expect(tf).toContain('secretName = "prod-agent-token"');
    expect(tf).not.toMatch(/glagent-|set_sensitive|config\.token/);
    // Braces balance: a template mistake would leave one open.
    expect((tf.match(/{/g) ?? []).length).toBe((tf.match(/}/g) ?? []).length);
  });

  it("writes no token resources for the user's own Secret", () => {
    const [main] = renderTerraform({
      target,
      settings: settings({ tokenSecret: { name: 'mine', own: true } }),
      release: 'prod',
      chartRepo: 'oci://registry.example.com/charts',
      chartName: 'gitlab-agent',
      values: {},
      defaultBranch: 'main',
    });
    expect(main!.content).not.toContain('gitlab_cluster_agent_token');
    expect(main!.content).toContain('chart      = "oci://registry.example.com/charts/gitlab-agent"');
  });
});

describe('export files', () => {
  it('every format renders parseable files and none carries a token', () => {
    for (const format of EXPORT_FORMATS) {
      const files = exportFiles(format, {
        target,
        settings: settings(),
        name: 'prod',
        chartRepo: 'https://charts.gitlab.io',
        fluxNamespace: 'flux-system',
        fluxApiVersions: {
          source: 'source.toolkit.fluxcd.io/v1',
          kustomize: 'kustomize.toolkit.fluxcd.io/v1',
          helm: 'helm.toolkit.fluxcd.io/v2',
        },
        defaultBranch: 'main',
      });
      expect(files.length).toBeGreaterThan(0);
      for (const f of files) {
        expect(f.content).not.toMatch(/glagent-|glpat-/);
        if (f.path.endsWith('.yaml')) expect(parseAllDocuments(f.content).every((d) => d.errors.length === 0)).toBe(true);
      }
    }
  });
});
