import type { Problem } from '../options/option.js';

/**
 * The chart options people need beyond the basics (issue 10 §6): capacity, placement, pull secrets,
 * pod metadata and KAS connection extras. Parsed and checked here, purely, before any network call.
 */

type TaintEffect = 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
const EFFECTS: readonly TaintEffect[] = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

export interface Toleration {
  key: string;
  operator: 'Equal' | 'Exists';
  value?: string;
  effect: TaintEffect;
}

/** `cpu` / `memory` (and `ephemeral-storage`) as Kubernetes quantities, e.g. `{ cpu: '100m', memory: '128Mi' }`. */
export type ResourceList = Partial<Record<'cpu' | 'memory' | 'ephemeral-storage', string>>;

export interface AdvancedSettings {
  /** Chart default 2 when absent. */
  replicas?: number;
  requests?: ResourceList;
  limits?: ResourceList;
  nodeSelector: Record<string, string>;
  tolerations: Toleration[];
  priorityClassName?: string;
  imagePullSecrets: string[];
  podLabels: Record<string, string>;
  podAnnotations: Record<string, string>;
  /** "Name: value" each, as agentk's --kas-header takes them. */
  kasHeaders: string[];
  kasTlsServerName?: string;
}

/** The chart's default replica count (real-chart.md §2). */
export const CHART_REPLICAS = 2;

const QUANTITY = /^[+]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+|[numkMGTPE]|Ki|Mi|Gi|Ti|Pi|Ei)?$/;
const NAME_PART = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** The chart's selector labels: a pod label may not override them, or the Deployment loses its pods. */
const SELECTOR_LABELS = new Set(['app.kubernetes.io/name', 'app.kubernetes.io/instance']);

export function replicasProblem(v: string): Problem | undefined {
  return /^\d+$/.test(v) && Number(v) <= 100
    ? undefined
    : { message: `"${v}" is not a replica count`, fix: 'pass a whole number, e.g. 2 (the chart default)' };
}

function quantityProblem(v: string): string | undefined {
  return QUANTITY.test(v) ? undefined : `"${v}" is not a Kubernetes quantity`;
}

/** `cpu=100m,memory=128Mi` → `{ cpu: '100m', memory: '128Mi' }`; the problem of the first bad part otherwise. */
function parseResources(v: string): { list: ResourceList } | { problem: Problem } {
  const fix = 'e.g. cpu=100m,memory=128Mi';
  const list: ResourceList = {};
  const parts = v
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (parts.length === 0) return { problem: { message: 'is empty', fix } };
  for (const part of parts) {
    const eq = part.indexOf('=');
    const name = eq < 0 ? part : part.slice(0, eq).trim();
    const quantity = eq < 0 ? '' : part.slice(eq + 1).trim();
    if (name !== 'cpu' && name !== 'memory' && name !== 'ephemeral-storage')
      return { problem: { message: `"${name}" is not a resource (cpu, memory or ephemeral-storage)`, fix } };
    const bad = quantityProblem(quantity);
    if (bad)
      return { problem: { message: `${name}: ${bad}`, fix: `a quantity such as ${name === 'cpu' ? '100m or 0.5' : '128Mi or 1Gi'}` } };
    list[name] = quantity;
  }
  return { list };
}

export function resourcesProblem(v: string): Problem | undefined {
  const r = parseResources(v);
  return 'problem' in r ? r.problem : undefined;
}

/** A label or annotation key: an optional DNS-subdomain prefix and a name of at most 63 characters. */
function keyProblem(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (prefix !== undefined && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix)))
    return `"${key}": the prefix before "/" must be a DNS subdomain`;
  if (name.length === 0 || name.length > 63 || !NAME_PART.test(name))
    return `"${key}" is not a valid key (at most 63 letters, digits, "-", "_" or ".", alphanumeric at both ends)`;
  return undefined;
}

function labelValueProblem(value: string): string | undefined {
  return value === '' || (value.length <= 63 && NAME_PART.test(value))
    ? undefined
    : `"${value}" is not a valid label value (at most 63 letters, digits, "-", "_" or ".")`;
}

