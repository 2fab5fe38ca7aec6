/**
 * The e2e test chart behaves like the official gitlab-agent chart where an installer can trip over
 * the difference (issue 10 part 1; the facts are in ../shared/facts/real-chart.md). Rendered with
 * the built helm 3 and helm 4 (`helm template`), from the packaged form (package.sh, as the chart
 * repository serves it) and the source form; plus installs on the real control plane.
 *
 * GLAT_E2E_CHART_SRC=<dir> runs the same tests against another chart source (e.g. the old test chart,
 * to see them fail).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments, parse as parseYaml, stringify } from 'yaml';
import { e2eEnv } from './support/env.js';
import { exec, kubectl, kubectlApply, kubectlJson, type Exec, type KubeList, type KubeObject } from './support/kube.js';
import { KAS_CA_PEM, ROOT } from './support/paths.js';
import { createSandbox, type HelmMajor, type Sandbox } from './support/sandbox.js';
import { chartSource, chartVersions, packageChart, sourceFormCopy } from './support/test-chart.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- rendered manifests are walked as plain data */
type Doc = KubeObject & { spec?: any; data?: Record<string, string>; rules?: any[]; roleRef?: any; subjects?: any[]; type?: string };

const NS = 'fid-ns';
const RELEASE = 'fid';
const FULL = 'fid-gitlab-agent';
const NEWEST = '2.32.0';
// The tool always sets config.secretName; most renders start from that.
const WITH_SECRET = { config: { secretName: 'fid-agent-token' } };
const FAKE_TOKEN = 'glagent-fake-token-for-e2e-0001';

const OCS = {
  serviceAccount: `${FULL}-ocs-scanning-pod-sa`,
  clusterRole: `${NS}:${FULL}:ocs`,
  clusterRoleBinding: `${NS}:${FULL}:ocs`,
  role: `${FULL}:ocs`,
  roleBinding: `${FULL}:ocs`,
};

function ocsObjects(docs: Doc[]): string[] {
  return docs
    .filter(
      (d) =>
        (d.metadata.name.endsWith(':ocs') && /Role/.test(d.kind ?? '')) ||
        (d.kind === 'ServiceAccount' && d.metadata.name.endsWith('-ocs-scanning-pod-sa')),
    )
    .map((d) => `${d.kind}/${d.metadata.name}`)
    .sort();
}

const ALL_OCS = [
  `ClusterRole/${OCS.clusterRole}`,
  `ClusterRoleBinding/${OCS.clusterRoleBinding}`,
  `Role/${OCS.role}`,
  `RoleBinding/${OCS.roleBinding}`,
  `ServiceAccount/${OCS.serviceAccount}`,
].sort();

function one(docs: Doc[], kind: string, name?: string): Doc {
  const found = docs.filter((d) => d.kind === kind && (name === undefined || d.metadata.name === name));
  expect(
    found.map((d) => `${d.kind}/${d.metadata.name}`),
    `exactly one ${kind}${name ? ` ${name}` : ''} in ${docs.map((d) => `${d.kind}/${d.metadata.name}`).join(', ')}`,
  ).toHaveLength(1);
  return found[0]!;
}

function named(docs: Doc[], kind: string): string[] {
  return docs
    .filter((d) => d.kind === kind)
    .map((d) => d.metadata.name)
    .sort();
}

const podSpec = (d: Doc): any => d.spec.template.spec;
const container = (d: Doc): any => podSpec(d).containers[0];
const envMap = (d: Doc): Record<string, any> =>
  Object.fromEntries((container(d).env ?? []).map((e: any) => [e.name, e.value ?? e.valueFrom]));
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

