import type { AdvancedTexts } from '../advanced-options.js';

type Values = Record<string, unknown>;

/** Our own pod annotations (rollout digests): not the user's to edit, and kept by an upgrade. */
export const OWN_ANNOTATION_PREFIX = 'gitlab-agent-tui/';
export const KAS_TLS_SERVER_NAME_ARG = '--kas-tls-server-name=';

const record = (v: unknown): Values | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Values) : undefined);
const scalar = (v: unknown): string | undefined =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;

function pairs(v: unknown, keep: (key: string) => boolean = () => true): string[] {
  return Object.entries(record(v) ?? {}).flatMap(([k, x]) => (keep(k) && scalar(x) !== undefined ? [`${k}=${scalar(x)}`] : []));
}

function resources(v: unknown): string | undefined {
  const parts = pairs(v);
  return parts.length > 0 ? parts.join(',') : undefined;
}

/** A toleration in kubectl taint syntax; one it cannot express (no key, no effect) is left out. */
function toleration(v: unknown): string[] {
  const t = record(v);
  const key = scalar(t?.key);
  const effect = scalar(t?.effect);
  if (!t || !key || !effect) return [];
  return [t.operator === 'Exists' || t.value === undefined ? `${key}:${effect}` : `${key}=${scalar(t.value) ?? ''}:${effect}`];
}

/**
 * The advanced options a release's values hold now, as the texts their flags take: the defaults of the
 * upgrade's advanced options screen, so an answer left as it is changes nothing.
 */
export function currentAdvancedTexts(values: Values): AdvancedTexts {
  const res = record(values.resources);
  const config = record(values.config);
  const args = Array.isArray(values.extraArgs) ? values.extraArgs.map(String) : [];
  const tlsName = args.find((a) => a.startsWith(KAS_TLS_SERVER_NAME_ARG))?.slice(KAS_TLS_SERVER_NAME_ARG.length);
  const out: AdvancedTexts = {
    nodeSelector: pairs(values.nodeSelector),
    toleration: (Array.isArray(values.tolerations) ? values.tolerations : []).flatMap(toleration),
    imagePullSecret: (Array.isArray(values.imagePullSecrets) ? values.imagePullSecrets : []).flatMap((s) => {
      const name = scalar(record(s)?.name) ?? scalar(s);
      return name ? [name] : [];
    }),
    podLabel: pairs(values.podLabels),
    podAnnotation: pairs(values.podAnnotations, (k) => !k.startsWith(OWN_ANNOTATION_PREFIX)),
    kasHeader: (Array.isArray(config?.kasHeaders) ? config.kasHeaders : []).map(String),
  };
  const replicas = scalar(values.replicas);
  const requests = resources(res?.requests);
  const limits = resources(res?.limits);
  const priorityClass = scalar(values.priorityClassName);
  if (replicas !== undefined) out.replicas = replicas;
  if (requests) out.requests = requests;
  if (limits) out.limits = limits;
  if (priorityClass) out.priorityClass = priorityClass;
  if (tlsName) out.kasTlsServerName = tlsName;
  return out;
}