function splitKeyValue(v: string): [string, string] {
  const eq = v.indexOf('=');
  return eq < 0 ? [v, ''] : [v.slice(0, eq), v.slice(eq + 1)];
}

function pairProblem(v: string, kind: 'label' | 'annotation', fix: string): Problem | undefined {
  if (!v.includes('=')) return { message: `"${v}" is not key=value`, fix };
  const [key, value] = splitKeyValue(v);
  const bad = keyProblem(key) ?? (kind === 'label' ? labelValueProblem(value) : undefined);
  return bad ? { message: bad, fix } : undefined;
}

export const nodeSelectorProblem = (v: string) => pairProblem(v, 'label', 'e.g. kubernetes.io/os=linux');
export const podAnnotationProblem = (v: string) => pairProblem(v, 'annotation', 'e.g. example.com/owner=platform');
export function podLabelProblem(v: string): Problem | undefined {
  const fix = 'e.g. team=platform';
  const bad = pairProblem(v, 'label', fix);
  if (bad) return bad;
  const [key] = splitKeyValue(v);
  return SELECTOR_LABELS.has(key)
    ? { message: `${key} is the chart's selector label`, fix: 'choose another key (changing it would orphan the pods)' }
    : undefined;
}

/** kubectl taint syntax: `key[=value]:Effect`. */
export function parseToleration(v: string): Toleration | Problem {
  const fix = 'e.g. dedicated=agents:NoSchedule or dedicated:NoExecute';
  const colon = v.lastIndexOf(':');
  if (colon < 0) return { message: `"${v}" has no effect`, fix };
  const effect = v.slice(colon + 1);
  if (!EFFECTS.includes(effect as TaintEffect))
    return { message: `"${effect}" is not a taint effect (NoSchedule, PreferNoSchedule or NoExecute)`, fix };
  const [key, value] = splitKeyValue(v.slice(0, colon));
  const bad = keyProblem(key) ?? labelValueProblem(value);
  if (bad) return { message: bad, fix };
  return v.slice(0, colon).includes('=')
    ? { key, operator: 'Equal', value, effect: effect as TaintEffect }
    : { key, operator: 'Exists', effect: effect as TaintEffect };
}

export function tolerationProblem(v: string): Problem | undefined {
  const t = parseToleration(v);
  return 'message' in t ? t : undefined;
}

export function dnsNameProblem(what: string, fix: string): (v: string) => Problem | undefined {
  return (v) => (v.length <= 253 && DNS_SUBDOMAIN.test(v) ? undefined : { message: `"${v}" is not a valid ${what}`, fix });
}

export function kasHeaderProblem(v: string): Problem | undefined {
  const fix = 'e.g. "Cookie: gitlab_canary=true"';
  const colon = v.indexOf(':');
  if (colon <= 0) return { message: `"${v}" is not "Name: value"`, fix };
  if (!HEADER_NAME.test(v.slice(0, colon).trim())) return { message: `"${v.slice(0, colon)}" is not a header name`, fix };
  if (v.slice(colon + 1).trim() === '') return { message: `header ${v.slice(0, colon)} has no value`, fix };
  return undefined;
}

/** The advanced options as their raw texts, by option id (what flags give and the screen answers). */
export interface AdvancedTexts {
  replicas?: string;
  requests?: string;
  limits?: string;
  nodeSelector?: readonly string[];
  toleration?: readonly string[];
  priorityClass?: string;
  imagePullSecret?: readonly string[];
  podLabel?: readonly string[];
  podAnnotation?: readonly string[];
  kasHeader?: readonly string[];
  kasTlsServerName?: string;
}

export type AdvancedOptionId = keyof AdvancedTexts;

