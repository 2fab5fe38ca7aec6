/**
 * troubleshoot (doctor) through the real binary: KAS's certificate judged with the CA agentk is given, and
 * Flux objects whose status says they fail. KAS is a TLS stand-in on 127.0.0.1 (certificate signed by a
 * private CA, WebSocket upgrades answered as KAS answers them) that the fake GitLab advertises. The agent is
 * installed with another CA (--kas-ca-cert): kas-tls-untrusted-ca; with its ConfigMap holding the right CA:
 * healthy. Then that install is made Flux-managed by a HelmRelease, Kustomization and GitRepository in a
 * namespace of this file's own (the shared flux-system objects are left alone), whose statuses are written as
 * source-controller and kustomize-controller write them.
 */
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, transcript, type CliResult } from './support/cli.js';
import { e2eEnv } from './support/env.js';
import { installFlux, notReady, ready, writeStatus } from './support/flux.js';
import { commonFlags, startGitLab, type E2eGitLab } from './support/gitlab.js';
import { kubectl, kubectlApply, kubectlJson, releaseSelector, type KubeList } from './support/kube.js';
import { createSandbox, type Sandbox } from './support/sandbox.js';
import { makeCa, readPem, signServerCert } from '../support/test-pki.js';

interface Finding {
  id: string;
  status: string;
  category: string;
  title: string;
  evidence: string[];
  cause: string;
  fix: string;
}
interface Doc {
  installs: { rootCause: { id: string; category: string } | null; findings: Finding[]; notCollected: string[] }[];
}

/** A KAS CA, a CA agentk is wrongly given, and KAS's certificate for 127.0.0.1 signed by the first (valid 90 days: no expiry warning). */
function certificates(dir: string) {
  const kasCa = makeCa(dir, 'kas-ca', '/CN=E2E KAS Root CA/O=Doctor Corp', 90);
  const wrongCa = makeCa(dir, 'wrong-ca', '/CN=E2E Unrelated CA', 90);
  const kas = signServerCert(dir, 'kas-ca', 'kas', { subject: '/CN=127.0.0.1', san: 'IP:127.0.0.1', days: 90 });
  return { ...kas, kasCa, kasCaPem: readPem(dir, 'kas-ca.pem'), wrongCa };
}