describe.each([3, 4] as HelmMajor[])('the test chart behaves like the official one (helm %i)', (helmMajor) => {
  let sb: Sandbox;
  const tgz = new Map<string, string>();
  let n = 0;

  beforeAll(async () => {
    sb = createSandbox(`fidelity-h${helmMajor}`, helmMajor);
    for (const v of chartVersions()) tgz.set(v.version, await packageChart(sb, join(sb.root, 'pkg'), v.version, v.appVersion));
  }, 180_000);

  function chart(version = NEWEST): string {
    const path = tgz.get(version);
    if (!path) throw new Error(`no package for chart ${version} (chart-versions.txt has ${[...tgz.keys()].join(', ')})`);
    return path;
  }

  async function template(
    chartRef: string,
    values: object,
    opts: { release?: string; namespace?: string; extra?: string[] } = {},
  ): Promise<Exec> {
    const file = join(sb.tmp, `values-${n++}.yaml`);
    writeFileSync(file, stringify(values));
    return exec(
      sb.helmBin,
      ['template', opts.release ?? RELEASE, chartRef, '-n', opts.namespace ?? NS, '-f', file, ...(opts.extra ?? [])],
      sb.env,
    );
  }

  async function render(
    values: object = WITH_SECRET,
    opts: { version?: string; release?: string; namespace?: string } = {},
  ): Promise<Doc[]> {
    const r = await template(chart(opts.version), values, opts);
    if (r.code !== 0)
      throw new Error(`helm template (chart ${opts.version ?? NEWEST}, values ${JSON.stringify(values)}) failed (${r.code}): ${r.stderr}`);
    // YAML 1.1 as Kubernetes reads it (0444 is octal there).
    return parseAllDocuments(r.stdout, { version: '1.1' })
      .map((d) => d.toJS() as Doc | null)
      .filter((d): d is Doc => d !== null && typeof d === 'object');
  }

  it('the chart repository serves the version matrix, each package with the ingress-nginx dependency inside', async () => {
    const index = parseYaml(await (await fetch(`${e2eEnv().chartRepo}/index.yaml`)).text()) as {
      entries: Record<string, { version: string; appVersion: string }[]>;
    };
    const served = (index.entries['gitlab-agent'] ?? []).map((e) => `${e.version} ${e.appVersion}`).sort();
    expect(served).toEqual(
      chartVersions()
        .map((v) => `${v.version} ${v.appVersion}`)
        .sort(),
    );
    // before and after extraManifests (2.30.0), and the two the upgrade tests use
    expect(served).toEqual(expect.arrayContaining(['2.29.0 v19.2.1', '2.30.0 v19.3.0']));
    expect(served.map((s) => s.split(' ')[0])).toEqual(expect.arrayContaining(['2.31.0', '2.32.0']));
    for (const { version } of chartVersions()) {
      const dir = join(sb.root, 'pulled', version);
      mkdirSync(dir, { recursive: true });
      const pull = await exec(sb.helmBin, ['pull', 'gitlab-agent', '--repo', e2eEnv().chartRepo, '--version', version, '-d', dir], sb.env);
      expect(pull.code, pull.stderr).toBe(0);
      const list = await exec('/bin/tar', ['tzf', join(dir, `gitlab-agent-${version}.tgz`)], sb.env);
      expect(list.stdout.split('\n'), `files of the served gitlab-agent-${version}.tgz`).toEqual(
        expect.arrayContaining(['gitlab-agent/charts/ingress-nginx/Chart.yaml']),
      );
    }
  });

  it("source form: helm template and install fail with helm's missing-dependency message until `helm dependency build`", async () => {
    // What git holds: no charts/ (ignored), so a checkout is exactly the source form.
    const tracked = await exec('/usr/bin/git', ['-C', ROOT, 'ls-files', '--', 'test/e2e/chart/gitlab-agent'], sb.env);
    if (!process.env.GLAT_E2E_CHART_SRC) {
      expect(tracked.stdout).toContain('test/e2e/chart/gitlab-agent/Chart.yaml');
      expect(tracked.stdout).not.toMatch(/gitlab-agent\/charts\//);
    }
    const parent = join(sb.root, 'src-form');
    mkdirSync(parent, { recursive: true });
    const dir = sourceFormCopy(parent);
    expect(readdirSync(dir)).not.toContain('charts');

    const missing = /found in Chart\.yaml, but missing in charts\/ directory: ingress-nginx/;
    const t = await template(dir, WITH_SECRET);
    expect(t.code, t.stdout).not.toBe(0);
    expect(t.stderr).toMatch(missing);
    expect(t.stderr).toContain('helm dependency build');
    const dry = await exec(
      sb.helmBin,
      ['install', RELEASE, dir, '-n', 'fid-src', '--dry-run', '--set', 'config.secretName=x', '--kube-context', 'e2e-admin'],
      sb.env,
    );
    expect(dry.code).not.toBe(0);
    expect(dry.stderr).toMatch(missing);
    const lint = await exec(sb.helmBin, ['lint', dir, '--set', 'config.secretName=x'], sb.env);
    expect(`${lint.stdout}${lint.stderr}`).toMatch(/missing these dependencies: ingress-nginx/);

    // Offline: the dependency is file://deps/ingress-nginx, so no repository and no network are needed.
    const build = await exec(sb.helmBin, ['dependency', 'build', '--skip-refresh', dir], sb.env);
    expect(build.code, build.stderr).toBe(0);
    expect(readdirSync(join(dir, 'charts'))).toEqual([expect.stringMatching(/^ingress-nginx-[\d.]+\.tgz$/)]);
    const again = await template(dir, WITH_SECRET);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(`name: ${FULL}-v2`);
    const lintOk = await exec(sb.helmBin, ['lint', dir, '--set', 'config.secretName=x'], sb.env);
    expect(lintOk.code, `${lintOk.stdout}${lintOk.stderr}`).toBe(0);
  });

  it('helm lint passes for every packaged version, and ingress-nginx.enabled renders the packaged subchart', async () => {
    for (const { version } of chartVersions()) {
      const lint = await exec(sb.helmBin, ['lint', chart(version), '--set', 'config.secretName=x'], sb.env);
      expect(lint.code, `helm lint ${version}: ${lint.stdout}${lint.stderr}`).toBe(0);
    }
    expect(named(await render(), 'IngressClass')).toEqual([]);
    const docs = await render({ ...WITH_SECRET, 'ingress-nginx': { enabled: true } });
    expect(named(docs, 'IngressClass')).toEqual(['gitlab-agent-nginx']);
  });

  it('by default: the OCS ServiceAccount, ClusterRole (get/list on every Secret), ClusterRoleBinding, Role and RoleBinding', async () => {
    const docs = await render();
    expect(ocsObjects(docs)).toEqual(ALL_OCS);
    const cr = one(docs, 'ClusterRole', OCS.clusterRole);
    const secretsRule = cr.rules!.find((r: any) => r.apiGroups.includes('') && r.resources.includes('secrets'));
    expect(secretsRule?.verbs, 'verbs on secrets, cluster-wide').toEqual(expect.arrayContaining(['get', 'list']));
    const crb = one(docs, 'ClusterRoleBinding', OCS.clusterRoleBinding);
    expect(crb.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: OCS.clusterRole });
    expect(crb.subjects).toEqual([{ kind: 'ServiceAccount', name: OCS.serviceAccount, namespace: NS }]);
    const rb = one(docs, 'RoleBinding', OCS.roleBinding);
    expect(rb.metadata.namespace).toBe(NS);
    expect(rb.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: OCS.role });
    expect(rb.subjects).toEqual([{ kind: 'ServiceAccount', name: OCS.serviceAccount, namespace: NS }]);
    const env = envMap(one(docs, 'Deployment'));
    expect(env.OCS_ENABLED).toBe('true');
    expect(env.OCS_SERVICE_ACCOUNT_NAME).toBe(OCS.serviceAccount);
  });

  it('config.operational_container_scanning.enabled=false removes all five (before 2.10.0 only disabled=true does)', async () => {
    const off = await render({ config: { ...WITH_SECRET.config, operational_container_scanning: { enabled: false } } });
    expect(ocsObjects(off)).toEqual([]);
    expect(envMap(one(off, 'Deployment')).OCS_ENABLED).toBe('false');
    expect(envMap(one(off, 'Deployment')).OCS_SERVICE_ACCOUNT_NAME).toBeUndefined();
    // Old charts: enabled=false drops only the ClusterRole (the binding then points at nothing).
    const old = await render(
      { config: { ...WITH_SECRET.config, operational_container_scanning: { enabled: false } } },
      { version: '2.6.2' },
    );
    expect(ocsObjects(old)).toEqual(ALL_OCS.filter((o) => !o.startsWith('ClusterRole/')));
    const oldOff = await render(
      { config: { ...WITH_SECRET.config, operational_container_scanning: { enabled: false, disabled: true } } },
      { version: '2.6.2' },
    );
    expect(ocsObjects(oldOff)).toEqual([]);
  });

  it('rbac.create=false and serviceAccount.create=false (+ name) still leave every OCS object, cluster-scoped ones included', async () => {
    const docs = await render({ ...WITH_SECRET, rbac: { create: false }, serviceAccount: { create: false, name: 'my-sa' } });
    expect(ocsObjects(docs)).toEqual(ALL_OCS);
    expect(named(docs, 'ClusterRoleBinding')).toEqual([OCS.clusterRoleBinding]);
    expect(named(docs, 'ServiceAccount')).toEqual([OCS.serviceAccount]);
    expect(podSpec(one(docs, 'Deployment')).serviceAccountName).toBe('my-sa');
    // create=false without a name runs as "default"
    const dflt = await render({ ...WITH_SECRET, serviceAccount: { create: false } });
    expect(podSpec(one(dflt, 'Deployment')).serviceAccountName).toBe('default');
    expect(one(dflt, 'ClusterRoleBinding', `${NS}:${FULL}-cluster-admin`).subjects).toEqual([
      { kind: 'ServiceAccount', name: 'default', namespace: NS },
    ]);
  });

  it('the agent ClusterRoleBinding is <namespace>:<fullname>-<role>, for cluster-admin or rbac.useExistingRole', async () => {
    const docs = await render();
    const crb = one(docs, 'ClusterRoleBinding', `${NS}:${FULL}-cluster-admin`);
    expect(crb.roleRef).toMatchObject({ kind: 'ClusterRole', name: 'cluster-admin' });
    expect(crb.subjects).toEqual([{ kind: 'ServiceAccount', name: FULL, namespace: NS }]);
    expect(named(docs, 'ServiceAccount')).toEqual([FULL, OCS.serviceAccount].sort());
    const own = await render({ ...WITH_SECRET, rbac: { useExistingRole: 'team-agent' } });
    expect(named(own, 'ClusterRoleBinding')).toEqual([`${NS}:${FULL}-team-agent`, OCS.clusterRoleBinding].sort());
    expect(one(own, 'ClusterRoleBinding', `${NS}:${FULL}-team-agent`).roleRef).toMatchObject({ kind: 'ClusterRole', name: 'team-agent' });
  });

  it('the observability Service <fullname trunc 55>-service (ClusterIP, 8080); observability.enabled=false drops it, the port and the scrape annotations, not the probes', async () => {
    const docs = await render();
    const svc = one(docs, 'Service', `${FULL}-service`);
    expect(svc.spec.type).toBe('ClusterIP');
    expect(svc.spec.ports).toEqual([expect.objectContaining({ port: 8080, targetPort: 'observability' })]);
    expect(svc.spec.selector).toEqual({ 'app.kubernetes.io/name': 'gitlab-agent', 'app.kubernetes.io/instance': RELEASE });
    const d = one(docs, 'Deployment');
    expect(d.spec.template.metadata.annotations).toMatchObject({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': '8080',
      'prometheus.io/path': '/metrics',
    });

    const off = await render({ ...WITH_SECRET, config: { ...WITH_SECRET.config, observability: { enabled: false } } });
    expect(named(off, 'Service')).toEqual([]);
    const od = one(off, 'Deployment');
    expect(Object.keys(od.spec.template.metadata.annotations ?? {}).filter((k) => k.startsWith('prometheus.io/'))).toEqual([]);
    expect(container(od).ports.map((p: any) => p.name)).not.toContain('observability');
    expect(container(od).livenessProbe.httpGet).toEqual({ path: '/liveness', port: 8080 });
    expect(container(od).readinessProbe.httpGet).toEqual({ path: '/readiness', port: 8080 });
  });

  it('the Deployment: <fullname>-v2, 2 replicas, container gitlab-agent with ports observability 8080 and api 8082, probes, labels', async () => {
    const d = one(await render(), 'Deployment');
    expect(d.metadata.name).toBe(`${FULL}-v2`);
    expect(d.spec.replicas).toBe(2);
    expect(d.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    expect(d.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'gitlab-agent', 'app.kubernetes.io/instance': RELEASE });
    expect(d.metadata.labels).toEqual({
      'helm.sh/chart': `gitlab-agent-${NEWEST}`,
      'app.kubernetes.io/name': 'gitlab-agent',
      'app.kubernetes.io/instance': RELEASE,
      'app.kubernetes.io/version': 'v19.4.0',
      'app.kubernetes.io/managed-by': 'Helm',
    });
    expect(d.spec.template.metadata.labels).toMatchObject(d.spec.selector.matchLabels);
    const c = container(d);
    expect(podSpec(d).containers.map((x: any) => x.name)).toEqual(['gitlab-agent']);
    expect(c.image).toBe('registry.gitlab.com/gitlab-org/cluster-integration/gitlab-agent/agentk:v19.4.0');
    expect(c.ports.map((p: any) => `${p.name} ${p.containerPort}`)).toEqual(['observability 8080', 'api 8082']);
    expect(c.livenessProbe).toMatchObject({ httpGet: { path: '/liveness', port: 8080 }, initialDelaySeconds: 15, periodSeconds: 20 });
    expect(c.readinessProbe).toMatchObject({ httpGet: { path: '/readiness', port: 8080 }, initialDelaySeconds: 5, periodSeconds: 10 });
    expect(c.args).toEqual(['--token-file=/etc/agentk/secrets/token', '--kas-address=wss://kas.gitlab.com']);
    // empty by default, as in the official chart (Pod Security "restricted" rejects this)
    expect(podSpec(d).securityContext ?? {}).toEqual({});
    expect(c.securityContext ?? {}).toEqual({});
    expect(podSpec(d).automountServiceAccountToken).toBe(false);
    const env = envMap(d);
    for (const name of ['POD_NAMESPACE', 'POD_NAME', 'POD_IP', 'SERVICE_ACCOUNT_NAME', 'OCS_ENABLED', 'OCS_SERVICE_ACCOUNT_NAME'])
      expect(env, name).toHaveProperty(name);
  });

  it('names: <release>-gitlab-agent unless the release contains it, fullnameOverride, truncation (63 / Deployment 60+-v2 / Service 55+-service)', async () => {
    const inRelease = await render(WITH_SECRET, { release: 'team-gitlab-agent' });
    expect(one(inRelease, 'Deployment').metadata.name).toBe('team-gitlab-agent-v2');
    expect(named(inRelease, 'ServiceAccount')).toEqual(['team-gitlab-agent', 'team-gitlab-agent-ocs-scanning-pod-sa']);

    const longRelease = `team-${'x'.repeat(48)}`; // 53, helm's maximum
    const long = await render(WITH_SECRET, { release: longRelease });
    const full = `${longRelease}-gitlab-agent`.slice(0, 63);
    expect(full).toBe(`${longRelease}-gitlab-ag`);
    expect(one(long, 'Deployment').metadata.name).toBe(`${longRelease}-gitlab-v2`);
    expect(one(long, 'Deployment').metadata.name).toHaveLength(63);
    expect(named(long, 'Service')).toEqual([`${longRelease}-g-service`]);
    expect(named(long, 'ServiceAccount')).toContain(full);
    expect(named(long, 'Role')).toEqual([`${full}:ocs`]);

    // fullnameOverride: truncated to 63 and a trailing "-" trimmed
    const over = await render({ ...WITH_SECRET, fullnameOverride: `${'f'.repeat(62)}-tail` });
    expect(named(over, 'ServiceAccount')).toContain('f'.repeat(62));
    expect(one(over, 'Deployment').metadata.name).toBe(`${'f'.repeat(60)}-v2`);
    expect(named(over, 'Service')).toEqual([`${'f'.repeat(55)}-service`]);
    // The Deployment's own trunc 60 is not trimmed again (as in the official template).
    const dash = await render({ ...WITH_SECRET, fullnameOverride: `${'a'.repeat(59)}-b` });
    expect(one(dash, 'Deployment').metadata.name).toBe(`${'a'.repeat(59)}--v2`);
  });

  it('nameOverride changes the selector label and every name, not the container name', async () => {
    const docs = await render({ ...WITH_SECRET, nameOverride: 'agentk' });
    const d = one(docs, 'Deployment');
    expect(d.metadata.name).toBe('fid-agentk-v2');
    expect(d.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'agentk', 'app.kubernetes.io/instance': RELEASE });
    expect(podSpec(d).containers.map((x: any) => x.name)).toEqual(['gitlab-agent']);
    expect(named(docs, 'ServiceAccount')).toEqual(['fid-agentk', 'fid-agentk-ocs-scanning-pod-sa']);
    expect(named(docs, 'Service')).toEqual(['fid-agentk-service']);
    expect(one(docs, 'Service').spec.selector).toEqual(d.spec.selector.matchLabels);
    expect(named(docs, 'ClusterRoleBinding')).toEqual([`${NS}:fid-agentk-cluster-admin`, `${NS}:fid-agentk:ocs`]);
  });

  it('config.secretName: the whole Secret mounted read-only at /etc/agentk/secrets (secret-volume, 0444), no Secret rendered, no checksum', async () => {
    const docs = await render();
    const d = one(docs, 'Deployment');
    expect(named(docs, 'Secret')).toEqual([]);
    const vol = podSpec(d).volumes.find((v: any) => v.name === 'secret-volume');
    expect(vol).toEqual({ name: 'secret-volume', secret: { secretName: 'fid-agent-token', defaultMode: 0o444 } });
    expect(container(d).volumeMounts).toContainEqual({ name: 'secret-volume', mountPath: '/etc/agentk/secrets', readOnly: true });
    expect(container(d).args).toContain('--token-file=/etc/agentk/secrets/token');
    expect(Object.keys(d.spec.template.metadata.annotations ?? {}).filter((k) => k.startsWith('checksum/'))).toEqual([]);
  });

  it('config.token: Secret <fullname>-token (key token) and checksum/token = sha256(token); with secretName too, the Secret takes that name', async () => {
    const docs = await render({ config: { token: FAKE_TOKEN } });
    const s = one(docs, 'Secret', `${FULL}-token`);
    expect(Object.keys(s.data ?? {})).toEqual(['token']);
    expect(Buffer.from(s.data!.token!, 'base64').toString()).toBe(FAKE_TOKEN);
    const d = one(docs, 'Deployment');
    expect(d.spec.template.metadata.annotations['checksum/token']).toBe(sha256(FAKE_TOKEN));
    expect(podSpec(d).volumes.find((v: any) => v.name === 'secret-volume')?.secret.secretName).toBe(`${FULL}-token`);

    const both = await render({ config: { token: FAKE_TOKEN, secretName: 'fid-agent-token' } });
    expect(named(both, 'Secret')).toEqual(['fid-agent-token']);
    expect(one(both, 'Deployment').spec.template.metadata.annotations['checksum/token']).toBe(sha256(FAKE_TOKEN));
  });

  it('neither config.token nor config.secretName: renders anyway, with no Secret and no secret volume (agentk cannot start)', async () => {
    const docs = await render({});
    expect(named(docs, 'Secret')).toEqual([]);
    const d = one(docs, 'Deployment');
    expect(podSpec(d).volumes.map((v: any) => v.name)).not.toContain('secret-volume');
    expect(container(d).args).toContain('--token-file=/etc/agentk/secrets/token');
  });

  it('config.kasCaCert: ConfigMap <fullname> (ca.crt) mounted at /etc/agentk/config, no checksum: a new CA leaves the pod template as it was', async () => {
    const pem = readFileSync(KAS_CA_PEM, 'utf8');
    const docs = await render({ config: { ...WITH_SECRET.config, kasCaCert: pem } });
    const cm = one(docs, 'ConfigMap', FULL);
    expect(cm.data).toEqual({ 'ca.crt': pem });
    const d = one(docs, 'Deployment');
    expect(podSpec(d).volumes).toContainEqual({ name: 'config-volume', configMap: { name: FULL, defaultMode: 0o444 } });
    expect(container(d).volumeMounts).toContainEqual({ name: 'config-volume', mountPath: '/etc/agentk/config', readOnly: true });
    expect(container(d).args).toContain('--kas-ca-cert-file=/etc/agentk/config/ca.crt');
    expect(Object.keys(d.spec.template.metadata.annotations ?? {}).filter((k) => k.startsWith('checksum/'))).toEqual([]);
    const other = one(await render({ config: { ...WITH_SECRET.config, kasCaCert: pem.replace(/A/g, 'B') } }), 'Deployment');
    expect(other.spec.template).toEqual(d.spec.template);
  });

  it('config.kasHeaders: each header is --kas-header followed by the header as its own argument', async () => {
    const d = one(await render({ config: { ...WITH_SECRET.config, kasHeaders: ['Cookie: gitlab-canary', 'X-Team: a'] } }), 'Deployment');
    const args: string[] = container(d).args;
    const at = args.indexOf('--kas-header');
    expect(at).toBeGreaterThan(0);
    expect(args.slice(at)).toEqual(['--kas-header', 'Cookie: gitlab-canary', '--kas-header', 'X-Team: a']);
  });

  it('receptive mode: a Secret named config.secretName with api-jwt and a random private-api-jwt but no token; no --kas-address; listeners and a Service', async () => {
    const values = {
      config: { secretName: 'fid-agent-token', receptive: { enabled: true }, api: { jwtPublicKey: 'ZmFrZS1qd3QtcHVibGljLWtleQ==' } },
    };
    const docs = await render(values);
    const s = one(docs, 'Secret', 'fid-agent-token');
    expect(Object.keys(s.data ?? {}).sort()).toEqual(['api-jwt', 'private-api-jwt']);
    expect(Buffer.from(s.data!['api-jwt']!, 'base64').toString()).toBe('ZmFrZS1qd3QtcHVibGljLWtleQ==');
    const again = one(await render(values), 'Secret', 'fid-agent-token');
    expect(again.data!['private-api-jwt'], 'helm template has no live Secret to keep: a new random key each run').not.toBe(
      s.data!['private-api-jwt'],
    );
    const d = one(docs, 'Deployment');
    const args: string[] = container(d).args;
    expect(args.some((a) => a.startsWith('--kas-address'))).toBe(false);
    expect(args).toEqual(
      expect.arrayContaining([
        '--api-listen-address=:8082',
        '--private-api-listen-address=:8081',
        '--api-jwt-file=/etc/agentk/secrets/api-jwt',
        '--private-api-jwt-file=/etc/agentk/secrets/private-api-jwt',
      ]),
    );
    const svc = one(docs, 'Service', `${FULL}-service`);
    expect(svc.spec.ports.map((p: any) => `${p.port}->${p.targetPort}`).sort()).toEqual([
      '8080->observability',
      '8081->8081',
      '8182->8082',
    ]);
    // The public key alone (not receptive): the same Secret name with api-jwt, still connecting out.
    const keyOnly = await render({ config: { secretName: 'fid-agent-token', api: { jwtPublicKey: 'ZmFrZS1qd3QtcHVibGljLWtleQ==' } } });
    expect(Object.keys(one(keyOnly, 'Secret', 'fid-agent-token').data ?? {})).toEqual(['api-jwt']);
    expect(container(one(keyOnly, 'Deployment')).args).toContain('--kas-address=wss://kas.gitlab.com');
  });

  it('extraManifests: rendered with the release from 2.30.0 on, ignored by 2.29.0 and older', async () => {
    const values = {
      ...WITH_SECRET,
      extraManifests: [
        {
          apiVersion: 'policy/v1',
          kind: 'PodDisruptionBudget',
          metadata: { name: '{{ include "gitlab-agent.fullname" . }}-pdb' },
          spec: { maxUnavailable: 1, selector: { matchLabels: { 'app.kubernetes.io/instance': '{{ .Release.Name }}' } } },
        },
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-extra\ndata:\n  from: string\n',
      ],
    };
    for (const { version } of chartVersions()) {
      const docs = await render(values, { version });
      const since = version.localeCompare('2.30.0', undefined, { numeric: true }) >= 0;
      expect(named(docs, 'PodDisruptionBudget'), `chart ${version}`).toEqual(since ? [`${FULL}-pdb`] : []);
      expect(named(docs, 'ConfigMap'), `chart ${version}`).toEqual(since ? [`${RELEASE}-extra`] : []);
      if (since) expect(one(docs, 'PodDisruptionBudget').spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/instance': RELEASE });
    }
  });

  it('version differences: revisionHistoryLimit and the telemetry env from 2.10.0 on, not in 2.6.2; the image defaults to each appVersion', async () => {
    const values = { ...WITH_SECRET, revisionHistoryLimit: 3 };
    for (const { version, appVersion } of chartVersions()) {
      const d = one(await render(values, { version }), 'Deployment');
      const modern = version !== '2.6.2';
      expect(d.spec.revisionHistoryLimit, `chart ${version}`).toBe(modern ? 3 : undefined);
      const env = envMap(d);
      expect(env.GITLAB_AGENT_TELEMETRY_installation_method, `chart ${version}`).toBe(modern ? 'helm-chart' : undefined);
      expect(env.GITLAB_AGENT_TELEMETRY_helm_chart_version, `chart ${version}`).toBe(modern ? version : undefined);
      expect(container(d).image).toMatch(new RegExp(`:${appVersion.replace(/\./g, '\\.')}$`));
      expect(d.metadata.labels?.['helm.sh/chart']).toBe(`gitlab-agent-${version}`);
    }
  });

  it('the other values reach the Deployment (and additionalLabels every object); resources.limits also set GOMAXPROCS/GOMEMLIMIT', async () => {
    const docs = await render({
      ...WITH_SECRET,
      replicas: 3,
      maxSurge: 0,
      maxUnavailable: 1,
      image: { repository: 'mirror.example/agentk', tag: 'v19.4.0-fake', pullPolicy: 'Always' },
      imagePullSecrets: [{ name: 'mirror-pull' }],
      podAnnotations: { 'team/oncall': 'maria' },
      podLabels: { cost: 'platform' },
      additionalLabels: { owner: 'team-a' },
      podSecurityContext: { runAsNonRoot: true },
      securityContext: { allowPrivilegeEscalation: false },
      resources: { requests: { cpu: '100m' }, limits: { cpu: '1', memory: '256Mi' } },
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      tolerations: [{ key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' }],
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchExpressions: [{ key: 'type', operator: 'In', values: ['kwok'] }] }],
          },
        },
      },
      priorityClassName: 'agents',
      runtimeClassName: 'gvisor',
      hostAliases: [{ ip: '10.0.0.9', hostnames: ['kas.internal'] }],
      serviceAccount: { annotations: { 'eks.amazonaws.com/role-arn': 'arn:fake' } },
      extraArgs: ['--kas-tls-server-name=kas.internal'],
      extraEnv: [{ name: 'HTTPS_PROXY', value: 'http://proxy:3128' }],
    });
    const d = one(docs, 'Deployment');
    const spec = podSpec(d);
    const c = container(d);
    expect(d.spec.replicas).toBe(3);
    expect(d.spec.strategy.rollingUpdate).toEqual({ maxSurge: 0, maxUnavailable: 1 });
    expect(c.image).toBe('mirror.example/agentk:v19.4.0-fake');
    expect(c.imagePullPolicy).toBe('Always');
    expect(spec.imagePullSecrets).toEqual([{ name: 'mirror-pull' }]);
    expect(d.spec.template.metadata.annotations).toMatchObject({ 'team/oncall': 'maria', 'prometheus.io/scrape': 'true' });
    expect(d.spec.template.metadata.labels).toMatchObject({ cost: 'platform', owner: 'team-a' });
    expect(spec.securityContext).toEqual({ runAsNonRoot: true });
    expect(c.securityContext).toEqual({ allowPrivilegeEscalation: false });
    expect(c.resources).toEqual({ requests: { cpu: '100m' }, limits: { cpu: '1', memory: '256Mi' } });
    const env = envMap(d);
    expect(env.GOMAXPROCS).toEqual({ resourceFieldRef: { resource: 'limits.cpu' } });
    expect(env.GOMEMLIMIT).toEqual({ resourceFieldRef: { resource: 'limits.memory' } });
    expect(env.HTTPS_PROXY).toBe('http://proxy:3128');
    expect(spec.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
    expect(spec.tolerations).toEqual([{ key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' }]);
    expect(spec.affinity.nodeAffinity).toBeDefined();
    expect(spec.priorityClassName).toBe('agents');
    expect(spec.runtimeClassName).toBe('gvisor');
    expect(spec.hostAliases).toEqual([{ ip: '10.0.0.9', hostnames: ['kas.internal'] }]);
    expect(c.args).toContain('--kas-tls-server-name=kas.internal');
    expect(one(docs, 'ServiceAccount', FULL).metadata.annotations).toEqual({ 'eks.amazonaws.com/role-arn': 'arn:fake' });
    for (const o of docs) expect(o.metadata.labels?.owner, `${o.kind}/${o.metadata.name}`).toBe('team-a');
    // No limits, no GOMAXPROCS
    expect(envMap(one(await render(), 'Deployment'))).not.toHaveProperty('GOMAXPROCS');
  });
});

