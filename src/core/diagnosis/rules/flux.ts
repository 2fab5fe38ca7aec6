import type { Check } from '../check.js';
import { DOCS } from '../docs.js';
import type { Condition, Evidence, FluxEvidence, FluxObjectBase, HelmReleaseEvidence, KustomizationEvidence } from '../evidence.js';
import type { Finding } from '../finding.js';
import { defineCheck, notApplicable, ok, problem } from '../make.js';
import { fill } from '../placeholders.js';

/**
 * Flux side, in the order Flux itself works: GitRepository → Kustomization → HelmRepository/HelmChart →
 * HelmRelease. Conditions count only for the current generation (flux2 cmd/flux/readiness.go): a Ready
 * condition whose observedGeneration lags metadata.generation is a previous attempt, reported as a warning.
 */

export interface ReadyState {
  ready?: Condition;
  stalled?: Condition;
  /** the controller has not reconciled the current generation yet */
  stale: boolean;
}

export function readyState(o: FluxObjectBase): ReadyState {
  const ready = o.conditions.find((c) => c.type === 'Ready');
  const stalled = o.conditions.find((c) => c.type === 'Stalled' && c.status === 'True');
  const observed = ready?.observedGeneration ?? o.observedGeneration;
  const stale = o.generation !== undefined && (observed === undefined || observed < 1 || observed !== o.generation);
  const s: ReadyState = { stale };
  if (ready) s.ready = ready;
  if (stalled) s.stalled = stalled;
  return s;
}

/** "Ready=False reason: message", verbatim. */
export function conditionText(c: Condition): string {
  return `${c.type}=${c.status}${c.reason ? ` ${c.reason}` : ''}${c.message ? `: ${c.message}` : ''}`;
}

const ref = (kind: string, o: FluxObjectBase) => `${kind}/${o.namespace}/${o.name}`;