/** KAS behind TLS: a WebSocket upgrade at /-/kubernetes-agent/ gets 101 with the RFC 6455 accept; nothing else is served. */
async function startTlsKas(cert: string, key: string): Promise<{ server: Server; port: number; upgrades: number }> {
  const state = { upgrades: 0 };
  const server = createServer({ cert, key }, (_req, res) => res.writeHead(404).end());
  server.on('upgrade', (req, socket) => {
    const k = req.headers['sec-websocket-key'];
    if (req.url !== '/-/kubernetes-agent/' || typeof k !== 'string')
      return socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
    state.upgrades++;
    const accept = createHash('sha1').update(`${k}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
    socket.end(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    port: (server.address() as AddressInfo).port,
    get upgrades() {
      return state.upgrades;
    },
  };
}

describe('troubleshoot: KAS TLS with the agent CA, Flux statuses', () => {
  let sb: Sandbox;
  let g: E2eGitLab;
  let kas: Awaited<ReturnType<typeof startTlsKas>>;
  let certs: ReturnType<typeof certificates>;
  let agent: string;
  let namespace: string;
  let installed: CliResult | undefined;
  const env = () => ({ GITLAB_TOKEN: g.pat });
  const doctor = async () => {
    const r = await runCli(
      sb,
      [
        'doctor',
        '--context',
        'e2e-admin',
        '--namespace',
        namespace,
        '--release',
        agent,
        '--gitlab-url',
        g.gl.url,
        '--project',
        'group/app',
        '--output',
        'json',
      ],
      { env: env() },
    );
    return { r, doc: JSON.parse(r.stdout) as Doc };
  };

  beforeAll(async () => {
    sb = createSandbox('doctor-tls');
    certs = certificates(sb.cwd);
    kas = await startTlsKas(certs.cert, certs.key);
    g = await startGitLab({
      metadata: { kas: { enabled: true, externalUrl: `wss://127.0.0.1:${kas.port}/-/kubernetes-agent/`, version: '17.6.2' } },
    });
    agent = sb.name('tls');
    namespace = `gitlab-agent-${agent}`;
  });
  afterAll(async () => {
    await g?.close();
    kas?.server.closeAllConnections();
    await new Promise<void>((resolve) => (kas ? kas.server.close(() => resolve()) : resolve()));
  });

  it('installs an agent given a CA that did not sign KAS (--kas-ca-cert)', async () => {
    installed = await runCli(
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
        '--kas-ca-cert',
        certs.wrongCa,
        ...commonFlags(g, e2eEnv().chartRepo),
      ],
      { env: env() },
    );
    expect(installed.code, transcript(installed)).toBe(0);
  });

  it("KAS's chain does not lead to the agent's CA: exit 1, rootCause kas-tls-untrusted-ca, naming the issuer and the upgrade that sets the CA", async () => {
    expect(installed, 'the install ran').toBeDefined();
    const { r, doc } = await doctor();
    expect(r.code, transcript(r)).toBe(1);
    const i = doc.installs[0]!;
    expect(i.rootCause, r.stdout).toEqual({ id: 'NET-TLS-CA', category: 'kas-tls-untrusted-ca' });
    const f = i.findings.find((x) => x.id === 'NET-TLS-CA')!;
    expect(f).toMatchObject({ status: 'fail', title: "The configured CA does not sign KAS's certificate" });
    expect(f.cause).toContain('issued by CN=E2E KAS Root CA, O=Doctor Corp');
    expect(f.fix).toBe(
      `gitlab-agent-tui upgrade --context e2e-admin --namespace ${namespace} --release ${agent} --kas-ca-cert <ca-file> (the PEM of "CN=E2E KAS Root CA, O=Doctor Corp")`,
    );
    expect(f.evidence.join('\n')).toMatch(
      /with the configured CA \(\/etc\/agentk\/config\/ca\.crt\): (UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)/,
    );
    // The WebSocket upgrade itself passes (agentk would fail at TLS first): 101 from the KAS stand-in.
    expect(i.findings.find((x) => x.id === 'NET-UPGRADE')).toMatchObject({
      status: 'ok',
      evidence: [`GET https://127.0.0.1:${kas.port}/-/kubernetes-agent/ (Upgrade: websocket) → HTTP/1.1 101 Switching Protocols`],
    });
    expect(kas.upgrades).toBeGreaterThan(0);
    expect(i.notCollected.join('\n')).not.toMatch(/not probed|not judged/);
  });

  it("the agent's ConfigMap given KAS's CA: trusted with the agent's CA (the system CAs alone do not), exit 0", async () => {
    expect(installed, 'the install ran').toBeDefined();
    const list = await kubectlJson<KubeList<{ spec: { template: { spec: { volumes: { configMap?: { name: string } }[] } } } }>>([
      'get',
      'deployment',
      '-n',
      namespace,
      '-l',
      releaseSelector(agent),
    ]);
    const cm = list.items[0]?.spec.template.spec.volumes.find((v) => v.configMap)?.configMap?.name;
    expect(cm, 'the chart mounts config.kasCaCert from a ConfigMap').toBeDefined();
    await kubectl([
      'patch',
      'configmap',
      cm!,
      '-n',
      namespace,
      '--type=merge',
      '-p',
      JSON.stringify({ data: { 'ca.crt': certs.kasCaPem } }),
    ]);
    const { r, doc } = await doctor();
    expect(r.code, transcript(r)).toBe(0);
    const tls = doc.installs[0]!.findings.find((x) => x.id.startsWith('NET-TLS'))!;
    expect(tls, r.stdout).toMatchObject({ id: 'NET-TLS', status: 'ok' });
    expect(tls.evidence).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^with the system CAs: (UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)/),
        'with the configured CA (/etc/agentk/config/ca.crt): verified',
      ]),
    );
  });

  describe("Flux objects on the agent's path, in a namespace of this file's own", () => {
    let fx: string;
    const hrId = () => `${fx}_gitlab-agent_helm.toolkit.fluxcd.io_HelmRelease`;
    beforeAll(async () => {
      fx = `flux-${agent}`;
      await installFlux();
      await kubectl(['create', 'namespace', fx], { allowFail: true });
      await kubectlApply(
        [
          {
            apiVersion: 'source.toolkit.fluxcd.io/v1',
            kind: 'GitRepository',
            metadata: { name: 'agents', namespace: fx },
            spec: { interval: '1m', url: `${g.gl.url}/group/app.git`, ref: { branch: 'main' }, secretRef: { name: 'agents-git' } },
          },
          {
            apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
            kind: 'Kustomization',
            metadata: { name: 'agents', namespace: fx },
            spec: { interval: '10m', path: './clusters/e2e', prune: true, sourceRef: { kind: 'GitRepository', name: 'agents' } },
          },
          {
            apiVersion: 'helm.toolkit.fluxcd.io/v2',
            kind: 'HelmRelease',
            metadata: { name: 'gitlab-agent', namespace: fx },
            spec: {
              interval: '10m',
              targetNamespace: namespace,
              releaseName: agent,
              chart: { spec: { chart: 'gitlab-agent', sourceRef: { kind: 'HelmRepository', name: 'gitlab' } } },
            },
          },
        ]
          .map((o) => stringify(o))
          .join('---\n'),
      );
      await writeStatus(
        'helmrelease',
        'gitlab-agent',
        {
          conditions: [
            ready('UpgradeSucceeded', `Helm upgrade succeeded for release ${namespace}/${agent}.v1 with chart gitlab-agent@2.32.0`),
          ],
        },
        fx,
      );
    });
    afterAll(async () => {
      await kubectl(['delete', 'namespace', fx, '--wait=false'], { allowFail: true });
    });
    const kustomization = (condition: Record<string, unknown>) =>
      writeStatus('kustomization', 'agents', { inventory: { entries: [{ id: hrId(), v: 'v2' }] }, conditions: [condition] }, fx);

    it('a GitRepository Ready=False GitOperationFailed (authentication required): exit 1, rootCause flux-source-failed', async () => {
      await writeStatus(
        'gitrepository',
        'agents',
        {
          conditions: [
            notReady(
              'GitOperationFailed',
              `failed to checkout and determine revision: unable to clone '${g.gl.url}/group/app.git': authentication required`,
            ),
          ],
        },
        fx,
      );
      await kustomization({
        type: 'Ready',
        status: 'False',
        reason: 'ArtifactFailed',
        message: `Source artifact not found, retrying in 30s`,
      });
      const { r, doc } = await doctor();
      expect(r.code, transcript(r)).toBe(1);
      const i = doc.installs[0]!;
      expect(i.rootCause, r.stdout).toEqual({ id: 'FLX-GITREPO-FAILED', category: 'flux-source-failed' });
      const f = i.findings.find((x) => x.id === 'FLX-GITREPO-FAILED')!;
      expect(f.evidence).toEqual([
        `Ready=False GitOperationFailed: failed to checkout and determine revision: unable to clone '${g.gl.url}/group/app.git': authentication required`,
      ]);
      expect(f.fix).toBe(
        `Renew the credentials in the Secret named by spec.secretRef of GitRepository/${fx}/agents, then flux reconcile source git agents -n ${fx}`,
      );
      // Only this agent's path: the shared flux-system objects (whatever state other tests left them in) are not read as its cause.
      expect(i.findings.flatMap((x) => x.evidence).join('\n')).not.toContain('GitRepository/flux-system/flux-system');
    });

    it('a Kustomization Ready=False BuildFailed, kustomize choking on the agent config file: exit 1, rootCause flux-root-without-kustomization', async () => {
      const revision = 'main@sha1:0123456789abcdef0123456789abcdef01234567';
      const artifact = {
        revision,
        digest: 'sha256:2f6e1c8b8d0a4c6f1e4b9b1f4a7c2d3e5f60718293a4b5c6d7e8f90123456789',
        lastUpdateTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
        path: `gitrepository/${fx}/agents/0123456789abcdef0123456789abcdef01234567.tar.gz`,
        url: `http://source-controller.flux-system.svc.cluster.local./gitrepository/${fx}/agents/0123456789abcdef0123456789abcdef01234567.tar.gz`,
      };
      await writeStatus(
        'gitrepository',
        'agents',
        { artifact, conditions: [ready('Succeeded', `stored artifact for revision '${revision}'`)] },
        fx,
      );
      await kustomization(
        notReady(
          'BuildFailed',
          `kustomize build failed: failed to decode Kubernetes YAML from /tmp/kustomization-3402957826/.gitlab/agents/${agent}/config.yaml: missing Resource metadata`,
        ),
      );
      const { r, doc } = await doctor();
      expect(r.code, transcript(r)).toBe(1);
      expect(doc.installs[0]!.rootCause, r.stdout).toEqual({ id: 'FLX-KUSTOMIZATION-ROOT', category: 'flux-root-without-kustomization' });
    });

    it('a Kustomization Ready=False BuildFailed with another kustomize error: exit 1, rootCause flux-kustomization-failed, the message verbatim', async () => {
      const message =
        "kustomize build failed: accumulating resources: accumulation err='accumulating resources from 'gitlab-agent-helm-release.yaml': open /tmp/kustomization-1180/clusters/e2e/gitlab-agent-helm-release.yaml: no such file or directory': must build at directory: not a valid directory";
      await kustomization(notReady('BuildFailed', message));
      const { r, doc } = await doctor();
      expect(r.code, transcript(r)).toBe(1);
      const i = doc.installs[0]!;
      expect(i.rootCause, r.stdout).toEqual({ id: 'FLX-KUSTOMIZATION-FAILED', category: 'flux-kustomization-failed' });
      expect(i.findings.find((x) => x.id === 'FLX-KUSTOMIZATION-FAILED')!.evidence).toEqual([
        `Ready=False BuildFailed: ${message}`,
        'spec.path: ./clusters/e2e',
      ]);
    });

    it('the Kustomization healthy again: the Flux layer passes and the install is healthy (exit 0)', async () => {
      await kustomization(ready('ReconciliationSucceeded', 'Applied revision: main@sha1:0123456789abcdef0123456789abcdef01234567'));
      const { r, doc } = await doctor();
      expect(r.code, transcript(r)).toBe(0);
      const status = Object.fromEntries(doc.installs[0]!.findings.map((f) => [f.id, f.status]));
      expect(status).toMatchObject({ 'FLX-GITREPO': 'ok', 'FLX-KUSTOMIZATION': 'ok', 'FLX-HELMRELEASE': 'ok' });
    });

    it('the chart from an OCIRepository (spec.chartRef) that is Ready=False: exit 1, rootCause flux-source-failed naming it, its message as evidence', async () => {
      const url = 'oci://registry.example.com/charts/gitlab-agent';
      await kubectlApply(
        stringify({
          apiVersion: 'source.toolkit.fluxcd.io/v1',
          kind: 'OCIRepository',
          metadata: { name: 'gitlab-agent-chart', namespace: fx },
          spec: {
            interval: '10m',
            url,
            ref: { tag: '2.32.0' },
            layerSelector: { mediaType: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip', operation: 'copy' },
          },
        }),
      );
      // helm-controller v2: either spec.chart or spec.chartRef (the CRD's validation rule).
      await kubectl([
        'patch',
        'helmrelease',
        'gitlab-agent',
        '-n',
        fx,
        '--type=json',
        '-p',
        JSON.stringify([
          { op: 'remove', path: '/spec/chart' },
          { op: 'add', path: '/spec/chartRef', value: { kind: 'OCIRepository', name: 'gitlab-agent-chart' } },
        ]),
      ]);
      const message = `failed to determine artifact digest: GET https://registry.example.com/v2/charts/gitlab-agent/manifests/2.32.0: UNAUTHORIZED: authentication required`;
      await writeStatus('ocirepository', 'gitlab-agent-chart', { conditions: [notReady('OCIArtifactPullFailed', message)] }, fx);
      await writeStatus(
        'helmrelease',
        'gitlab-agent',
        { conditions: [notReady('ArtifactFailed', `OCIRepository '${fx}/gitlab-agent-chart' is not ready: ${message}`)] },
        fx,
      );
      const { r, doc } = await doctor();
      expect(r.code, transcript(r)).toBe(1);
      const i = doc.installs[0]!;
      expect(i.rootCause, r.stdout).toEqual({ id: 'FLX-HELMREPO-OCI-FAILED', category: 'flux-source-failed' });
      const f = i.findings.find((x) => x.id === 'FLX-HELMREPO-OCI-FAILED')!;
      expect(f.title).toBe(`OCIRepository/${fx}/gitlab-agent-chart not Ready (${url}:2.32.0)`);
      expect(f.evidence).toEqual([`Ready=False OCIArtifactPullFailed: ${message}`]);
      expect(f.fix).toContain(`flux reconcile source oci gitlab-agent-chart -n ${fx}`);
      // The HelmRelease's own failure is the symptom, not the cause.
      expect(i.findings.find((x) => x.id === 'FLX-HELMRELEASE-FAILED')).toMatchObject({ status: 'fail' });
    });
  });
});