describe('the packaged chart on the real control plane', () => {
  let sb: Sandbox;
  const cleanup: string[] = [];
  beforeAll(() => {
    sb = createSandbox('fidelity-live', 4);
  });
  afterAll(async () => {
    for (const ns of cleanup) await kubectl(['delete', 'namespace', ns, '--wait=false'], { allowFail: true });
  });

  const helm = (args: string[]) => exec(sb.helmBin, [...args, '--kube-context', 'e2e-admin'], sb.env, 150_000);

  it.each([3, 4] as HelmMajor[])(
    'helm %i installs the newest version with --wait: 2/2 Ready, the OCS objects, the Service',
    async (major) => {
      const hb = createSandbox(`fidelity-live-h${major}`, major);
      const ns = hb.name('fid-live');
      cleanup.push(ns);
      await kubectlApply(
        `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${ns}}\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: live-agent-token, namespace: ${ns}}\ntype: Opaque\nstringData: {token: ${FAKE_TOKEN}}\n`,
      );
      const r = await exec(
        hb.helmBin,
        [
          'upgrade',
          '--install',
          'live',
          'gitlab-agent',
          '--repo',
          e2eEnv().chartRepo,
          '-n',
          ns,
          '--set',
          'config.secretName=live-agent-token',
          '--wait',
          '--timeout',
          '90s',
          '--kube-context',
          'e2e-admin',
        ],
        hb.env,
        150_000,
      );
      expect(r.code, r.stderr).toBe(0);
      const d = await kubectlJson<Doc & { status?: { readyReplicas?: number } }>(['get', 'deployment', 'live-gitlab-agent-v2', '-n', ns]);
      expect(d.status?.readyReplicas).toBe(2);
      expect(d.spec.template.spec.volumes).toContainEqual({
        name: 'secret-volume',
        secret: { secretName: 'live-agent-token', defaultMode: 0o444 },
      });
      const pods = await kubectlJson<KubeList<Doc>>(['get', 'pods', '-n', ns, '-l', 'app.kubernetes.io/instance=live']);
      expect(pods.items.map((p) => p.spec.containers.map((c: any) => c.name).join(','))).toEqual(['gitlab-agent', 'gitlab-agent']);
      const names = async (kind: string, namespaced = true) =>
        (await kubectlJson<KubeList>(['get', kind, ...(namespaced ? ['-n', ns] : []), '-l', 'app.kubernetes.io/instance=live'])).items
          .map((o) => o.metadata.name)
          .sort();
      expect(await names('serviceaccounts')).toEqual(['live-gitlab-agent', 'live-gitlab-agent-ocs-scanning-pod-sa']);
      expect((await names('clusterroles', false)).filter((n) => n.startsWith(`${ns}:`))).toEqual([`${ns}:live-gitlab-agent:ocs`]);
      expect((await names('clusterrolebindings', false)).filter((n) => n.startsWith(`${ns}:`))).toEqual([
        `${ns}:live-gitlab-agent-cluster-admin`,
        `${ns}:live-gitlab-agent:ocs`,
      ]);
      expect(await names('roles')).toEqual(['live-gitlab-agent:ocs']);
      expect(await names('rolebindings')).toEqual(['live-gitlab-agent:ocs']);
      expect(await names('services')).toEqual(['live-gitlab-agent-service']);
      // helm uninstall takes the cluster-scoped objects with it
      const un = await exec(hb.helmBin, ['uninstall', 'live', '-n', ns, '--wait', '--kube-context', 'e2e-admin'], hb.env, 120_000);
      expect(un.code, un.stderr).toBe(0);
      expect((await names('clusterrolebindings', false)).filter((n) => n.startsWith(`${ns}:`))).toEqual([]);
    },
  );

  it('receptive values collide with a token Secret of the same name: helm refuses to take it over; without one, private-api-jwt survives an upgrade', async () => {
    const ns = sb.name('fid-recv');
    cleanup.push(ns);
    await kubectlApply(
      `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${ns}}\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: recv-agent-token, namespace: ${ns}}\ntype: Opaque\nstringData: {token: ${FAKE_TOKEN}}\n`,
    );
    const receptive = ['--set', 'config.receptive.enabled=true', '--set', 'config.api.jwtPublicKey=ZmFrZS1qd3QtcHVibGljLWtleQ=='];
    const base = ['upgrade', '--install', 'recv', 'gitlab-agent', '--repo', e2eEnv().chartRepo, '-n', ns, '--timeout', '90s'];
    const clash = await helm([...base, '--set', 'config.secretName=recv-agent-token', ...receptive]);
    expect(clash.code).not.toBe(0);
    expect(clash.stderr).toMatch(/Secret "recv-agent-token" in namespace "[^"]+" exists and cannot be imported into the current release/);

    // A second release (the refused one may have left a failed record behind).
    base[2] = 'recv2';
    const first = await helm([...base, '--set', 'config.secretName=recv-own', ...receptive]);
    expect(first.code, first.stderr).toBe(0);
    const s1 = await kubectlJson<Doc>(['get', 'secret', 'recv-own', '-n', ns]);
    expect(Object.keys(s1.data ?? {}).sort()).toEqual(['api-jwt', 'private-api-jwt']);
    const second = await helm([...base, '--set', 'config.secretName=recv-own', ...receptive]);
    expect(second.code, second.stderr).toBe(0);
    const s2 = await kubectlJson<Doc>(['get', 'secret', 'recv-own', '-n', ns]);
    expect(s2.data!['private-api-jwt']).toBe(s1.data!['private-api-jwt']);
    // and the user's token Secret is untouched
    const theirs = await kubectlJson<Doc>(['get', 'secret', 'recv-agent-token', '-n', ns]);
    expect(Buffer.from(theirs.data!.token!, 'base64').toString()).toBe(FAKE_TOKEN);
  });

  it('charts/ and Chart.lock are git-ignored in the source form, so a local dependency build is never committed', () => {
    // chartSource() is what the tests and package.sh use; its charts/ must never be committed.
    const gitignore = join(chartSource(), '.gitignore');
    const ignored = existsSync(gitignore) ? readFileSync(gitignore, 'utf8') : '';
    expect(ignored).toMatch(/^charts\/$/m);
    expect(ignored).toMatch(/^Chart\.lock$/m);
  });
});
