import { parse } from 'yaml';

/** Helm values as the simulated chart sees them: the user's (stdin, -f files, --set) over the chart's defaults. */

export type Values = Record<string, unknown>;

/** The simulated gitlab-agent chart (same name, appVersion and defaults as the one on charts.gitlab.io). */
export const DEMO_CHART = { name: 'gitlab-agent', version: '2.32.0', appVersion: 'v18.6.0' } as const;

/** What the simulated https://charts.gitlab.io index offers; any other --chart-version is "not found". */
export const DEMO_CHART_VERSIONS = ['2.30.2', '2.31.1', '2.32.0'] as const;
export const DEMO_CHART_REPO = 'https://charts.gitlab.io';

const DEFAULT_AGENTK_REPOSITORY = 'registry.gitlab.com/gitlab-org/cluster-integration/gitlab-agent/agentk';

/** The image tag that exists nowhere: installing it shows the image-pull failure path. */
export const MISSING_IMAGE_TAG = 'does-not-exist';

export const CHART_DEFAULTS: Values = {
  image: { repository: DEFAULT_AGENTK_REPOSITORY, tag: '', pullPolicy: 'IfNotPresent' },
  replicas: 2,
  maxSurge: 1,
  maxUnavailable: 0,
  rbac: { create: true },
  serviceAccount: { create: true },
  config: {
    kasAddress: 'wss://kas.gitlab.com',
    observability: { enabled: true },
    receptive: { enabled: false },
  },
  extraEnv: [],
  resources: {},
  nodeSelector: {},
  tolerations: [],
};

export function isValues(value: unknown): value is Values {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Helm's merge: maps merge key by key, anything else (lists too) is replaced. */
export function mergeValues(base: Values, overlay: Values): Values {
  const out: Values = { ...base };
  for (const [key, value] of Object.entries(overlay)) {
    const current = out[key];
    out[key] = isValues(current) && isValues(value) ? mergeValues(current, value) : value;
  }
  return out;
}

/** Helm's --set typing for the plain cases: true/false, integers, null; everything else a string. */
function setScalar(text: string): unknown {
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text === 'null') return null;
  if (/^-?\d+$/.test(text)) return Number(text);
  return text;
}

/**
 * Applies one `a.b[0].c=value` as helm's --set does (`asString`: --set-string, no typing); a null value
 * removes the key, so the chart's default no longer applies either.
 */
export function applySet(values: Values, assignment: string, asString = false): Values {
  const at = assignment.indexOf('=');
  const path = assignment
    .slice(0, at)
    .split('.')
    .flatMap((part) => {
      const m = /^([^[]+)((?:\[\d+\])*)$/.exec(part);
      return m ? [m[1]!, ...[...m[2]!.matchAll(/\[(\d+)\]/g)].map((x) => Number(x[1]))] : [part];
    });
  const value = asString ? assignment.slice(at + 1) : setScalar(assignment.slice(at + 1));
  const out = structuredClone(values);
  let node: Record<string | number, unknown> = out;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i]!;
    const nextIsIndex = typeof path[i + 1] === 'number';
    const current = node[key];
    if (typeof current !== 'object' || current === null) node[key] = nextIsIndex ? [] : {};
    node = node[key] as Record<string | number, unknown>;
  }
  const leaf = path[path.length - 1]!;
  if (value === null && !Array.isArray(node)) delete node[leaf];
  else node[leaf] = value;
  return out;
}

/** Parses one values document; throws with helm's wording when it is not a YAML map. */
export function parseValuesYaml(text: string, source: string): Values {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new Error(`failed to parse ${source}: error converting YAML to JSON: ${(err as Error).message.split('\n')[0]}`);
  }
  if (doc === null || doc === undefined) return {};
  if (!isValues(doc))
    throw new Error(`failed to parse ${source}: error unmarshaling JSON: cannot unmarshal into Go value of type map[string]interface {}`);
  return doc;
}

function pick(values: Values, path: string[]): unknown {
  let at: unknown = values;
  for (const key of path) at = isValues(at) ? at[key] : undefined;
  return at;
}

export function stringAt(values: Values, ...path: string[]): string | undefined {
  const v = pick(values, path);
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** The agentk image a release runs, resolved as the chart does (empty tag = appVersion). */
export function agentImage(values: Values): { image: string; tag: string } {
  const repository = stringAt(values, 'image', 'repository') ?? DEFAULT_AGENTK_REPOSITORY;
  const tag = stringAt(values, 'image', 'tag') ?? DEMO_CHART.appVersion;
  return { image: `${repository}:${tag}`, tag };
}

export function replicasOf(values: Values): number {
  const v = pick(values, ['replicas']);
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : 2;
}

/** Printed values never show a token, even one a values file smuggled in. */
export function redactTokens(values: Values): Values {
  const out: Values = {};
  for (const [key, value] of Object.entries(values)) {
    out[key] = /token/i.test(key) && typeof value === 'string' ? '********' : isValues(value) ? redactTokens(value) : value;
  }
  return out;
}
