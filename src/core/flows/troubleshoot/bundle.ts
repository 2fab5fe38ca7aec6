import { stringify } from 'yaml';
import type { FlowEvent } from '../../kernel/events.js';
import { redact } from '../../kernel/safe-text.js';
import type { ArchiveEntry } from '../../ports/files.js';
import type { KubeObject } from '../../ports/kube/index.js';
import type { ClusterReadings, GitLabReadings } from './readings.js';
import type { TroubleshootResult } from './result.js';
import { maskUrlCredentials } from '../../plan/url-credentials.js';
import { maskKasHeader } from '../../diagnosis/kas-headers.js';

const MASK = '********';

/**
 * Token shapes the run never held (an agent token in a log line, an annotation, a base64 Secret value):
 * GitLab's prefixed tokens (glpat-, glagent-, gldt-, glrt-, …), their base64 forms as a Secret's data
 * holds them, `Bearer …` headers, and the password of a URL (a proxy's credentials).
 */
const TOKEN_SHAPES: readonly [RegExp, string][] = [
  [/\bgl[a-z]{2,6}-[A-Za-z0-9_-]{16,}/g, MASK],
  [/\b(?:Z2xhZ2VudC[0-3]|Z2xwYXQt|Z2xkdC[0-3]|Z2xydC[0-3])[A-Za-z0-9+/]{12,}={0,2}/g, MASK],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, `$1 ${MASK}`],
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^\s/@:]+:)[^\s/@]+@/gi, `$1${MASK}@`],
];

/** An env var or key whose name says it holds a credential: its value is masked whatever it looks like. */
const CREDENTIAL_NAME = /token|password|passwd|secret|api[-_]?key|credential/i;

/** What a bundle may contain of any text: the run's live secrets masked (safe-text's redactor), then every token shape. */
export function redactForBundle(text: string): string {
  let out = redact(text);
  for (const [shape, mask] of TOKEN_SHAPES) out = out.replace(shape, mask);
  return out;
}

/** A container's args or command: each --kas-header value (the header after it, or after `=`) shown by its name only. */
function scrubArgs(args: readonly unknown[]): unknown[] {
  return args.map((a, i) => {
    if (typeof a !== 'string') return scrub(a);
    if (a.startsWith('--kas-header=')) return `--kas-header=${maskKasHeader(a.slice('--kas-header='.length))}`;
    if (args[i - 1] === '--kas-header') return maskKasHeader(a);
    return redactForBundle(a);
  });
}

/**
 * Every string redacted; a `value` beside a credential-like `name` (env vars) masked; agentk's --kas-header
 * values (in args, and the chart's `kasHeaders`) masked; managedFields dropped.
 */
function scrub(value: unknown): unknown {
  if (typeof value === 'string') return redactForBundle(value);
  if (Array.isArray(value)) return scrubArgs(value);
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    const name = typeof o['name'] === 'string' ? o['name'] : '';
    const credential = CREDENTIAL_NAME.test(name);
    // HTTPS_PROXY=user:pass@proxy:3128 needs no scheme, so the URL shape above may not see it.
    const proxy = /proxy/i.test(name);
    const masked = (v: string) => (credential ? MASK : proxy ? maskUrlCredentials(redactForBundle(v)) : redactForBundle(v));
    return Object.fromEntries(
      Object.entries(o)
        .filter(([k]) => k !== 'managedFields')
        .map(([k, v]) => [
          k,
          k === 'value' && typeof v === 'string'
            ? masked(v)
            : k === 'kasHeaders' && Array.isArray(v)
              ? v.map((h) => (typeof h === 'string' ? maskKasHeader(h) : MASK))
              : k === 'kasHeaders' && typeof v === 'string'
                ? MASK
                : scrub(v),
        ]),
    );
  }
  return value;
}

const yamlDocs = (objects: readonly unknown[]): string =>
  objects.length === 0 ? '# none read\n' : objects.map((o) => stringify(scrub(o))).join('---\n');

/** A path part from a pod or container name: no separators, no dots-only names. */
const part = (s: string) => s.replace(/[^A-Za-z0-9_.-]/g, '_').replace(/^\.+$/, '_');

/** One line of the run's own log: what a step did, what the run said. */
export function runLogLine(at: string, event: FlowEvent): string {
  const scope = event.scope ? `[${event.scope.label}] ` : '';
  switch (event.type) {
    case 'step':
      return `${at} ${scope}step ${event.step} ${event.status}: ${event.title}${event.detail ? ` — ${event.detail}` : ''}`;
    case 'info':
    case 'warn':
      return `${at} ${scope}${event.type}: ${event.text}`;
    case 'log':
      return `${at} ${scope}log ${event.source} ${event.stream}: ${event.line}`;
    case 'ledger':
      return `${at} ${scope}ledger: ${event.entry.created ? 'created' : 'reused'} ${event.entry.kind} ${event.entry.id} (${event.entry.description})`;
    default:
      return `${at} ${scope}${event.type}`;
  }
}

export interface BundleInput {
  /** When the bundle was made (ISO). */
  at: string;
  /** The report, exactly as `--output json` prints it (before redaction). */
  result: TroubleshootResult;
  cluster: ClusterReadings;
  gitlab: GitLabReadings | undefined;
  /** runLogLine()s of this run, oldest first. */
  runLog: readonly string[];
}

