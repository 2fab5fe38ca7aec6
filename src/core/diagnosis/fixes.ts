import type { Evidence } from './evidence.js';
import type { Category, Finding } from './finding.js';
import { caFileOf, kasAddressOf, tokenVolumeOf } from './deployment-args.js';
import { parseKasUrl, withTrailingSlash } from './kas-address.js';
import { certCovers } from './rules/kas-tls.js';
import { imageTag, recommendedTag } from './versions.js';

/**
 * Mechanical fixes a front end can offer after the report ("fix it"), as typed data. Proposing is pure;
 * applying goes through the install/upgrade code paths, after confirmation. A proposal never carries a
 * token or a certificate: the front end creates the token and asks for the CA file.
 */
export type FixProposal =
  | {
      kind: 'recreate-token-secret';
      namespace: string;
      secretName: string;
      projectPath?: string;
      agentName?: string;
      /** Restart afterwards: the real chart does not roll pods when a config.secretName Secret changes. */
      restartDeployment?: string;
    }
  | { kind: 'restart-pods'; namespace: string; deployment: string }
  | {
      kind: 'upgrade-kas-ca';
      release: string;
      namespace: string;
      /** issuer of the chain's top, to help pick the file */ caIssuer?: string;
      restartDeployment?: string;
    }
  | { kind: 'upgrade-kas-address'; release: string; namespace: string; from: string; to: string }
  | { kind: 'upgrade-image-tag'; release: string; namespace: string; from?: string; to: string }
  | { kind: 'reset-helmrelease'; name: string; namespace: string }
  | { kind: 'rollback-release'; release: string; namespace: string; revision: number };

export type FixKind = FixProposal['kind'];

export const FIX_KINDS: readonly FixKind[] = [
  'recreate-token-secret',
  'restart-pods',
  'upgrade-kas-ca',
  'upgrade-kas-address',
  'upgrade-image-tag',
  'reset-helmrelease',
  'rollback-release',
];

/** Categories whose fix can be mechanical, and how. Others need a person (an admin, a network change). */
export const MECHANICAL: Readonly<Partial<Record<Category, FixKind>>> = {
  'token-secret-missing': 'recreate-token-secret',
  'agent-token-revoked': 'recreate-token-secret',
  'token-rejected': 'recreate-token-secret',
  'kas-tls-untrusted-ca': 'upgrade-kas-ca',
  'kas-address-mismatch': 'upgrade-kas-address',
  'kas-redirect': 'upgrade-kas-address',
  'kas-scheme-mismatch': 'upgrade-kas-address',
  'kas-dns': 'upgrade-kas-address',
  'kas-refused': 'upgrade-kas-address',
  'kas-tls-name-mismatch': 'upgrade-kas-address',
  'version-skew': 'upgrade-image-tag',
  'flux-helmrelease-failed': 'reset-helmrelease',
  'release-failed': 'rollback-release',
};

/** The address to move to: GitLab's advertised one when it differs, else the current one with its trailing slash. */
function addressTarget(finding: Finding, e: Evidence): { from: string; to: string } | undefined {
  const from = kasAddressOf(e.workload?.deployment);
  if (!from) return undefined;
  const mine = parseKasUrl(from);
  const advertised = e.gitlab?.metadata?.kas.externalUrl ?? undefined;
  const theirs = parseKasUrl(advertised);
  if (finding.category === 'kas-tls-name-mismatch') {
    const sans = e.local?.tls?.systemCa.sans ?? [];
    return theirs && mine && theirs.host !== mine.host && certCovers(theirs.host, sans) ? { from, to: theirs.raw } : undefined;
  }
  if (theirs && theirs.raw !== from) {
    // A WebSocket address only missing its slash is fixed by the slash when GitLab advertises another scheme.
    if (finding.category === 'kas-redirect' && mine && theirs.host !== mine.host) return { from, to: withTrailingSlash(mine) };
    return { from, to: theirs.raw };
  }
  if (mine && finding.category === 'kas-redirect' && withTrailingSlash(mine) !== from) return { from, to: withTrailingSlash(mine) };
  return undefined;
}

/**
 * The mechanical fix for one finding, with its parameters from the evidence; undefined when the category
 * has none, the finding is not a failure, or a parameter (release, address, revision) is unknown.
 */
export function proposeFix(finding: Finding, e: Evidence): FixProposal | undefined {
  if (finding.status !== 'fail') return undefined;
  const kind = MECHANICAL[finding.category];
  if (!kind) return undefined;
  const namespace = e.workload?.namespace ?? e.context.namespace;
  const release = e.workload?.release?.name ?? e.context.release;
  const deployment = e.workload?.deployment?.name;
  switch (kind) {
    case 'recreate-token-secret': {
      const secretName = e.workload?.tokenSecret?.name ?? tokenVolumeOf(e.workload?.deployment)?.secretName;
      if (!secretName) return undefined;
      // KAS rejects a token GitLab still lists as active: the pods read an older token; a restart suffices.
      if (finding.category === 'token-rejected' && e.gitlab?.agentToken?.state === 'active' && deployment) {
        return { kind: 'restart-pods', namespace, deployment };
      }
      const p: FixProposal = { kind, namespace, secretName };
      if (e.context.projectPath) p.projectPath = e.context.projectPath;
      if (e.context.agentName) p.agentName = e.context.agentName;
      if (deployment) p.restartDeployment = deployment;
      return p;
    }
    case 'upgrade-kas-ca': {
      if (!release) return undefined;
      const chain = e.local?.tls?.systemCa.chain ?? [];
      const p: FixProposal = { kind, release, namespace };
      const top = chain[chain.length - 1];
      if (top) p.caIssuer = top.issuer;
      if (deployment && caFileOf(e.workload?.deployment)) p.restartDeployment = deployment;
      return p;
    }
    case 'upgrade-kas-address': {
      if (!release) return undefined;
      const t = addressTarget(finding, e);
      return t ? { kind, release, namespace, ...t } : undefined;
    }
    case 'upgrade-image-tag': {
      if (!release) return undefined;
      const to = recommendedTag(e.gitlab?.metadata?.kas.version, e.gitlab?.metadata?.version);
      if (!to) return undefined;
      const image = e.workload?.deployment?.containers.find((c) => /agentk/.test(c.image))?.image;
      const from = image ? imageTag(image) : undefined;
      if (from === to) return undefined;
      return from ? { kind, release, namespace, from, to } : { kind, release, namespace, to };
    }
    case 'reset-helmrelease': {
      const s = finding.subject;
      return s?.kind === 'HelmRelease' && s.namespace ? { kind, name: s.name, namespace: s.namespace } : undefined;
    }
    case 'rollback-release': {
      const r = e.workload?.release;
      if (!r || !r.status.startsWith('pending-') || r.lastGoodRevision === undefined) return undefined;
      return { kind, release: r.name, namespace: r.namespace, revision: r.lastGoodRevision };
    }
    default:
      return undefined;
  }
}

/** One proposal per kind and target, in chain order (the root cause's fix first). */
export function proposeFixes(findings: readonly Finding[], e: Evidence): FixProposal[] {
  const out: FixProposal[] = [];
  const seen = new Set<string>();
  for (const f of findings) {
    const p = proposeFix(f, e);
    if (!p) continue;
    const key = JSON.stringify(p);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(p);
  }
  return out;
}
