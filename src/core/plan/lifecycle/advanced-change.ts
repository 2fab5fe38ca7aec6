import { advancedValues, type AdvancedOptionId, type AdvancedSettings } from '../advanced-options.js';
import { KAS_TLS_SERVER_NAME_ARG, OWN_ANNOTATION_PREFIX } from './current-advanced.js';

type Values = Record<string, unknown>;

/** Advanced options an upgrade changes: the settings, and which of them were asked for (the rest are kept). */
export interface AdvancedChange {
  settings: AdvancedSettings;
  changed: readonly AdvancedOptionId[];
}

const record = (v: unknown): Values | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Values) : undefined);

/** Sets values[path] (creating parents), or deletes it when value is undefined (and a parent it empties). */
function put(values: Values, path: readonly string[], value: unknown): void {
  const [head, ...rest] = path;
  if (head === undefined) return;
  if (rest.length === 0) {
    if (value === undefined) delete values[head];
    else values[head] = value;
    return;
  }
  const child = record(values[head]) ?? {};
  put(child, rest, value);
  if (Object.keys(child).length > 0) values[head] = child;
  else delete values[head];
}

/**
 * Writes the changed advanced options into a copy-to-be (mutates `values`), each from the same
 * builder install uses (advancedValues), so an option means the same chart values in both. An option
 * set to nothing removes its key (the chart default applies); what is not in `changed` is untouched.
 * Two keys are shared with other settings: our own pod annotations and other extraArgs are kept.
 */
export function applyAdvancedChange(values: Values, change: AdvancedChange): void {
  const built = advancedValues(change.settings);
  const builtResources = record(built.resources);
  const a = change.settings;
  for (const id of change.changed) {
    switch (id) {
      case 'replicas':
        put(values, ['replicas'], built.replicas);
        break;
      case 'requests':
        put(values, ['resources', 'requests'], builtResources?.requests);
        break;
      case 'limits':
        put(values, ['resources', 'limits'], builtResources?.limits);
        break;
      case 'nodeSelector':
        put(values, ['nodeSelector'], built.nodeSelector);
        break;
      case 'toleration':
        put(values, ['tolerations'], built.tolerations);
        break;
      case 'priorityClass':
        put(values, ['priorityClassName'], built.priorityClassName);
        break;
      case 'imagePullSecret':
        put(values, ['imagePullSecrets'], built.imagePullSecrets);
        break;
      case 'podLabel':
        put(values, ['podLabels'], built.podLabels);
        break;
      case 'podAnnotation': {
        const ours = Object.entries(record(values.podAnnotations) ?? {}).filter(([k]) => k.startsWith(OWN_ANNOTATION_PREFIX));
        const next = { ...a.podAnnotations, ...Object.fromEntries(ours) };
        put(values, ['podAnnotations'], Object.keys(next).length > 0 ? next : undefined);
        break;
      }
      case 'kasHeader':
        put(values, ['config', 'kasHeaders'], a.kasHeaders.length > 0 ? a.kasHeaders : undefined);
        break;
      case 'kasTlsServerName': {
        const others = (Array.isArray(values.extraArgs) ? values.extraArgs : []).filter(
          (x) => !String(x).startsWith(KAS_TLS_SERVER_NAME_ARG),
        );
        const next = [...others, ...(Array.isArray(built.extraArgs) ? built.extraArgs : [])];
        put(values, ['extraArgs'], next.length > 0 ? next : undefined);
        break;
      }
    }
  }
}