function images(objects: readonly KubeObject[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const o of objects ?? []) {
    const spec = (o['spec'] ?? {}) as {
      template?: { spec?: { containers?: { name?: string; image?: string }[] } };
      containers?: { name?: string; image?: string }[];
    };
    for (const c of spec.template?.spec?.containers ?? spec.containers ?? [])
      if (c.name && c.image) out[`${o.kind} ${o.metadata.name}/${c.name}`] = c.image;
    const status = (o['status'] ?? {}) as { containerStatuses?: { name?: string; imageID?: string }[] };
    for (const c of status.containerStatuses ?? [])
      if (c.name && c.imageID) out[`${o.kind} ${o.metadata.name}/${c.name} (running)`] = c.imageID;
  }
  return out;
}

/**
 * Pure: the files of a support bundle for one diagnosed install — the findings (the `--output json`
 * document), the objects as YAML (release, Deployment, pods, events, the token Secret's metadata, Flux's
 * objects), agentk's recent and previous logs, the versions, what GitLab answered, and this run's log.
 * Every text goes through redactForBundle; no Secret's value is in the readings to begin with.
 */
export function bundleContents(input: BundleInput): ArchiveEntry[] {
  const { cluster: c, gitlab: g } = input;
  const entry = (name: string, content: string): ArchiveEntry => ({
    name: `gitlab-agent-support/${name}`,
    content: redactForBundle(content),
  });
  const install = input.result.installs[0];
  const flux = c.flux;
  const logs = (c.logs ?? []).map((chunk) =>
    entry(
      `logs/${part(chunk.pod)}/${part(chunk.container)}${chunk.previous ? '.previous' : ''}.log`,
      chunk.lines.length === 0 ? '' : `${chunk.lines.join('\n')}\n`,
    ),
  );
  const versions = {
    gitlab: g?.metadata?.version ?? null,
    kas: g?.metadata?.kas.version ?? null,
    kasExternalUrl: g?.metadata?.kas.externalUrl ?? null,
    chart: c.release?.chart ?? null,
    appVersion: c.release?.appVersion ?? null,
    releaseRevision: c.release?.revision ?? null,
    images: images([...(c.deployment ? [c.deployment] : []), ...(c.pods ?? []), ...(flux?.controllers ?? [])]),
    fluxApis: flux?.served ?? null,
  };
  const gitlab = g
    ? {
        url: g.url,
        unreachable: g.unreachable ?? null,
        user: g.user ?? null,
        metadata: g.metadata ?? null,
        metadataError: g.metadataError ?? null,
        agent: g.agent ?? null,
        agentToken: g.agentToken ?? null,
        configFile: g.configFile ?? null,
      }
    : null;
  const readme = [
    'Support bundle of gitlab-agent-tui troubleshoot',
    `made ${input.at} · context ${input.result.context}${install ? ` · ${install.namespace}/${install.release ?? install.agent ?? '?'}` : ''}`,
    install?.rootCause
      ? `root cause: ${install.rootCause.category} (${install.rootCause.id})`
      : `category: ${install?.category ?? 'unknown'}`,
    '',
    'findings.json        the report, as `troubleshoot --output json` prints it',
    'objects/*.yaml       the helm release and history, Deployment, pods, events, the token Secret (metadata only), Flux objects',
    "logs/<pod>/*.log     agentk's newest lines, and the previous container's (.previous.log)",
    'versions.json        GitLab, KAS, chart and image versions',
    'gitlab.yaml          what GitLab answered (no token)',
    "run.log              this run's own log",
    '',
    "Every token and Secret value is masked as ********; the token Secret's value was never read.",
    '',
  ].join('\n');
  return [
    entry('README.txt', readme),
    entry('findings.json', `${JSON.stringify(scrub(input.result), null, 2)}\n`),
    entry(
      'objects/release.yaml',
      c.release === undefined ? '# not read\n' : stringify(scrub({ release: c.release, history: c.history ?? null })),
    ),
    entry(
      'objects/deployment.yaml',
      c.deployment ? yamlDocs([c.deployment]) : c.deployment === null ? '# no such Deployment\n' : '# not read\n',
    ),
    entry('objects/pods.yaml', yamlDocs(c.pods ?? [])),
    entry('objects/events.yaml', yamlDocs(c.events ?? [])),
    entry(
      'objects/token-secret.yaml',
      c.tokenSecret
        ? stringify(scrub({ ...c.tokenSecret, note: 'metadata only: the value is never read' }))
        : c.tokenSecret === null
          ? '# the token Secret does not exist\n'
          : '# not read\n',
    ),
    entry(
      'objects/flux.yaml',
      flux
        ? yamlDocs([
            ...(flux.controllers ?? []),
            ...flux.gitRepositories,
            ...flux.kustomizations,
            ...flux.helmRepositories,
            ...flux.helmCharts,
            ...flux.ociRepositories,
            ...flux.buckets,
            ...flux.helmReleases,
          ])
        : '# Flux not read\n',
    ),
    ...logs,
    entry('versions.json', `${JSON.stringify(scrub(versions), null, 2)}\n`),
    entry('gitlab.yaml', gitlab ? stringify(scrub(gitlab)) : '# GitLab not asked\n'),
    entry('run.log', input.runLog.length === 0 ? '' : `${input.runLog.join('\n')}\n`),
  ];
}