/** The raw option texts as the settings. Call only after validation (invalid parts are dropped). */
export function advancedSettings(raw: AdvancedTexts): AdvancedSettings {
  const resources = (v: string | undefined) => {
    if (!v) return undefined;
    const r = parseResources(v);
    return 'list' in r ? r.list : undefined;
  };
  const pairs = (list: readonly string[] | undefined) => Object.fromEntries((list ?? []).map(splitKeyValue));
  return {
    replicas: raw.replicas ? Number(raw.replicas) : undefined,
    requests: resources(raw.requests),
    limits: resources(raw.limits),
    nodeSelector: pairs(raw.nodeSelector),
    tolerations: (raw.toleration ?? []).map(parseToleration).filter((t): t is Toleration => !('message' in t)),
    priorityClassName: raw.priorityClass || undefined,
    imagePullSecrets: [...(raw.imagePullSecret ?? [])],
    podLabels: pairs(raw.podLabel),
    podAnnotations: pairs(raw.podAnnotation),
    kasHeaders: (raw.kasHeader ?? []).map((h) => h.trim()),
    kasTlsServerName: raw.kasTlsServerName || undefined,
  };
}

/** The chart values these settings set (nothing for an option left out). */
export function advancedValues(a: AdvancedSettings): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (a.replicas !== undefined) out.replicas = a.replicas;
  const resources: Record<string, unknown> = {};
  if (a.requests) resources.requests = a.requests;
  if (a.limits) resources.limits = a.limits;
  if (Object.keys(resources).length > 0) out.resources = resources;
  if (Object.keys(a.nodeSelector).length > 0) out.nodeSelector = a.nodeSelector;
  if (a.tolerations.length > 0) out.tolerations = a.tolerations;
  if (a.priorityClassName) out.priorityClassName = a.priorityClassName;
  if (a.imagePullSecrets.length > 0) out.imagePullSecrets = a.imagePullSecrets.map((name) => ({ name }));
  if (Object.keys(a.podLabels).length > 0) out.podLabels = a.podLabels;
  if (a.kasTlsServerName) out.extraArgs = [`--kas-tls-server-name=${a.kasTlsServerName}`];
  return out;
}

/** One line for the review; "chart defaults" when nothing was changed. */
export function advancedSummary(a: AdvancedSettings): string {
  const parts: string[] = [];
  const list = (r: ResourceList) =>
    Object.entries(r)
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
  const pairs = (m: Record<string, string>) =>
    Object.entries(m)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ');
  parts.push(`replicas ${a.replicas ?? `${CHART_REPLICAS} (chart default)`}`);
  if (a.requests) parts.push(`requests ${list(a.requests)}`);
  if (a.limits) parts.push(`limits ${list(a.limits)}`);
  if (Object.keys(a.nodeSelector).length > 0) parts.push(`nodeSelector ${pairs(a.nodeSelector)}`);
  if (a.tolerations.length > 0)
    parts.push(`tolerations ${a.tolerations.map((t) => `${t.key}${t.value !== undefined ? `=${t.value}` : ''}:${t.effect}`).join(', ')}`);
  if (a.priorityClassName) parts.push(`priorityClass ${a.priorityClassName}`);
  if (a.imagePullSecrets.length > 0) parts.push(`imagePullSecrets ${a.imagePullSecrets.join(', ')}`);
  if (Object.keys(a.podLabels).length > 0) parts.push(`podLabels ${pairs(a.podLabels)}`);
  if (Object.keys(a.podAnnotations).length > 0) parts.push(`podAnnotations ${pairs(a.podAnnotations)}`);
  if (a.kasHeaders.length > 0) parts.push(`kasHeaders ${a.kasHeaders.join('; ')}`);
  if (a.kasTlsServerName) parts.push(`--kas-tls-server-name=${a.kasTlsServerName}`);
  return parts.join(' · ');
}

/**
 * Pull secrets for the default agentk image are a sign of a mistake: registry.gitlab.com serves it publicly.
 * `repository` is the image repository the agent will run from (given now, or already in the release).
 */
export function pullSecretWarning(pullSecrets: readonly string[], repository: string | undefined): string | undefined {
  if (pullSecrets.length === 0 || repository !== undefined) return undefined;
  return '--image-pull-secret without --image-repository: the default agentk image on registry.gitlab.com is public and needs none';
}