/** Repository-relative directory, without "./" and trailing slashes: "./clusters/prod/" → "clusters/prod", "./" → "". */
export function normPath(p: string): string {
  return p
    .replace(/^\.?\/+/, '')
    .replace(/^\.$/, '')
    .replace(/\/+$/, '')
    .replace(/^\.\//, '');
}

function dirOf(file: string): string {
  const n = normPath(file);
  const i = n.lastIndexOf('/');
  return i < 0 ? '' : n.slice(0, i);
}

function under(dir: string, root: string): boolean {
  return root === '' || dir === root || dir.startsWith(`${root}/`);
}

/** The message Flux writes when a generated kustomization.yaml picks up .gitlab/agents/<agent>/config.yaml. */
export const AGENT_CONFIG_DECODE = /failed to decode Kubernetes YAML from (\S*?\.gitlab\/agents\/([^/\s]+)\/config\.ya?ml)/;

function notFlux(e: Evidence): string | undefined {
  if (!e.flux) return 'Flux objects were not read';
  if (!e.flux.managed) return 'the install is not Flux-managed';
  return undefined;
}

export const flxInstalled = defineCheck({
  id: 'FLX-INSTALLED',
  layer: 'flux',
  title: 'Flux installed and running',
  dependsOn: [],
  fatal: true,
  run(e, self) {
    const why = notFlux(e);
    if (why) return [notApplicable(self, why)];
    const f = e.flux as FluxEvidence;
    if (!f.installed) {
      return [
        problem(self, {
          suffix: 'MISSING',
          status: 'fail',
          category: 'flux-not-installed',
          title: 'Flux is not installed in the cluster',
          evidence: ['no Flux CRDs (kustomizations.kustomize.toolkit.fluxcd.io, helmreleases.helm.toolkit.fluxcd.io) are served'],
          cause: 'The agent is meant to be deployed by Flux, but Flux is not installed, so nothing applies its HelmRelease.',
          fix: 'flux bootstrap gitlab --owner <group> --repository <project> --path <flux-path>, then glab cluster agent bootstrap <agent> --manifest-path <flux-path>',
          docsUrl: DOCS.fluxInstall,
        }),
      ];
    }
    const down = (f.controllers ?? []).filter((c) => !c.ready);
    if (down.length) {
      return [
        problem(self, {
          suffix: 'NOT-READY',
          status: 'fail',
          category: 'flux-not-installed',
          title: `Flux controllers not ready: ${down.map((c) => c.name).join(', ')}`,
          evidence: down.map((c) => `Deployment ${c.name}${c.image ? ` (${c.image})` : ''} is not ready`),
          cause: 'Flux controllers are not running, so Flux reconciles nothing.',
          fix: 'flux check; kubectl -n flux-system get pods',
          docsUrl: DOCS.fluxInstall,
        }),
      ];
    }
    return [
      ok(
        self,
        (f.controllers ?? []).map((c) => `${c.name} ready`),
      ),
    ];
  },
});

/** Objects of a kind: the ones the evidence holds (the adapter collects those on the agent's path). */
function suspendedFinding(self: Pick<Check, 'id' | 'layer'>, kind: string, o: FluxObjectBase, e: Evidence): Finding {
  const cmd = kind === 'HelmRelease' ? 'helmrelease' : kind === 'Kustomization' ? 'kustomization' : 'source git';
  return problem(self, {
    suffix: 'SUSPENDED',
    status: 'warn',
    category: 'flux-suspended',
    title: `${ref(kind, o)} is suspended`,
    evidence: ['spec.suspend: true'],
    cause: `Flux does not reconcile ${ref(kind, o)} while it is suspended, so changes to the agent are not applied.`,
    fix: fill(`flux resume ${cmd} ${o.name} -n ${o.namespace}`, e.context),
    docsUrl: kind === 'HelmRelease' ? DOCS.fluxHelmRelease : DOCS.fluxKustomization,
    subject: { kind, name: o.name, namespace: o.namespace },
  });
}

function staleFinding(
  self: Pick<Check, 'id' | 'layer'>,
  kind: string,
  o: FluxObjectBase,
  st: ReadyState,
  category: Finding['category'],
): Finding {
  return problem(self, {
    suffix: 'NOT-RECONCILED',
    status: 'warn',
    category,
    title: `${ref(kind, o)} has not reconciled generation ${o.generation ?? '?'} yet`,
    evidence: [
      `metadata.generation ${o.generation ?? '?'}, observed ${st.ready?.observedGeneration ?? o.observedGeneration ?? 'never'}`,
      ...(st.ready ? [`previous attempt: ${conditionText(st.ready)}`] : []),
    ],
    cause: 'The controller has not processed the current spec, so its conditions describe an older spec (or the controller is down).',
    fix: `flux reconcile ${kind === 'GitRepository' ? 'source git' : kind === 'HelmRepository' ? 'source helm' : kind === 'HelmChart' ? 'source chart' : kind.toLowerCase()} ${o.name} -n ${o.namespace}`,
    docsUrl: DOCS.fluxKustomization,
    subject: { kind, name: o.name, namespace: o.namespace },
  });
}

export const flxGitRepository = defineCheck({
  id: 'FLX-GITREPO',
  layer: 'flux',
  title: 'GitRepository fetched',
  dependsOn: ['FLX-INSTALLED'],
  fatal: false,
  run(e, self) {
    const why = notFlux(e);
    if (why) return [notApplicable(self, why)];
    const f = e.flux as FluxEvidence;
    if (!f.gitRepositories.length) return [notApplicable(self, 'no GitRepository feeds the agent')];
    const out: Finding[] = [];
    for (const g of f.gitRepositories) {
      const subject = { kind: 'GitRepository', name: g.name, namespace: g.namespace };
      if (g.suspend) out.push(suspendedFinding(self, 'GitRepository', g, e));
      const st = readyState(g);
      if (st.ready?.status === 'False' || st.stalled) {
        const c = st.ready ?? (st.stalled as Condition);
        const auth =
          /AuthenticationFailed/.test(c.reason ?? '') ||
          /unable to authenticate|authentication required|authorization failed|permission denied|could not read Username|invalid credentials/i.test(
            c.message ?? '',
          );
        out.push(
          problem(self, {
            suffix: 'FAILED',
            status: st.stale ? 'warn' : 'fail',
            category: 'flux-source-failed',
            title: `${ref('GitRepository', g)} cannot fetch ${g.url ?? 'its repository'}`,
            evidence: [conditionText(c), ...(st.stalled && st.ready ? [conditionText(st.stalled)] : [])],
            cause: auth
              ? "Flux cannot authenticate to the Git repository (the deploy key or token in the GitRepository's secretRef is wrong or revoked)."
              : 'Flux cannot fetch the Git repository, so no new commit (including the agent manifests) reaches the cluster.',
            fix: auth
              ? `Renew the credentials in the Secret named by spec.secretRef of ${ref('GitRepository', g)}, then flux reconcile source git ${g.name} -n ${g.namespace}`
              : `flux reconcile source git ${g.name} -n ${g.namespace}; flux events --for GitRepository/${g.name} -n ${g.namespace}`,
            docsUrl: DOCS.fluxGitRepository,
            subject,
          }),
        );
      } else if (st.stale) {
        out.push(staleFinding(self, 'GitRepository', g, st, 'flux-source-failed'));
      }
      const branch = f.manifest?.branch;
      const tracked = g.ref?.branch;
      if (branch && tracked && branch !== tracked) {
        out.push(
          problem(self, {
            suffix: 'BRANCH',
            status: 'fail',
            category: 'flux-path-mismatch',
            title: `Flux tracks branch ${tracked}, the agent manifests are on ${branch}`,
            evidence: [`spec.ref.branch: ${tracked}`, `agent manifest branch: ${branch}`],
            cause: `glab committed the agent manifests to ${branch}, but ${ref('GitRepository', g)} follows ${tracked}, so Flux never sees them.`,
            fix: `Re-run glab cluster agent bootstrap <agent> --manifest-branch ${tracked} --manifest-path <flux-path>, or merge ${branch} into ${tracked}`,
            docsUrl: DOCS.reconcileError,
            subject,
          }),
        );
      }
    }
    return out.length
      ? out
      : [
          ok(
            self,
            f.gitRepositories.map((g) => `${ref('GitRepository', g)}: ${g.artifactRevision ?? 'Ready'}`),
          ),
        ];
  },
});

export const flxKustomization = defineCheck({
  id: 'FLX-KUSTOMIZATION',
  layer: 'flux',
  title: 'Kustomization applies the agent manifests',
  dependsOn: ['FLX-INSTALLED', 'FLX-GITREPO'],
  fatal: false,
  run(e, self) {
    const why = notFlux(e);
    if (why) return [notApplicable(self, why)];
    const f = e.flux as FluxEvidence;
    if (!f.kustomizations.length) return [notApplicable(self, 'no Kustomization was found')];
    const out: Finding[] = [];
    const sourceFailed = f.gitRepositories.some((g) => readyState(g).ready?.status === 'False');
    for (const k of f.kustomizations) {
      const subject = { kind: 'Kustomization', name: k.name, namespace: k.namespace };
      if (k.suspend) out.push(suspendedFinding(self, 'Kustomization', k, e));
      const st = readyState(k);
      const c = st.ready;
      if (c?.status === 'False') {
        out.push(kustomizationFailure(self, k, c, st.stale, sourceFailed, e));
      } else if (st.stale) {
        out.push(staleFinding(self, 'Kustomization', k, st, 'flux-kustomization-failed'));
      }
      // Repository root without kustomization.yaml, predicted before Flux fails (e.g. not yet reconciled).
      const files = f.manifest?.kustomizationFiles;
      if (
        normPath(k.path) === '' &&
        files &&
        !files.some((p) => /^kustomization\.ya?ml$|^Kustomization$/.test(normPath(p))) &&
        c?.status !== 'True' &&
        !out.some((x) => x.category === 'flux-root-without-kustomization')
      ) {
        out.push(
          problem(self, {
            suffix: 'ROOT',
            status: 'warn',
            category: 'flux-root-without-kustomization',
            title: `${ref('Kustomization', k)} builds the repository root, which has no kustomization.yaml`,
            evidence: [`spec.path: ${k.path || './'}`, 'no kustomization.yaml at the repository root'],
            cause:
              'Flux will generate a kustomization.yaml for every YAML file in the repository, including .gitlab/agents/<agent>/config.yaml, which is not a Kubernetes manifest.',
            fix: fill(
              'Point Flux at a subdirectory: flux bootstrap gitlab … --path <flux-path>, and glab cluster agent bootstrap <agent> --manifest-path <flux-path>',
              e.context,
            ),
            docsUrl: DOCS.reconcileError,
            subject,
          }),
        );
      }
    }
    // Is the agent's HelmRelease manifest inside a Kustomization's path?
    const m = f.manifest;
    if (m) {
      const dir = dirOf(m.file);
      const covering = f.kustomizations.filter((k) => under(dir, normPath(k.path)));
      if (!covering.length) {
        out.push(
          problem(self, {
            suffix: 'PATH',
            status: 'fail',
            category: 'flux-path-mismatch',
            title: `The agent manifest ${m.file} is outside every Flux path`,
            evidence: [
              `agent manifest: ${m.file}`,
              ...f.kustomizations.map((k) => `${ref('Kustomization', k)} spec.path: ${k.path || './'}`),
            ],
            cause:
              'glab wrote the HelmRelease where no Kustomization looks (flux bootstrap --path differs from glab --manifest-path), so Flux never creates it.',
            fix: fill(
              `glab cluster agent bootstrap <agent> --manifest-path ${normPath(f.kustomizations[0]?.path ?? '') || '<flux-path>'}`,
              e.context,
            ),
            docsUrl: DOCS.reconcileError,
          }),
        );
      } else if (m.resourcesAtPath) {
        const k = covering[0] as KustomizationEvidence;
        const root = normPath(k.path);
        const rel = root === '' ? normPath(m.file) : normPath(m.file).slice(root.length + 1);
        const firstSegment = rel.split('/')[0] ?? rel;
        const listed = m.resourcesAtPath.map(normPath).some((r) => r === rel || r === firstSegment);
        if (!listed) {
          out.push(
            problem(self, {
              suffix: 'NOT-LISTED',
              status: 'fail',
              category: 'flux-path-mismatch',
              title: `kustomization.yaml in ${root || 'the repository root'} does not list ${rel}`,
              evidence: [`resources: ${m.resourcesAtPath.join(', ') || '(none)'}`, `agent manifest: ${m.file}`],
              cause:
                "A hand-written kustomization.yaml disables Flux's generated one, and it does not reference the agent manifests, so they are ignored.",
              fix: `Add ${rel} (and gitlab-helm-repository.yaml) to resources: in ${root ? `${root}/` : ''}kustomization.yaml`,
              docsUrl: DOCS.fluxKustomizationGenerate,
              subject: { kind: 'Kustomization', name: k.name, namespace: k.namespace },
            }),
          );
        }
      }
    }
    return out.length
      ? out
      : [
          ok(
            self,
            f.kustomizations.map((k) => `${ref('Kustomization', k)}: Ready (${k.lastAppliedRevision ?? 'applied'})`),
          ),
        ];
  },
});

function kustomizationFailure(
  self: Pick<Check, 'id' | 'layer'>,
  k: KustomizationEvidence,
  c: Condition,
  stale: boolean,
  sourceFailed: boolean,
  e: Evidence,
): Finding {
  const subject = { kind: 'Kustomization', name: k.name, namespace: k.namespace };
  const msg = c.message ?? '';
  const status = stale ? 'warn' : 'fail';
  const evidence = [conditionText(c), `spec.path: ${k.path || './'}`];
  const root = AGENT_CONFIG_DECODE.exec(msg);
  if (root) {
    return problem(self, {
      suffix: 'ROOT',
      status,
      category: 'flux-root-without-kustomization',
      title: `Flux chokes on the agent config file ${root[2] ? `.gitlab/agents/${root[2]}/config.yaml` : ''}`.trim(),
      evidence,
      cause: `${ref('Kustomization', k)} builds a directory without kustomization.yaml, so Flux treats every YAML file as a manifest, including the agent config file, which is not one; the whole build fails and nothing new is applied.`,
      fix: fill(
        'Point Flux at a subdirectory (flux bootstrap gitlab … --path <flux-path>, glab cluster agent bootstrap <agent> --manifest-path <flux-path>), or add .gitlab/ to a .sourceignore file',
        e.context,
        {
          agent: root[2] ?? e.context.agentName,
        },
      ),
      docsUrl: DOCS.reconcileError,
      subject,
    });
  }
  if (/kustomization path not found/.test(msg)) {
    return problem(self, {
      suffix: 'PATH-NOT-FOUND',
      status,
      category: 'flux-path-mismatch',
      title: `${ref('Kustomization', k)} points at a path that does not exist`,
      evidence,
      cause: "spec.path does not exist in the fetched revision, so Flux applies nothing (and never sees the agent's HelmRelease).",
      fix: fill(
        'Create the directory <flux-path> with the agent manifests (glab cluster agent bootstrap <agent> --manifest-path <flux-path>), or correct spec.path',
        e.context,
      ),
      docsUrl: DOCS.fluxKustomization,
      subject,
    });
  }
  const dependency = c.reason === 'DependencyNotReady';
  // A health check waits for what the Kustomization applied (the agent's HelmRelease): a consequence, not a cause.
  const health = c.reason === 'HealthCheckFailed' || /health check failed/.test(msg);
  const artifact = c.reason === 'ArtifactFailed';
  return problem(self, {
    suffix: 'FAILED',
    status,
    category: 'flux-kustomization-failed',
    title: `${ref('Kustomization', k)} fails (${c.reason ?? 'not Ready'})`,
    evidence,
    cause: health
      ? 'The Kustomization applied its objects, but they did not become ready in time: the HelmRelease and workload findings say why.'
      : dependency
        ? 'The Kustomization waits for a dependency (spec.dependsOn) that is not Ready.'
        : artifact
          ? 'Flux has no artifact of the source to build from.'
          : 'Flux cannot build or apply this Kustomization, so the agent manifests in it are not applied.',
    fix: `flux reconcile kustomization ${k.name} -n ${k.namespace} --with-source; flux events --for Kustomization/${k.name} -n ${k.namespace}`,
    docsUrl: DOCS.fluxKustomization,
    subject,
    symptom: health || dependency || (artifact && sourceFailed),
  });
}

/** How each chart source is named in a finding: its id suffix, its `flux reconcile source` kind, its docs. */
const CHART_SOURCE = {
  HelmRepository: { suffix: 'FAILED', flux: 'helm', docs: DOCS.fluxHelmRepository },
  HelmChart: { suffix: 'CHART-FAILED', flux: 'chart', docs: DOCS.fluxHelmChart },
  OCIRepository: { suffix: 'OCI-FAILED', flux: 'oci', docs: DOCS.fluxOciRepository },
  Bucket: { suffix: 'BUCKET-FAILED', flux: 'bucket', docs: DOCS.fluxBucket },
} as const;

const SOURCE_CAUSE: Record<keyof typeof CHART_SOURCE, string> = {
  HelmRepository:
    'source-controller cannot download the chart index (the repository URL is unreachable from the cluster, or needs credentials or a proxy).',
  HelmChart: 'source-controller cannot fetch the chart, so the HelmRelease cannot install it.',
  OCIRepository:
    "source-controller cannot pull the chart's OCI artifact (the registry is unreachable from the cluster, the tag does not exist, or it needs credentials or a proxy), so the HelmRelease has no chart to install.",
  Bucket:
    'source-controller cannot download the chart from the bucket (the endpoint is unreachable, or it needs credentials), so the HelmRelease has no chart to install.',
};

export const flxHelmRepository = defineCheck({
  id: 'FLX-HELMREPO',
  layer: 'flux',
  title: "The chart's source (HelmRepository, HelmChart, OCIRepository, Bucket) ready",
  dependsOn: ['FLX-INSTALLED'],
  fatal: false,
  run(e, self) {
    const why = notFlux(e);
    if (why) return [notApplicable(self, why)];
    const f = e.flux as FluxEvidence;
    const objects: { kind: keyof typeof CHART_SOURCE; o: FluxObjectBase; url?: string }[] = [
      ...f.helmRepositories.map((o) => ({ kind: 'HelmRepository' as const, o, ...(o.url ? { url: o.url } : {}) })),
      ...f.helmCharts.map((o) => ({ kind: 'HelmChart' as const, o, url: `${o.chart}${o.version ? `@${o.version}` : ''}` })),
      ...f.ociRepositories.map((o) => {
        const tag = o.ref?.digest ?? o.ref?.tag ?? o.ref?.semver;
        return { kind: 'OCIRepository' as const, o, ...(o.url ? { url: `${o.url}${tag ? `:${tag}` : ''}` } : {}) };
      }),
      ...f.buckets.map((o) => ({
        kind: 'Bucket' as const,
        o,
        ...(o.endpoint ? { url: `${o.endpoint}${o.bucketName ? `/${o.bucketName}` : ''}` } : {}),
      })),
    ];
    if (!objects.length) return [notApplicable(self, 'no HelmRepository, HelmChart, OCIRepository or Bucket of the chart was found')];
    const out: Finding[] = [];
    for (const { kind, o, url } of objects) {
      const st = readyState(o);
      const subject = { kind, name: o.name, namespace: o.namespace };
      const named = CHART_SOURCE[kind];
      if (st.ready?.status === 'False' || st.stalled) {
        const c = st.ready ?? (st.stalled as Condition);
        const version =
          kind === 'HelmChart' &&
          /no '.*' chart with version matching|invalid chart reference|no chart version found/.test(c.message ?? '');
        out.push(
          problem(self, {
            suffix: named.suffix,
            status: st.stale ? 'warn' : 'fail',
            category: 'flux-source-failed',
            title: `${ref(kind, o)} not Ready${url ? ` (${url})` : ''}`,
            evidence: [conditionText(c)],
            cause: version ? 'The chart version the HelmRelease asks for does not exist in the repository.' : SOURCE_CAUSE[kind],
            fix: version
              ? 'Set spec.chart.spec.version of the HelmRelease to a version from helm search repo gitlab/gitlab-agent --versions'
              : `flux reconcile source ${named.flux} ${o.name} -n ${o.namespace}; kubectl -n flux-system logs deploy/source-controller`,
            docsUrl: named.docs,
            subject,
          }),
        );
      } else if (st.stale && st.ready) {
        out.push(staleFinding(self, kind, o, st, 'flux-source-failed'));
      }
    }
    return out.length
      ? out
      : [
          ok(
            self,
            objects.map(({ kind, o }) => `${ref(kind, o)}: Ready`),
          ),
        ];
  },
});

const TIMEOUT =
  /context deadline exceeded|timed out waiting for the condition|timeout waiting for|failed early due to stalled resources|exceeded its progress deadline/;

function agentHelmRelease(f: FluxEvidence): HelmReleaseEvidence | undefined {
  const want = f.expectedHelmRelease;
  if (want) return f.helmReleases.find((h) => h.name === want.name && h.namespace === want.namespace);
  return f.helmReleases.find((h) => h.chart === 'gitlab-agent') ?? f.helmReleases[0];
}

export const flxHelmRelease = defineCheck({
  id: 'FLX-HELMRELEASE',
  layer: 'flux',
  title: "The agent's HelmRelease is Ready",
  dependsOn: ['FLX-INSTALLED', 'FLX-KUSTOMIZATION', 'FLX-HELMREPO'],
  fatal: false,
  run(e, self) {
    const why = notFlux(e);
    if (why) return [notApplicable(self, why)];
    const f = e.flux as FluxEvidence;
    const hr = agentHelmRelease(f);
    if (!hr) {
      const want = f.expectedHelmRelease ?? { name: 'gitlab-agent', namespace: 'flux-system' };
      const kustomizationFailed =
        f.kustomizations.some((k) => readyState(k).ready?.status === 'False') ||
        f.gitRepositories.some((g) => readyState(g).ready?.status === 'False');
      return [
        problem(self, {
          suffix: 'MISSING',
          status: 'fail',
          category: 'flux-path-mismatch',
          title: `HelmRelease ${want.namespace}/${want.name} does not exist`,
          evidence: [`HelmRelease object '${want.name}' not found in "${want.namespace}" namespace`],
          cause:
            'No Kustomization created the agent\'s HelmRelease: its manifest is not under a Flux path (or the build failed), which glab reports as "failed to reconcile the GitLab Agent".',
          fix: fill('glab cluster agent bootstrap <agent> --manifest-path <flux-path> (the same path as flux bootstrap --path)', e.context),
          docsUrl: DOCS.reconcileError,
          subject: { kind: 'HelmRelease', name: want.name, namespace: want.namespace },
          symptom: kustomizationFailed,
        }),
      ];
    }
    const subject = { kind: 'HelmRelease', name: hr.name, namespace: hr.namespace };
    const out: Finding[] = [];
    if (hr.suspend) out.push(suspendedFinding(self, 'HelmRelease', hr, e));
    const st = readyState(hr);
    const c = st.ready;
    if (c?.status === 'False' || st.stalled) {
      const cond = c ?? (st.stalled as Condition);
      const msg = `${cond.message ?? ''} ${st.stalled?.message ?? ''}`;
      const timeout = TIMEOUT.test(msg);
      const artifact = cond.reason === 'ArtifactFailed' || /(?:HelmChart|OCIRepository|GitRepository|Bucket) '.*' is not ready/.test(msg);
      const stalled = st.stalled !== undefined;
      const evidence = [conditionText(cond), ...(st.stalled && st.stalled !== cond ? [conditionText(st.stalled)] : [])];
      if (hr.installFailures || hr.upgradeFailures)
        evidence.push(`installFailures: ${hr.installFailures ?? 0}, upgradeFailures: ${hr.upgradeFailures ?? 0}`);
      const reset = `flux reconcile helmrelease ${hr.name} -n ${hr.namespace} --reset --force`;
      out.push(
        problem(self, {
          suffix: stalled ? 'STALLED' : 'FAILED',
          status: st.stale ? 'warn' : 'fail',
          category: 'flux-helmrelease-failed',
          title: `HelmRelease ${hr.namespace}/${hr.name} is not Ready (${cond.reason ?? 'failed'})`,
          evidence,
          cause: timeout
            ? 'helm-controller gave up waiting for the agent pods to become ready: the workload findings say why.'
            : artifact
              ? "helm-controller has no chart to install: the chart's source (HelmChart, HelmRepository, OCIRepository, GitRepository or Bucket) is not Ready."
              : stalled
                ? 'The HelmRelease ran out of install/upgrade retries, so Flux stopped trying until it is reset.'
                : 'helm-controller cannot install or upgrade the agent release.',
          fix:
            stalled || timeout ? `Fix the cause, then ${reset}` : `flux reconcile helmrelease ${hr.name} -n ${hr.namespace} --with-source`,
          docsUrl: DOCS.fluxHelmRelease,
          subject,
          symptom: timeout || artifact,
        }),
      );
    } else if (st.stale) {
      out.push(staleFinding(self, 'HelmRelease', hr, st, 'flux-helmrelease-failed'));
    }
    return out.length ? out : [ok(self, [`HelmRelease ${hr.namespace}/${hr.name}: ${c ? conditionText(c) : 'no Ready condition yet'}`])];
  },
});

export const FLUX_CHECKS = [flxInstalled, flxGitRepository, flxKustomization, flxHelmRepository, flxHelmRelease];
