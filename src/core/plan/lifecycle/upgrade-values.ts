import type { ProxySettings, RbacChoice } from '../agent-settings.js';
import { applyAdvancedChange, type AdvancedChange } from './advanced-change.js';

type Values = Record<string, unknown>;

/** What an upgrade changes; anything left undefined keeps the release's current value. */
export interface ValuesChange {
  /** A tag to pin, or null to follow the chart's appVersion (unset image.tag). */
  imageTag?: string | null;
  imageRepository?: string;
  /** Replaces the HTTP_PROXY / HTTPS_PROXY / NO_PROXY entries of extraEnv; other entries stay. */
  proxy?: ProxySettings;
  /** The PEM for config.kasCaCert. */
  kasCaPem?: string;
  rbac?: RbacChoice;
  /** Advanced options (replicas, resources, scheduling, …): only those in `changed` are written. */
  advanced?: AdvancedChange;
}

const PROXY_ENV = ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY'];

function section(values: Values, key: string): Values {
  const v = values[key];
  if (v && typeof v === 'object' && !Array.isArray(v)) return v as Values;
  const fresh: Values = {};
  values[key] = fresh;
  return fresh;
}

/**
 * The values the upgrade passes with `-f -`: the release's own values (`helm get values`, never
 * --reuse-values, so new chart defaults apply) with only the asked-for changes made. Pure: returns a copy.
 */
export function upgradeValues(current: Values, change: ValuesChange): Values {
  const next = structuredClone(current);
  if (change.imageTag !== undefined || change.imageRepository !== undefined) {
    const image = section(next, 'image');
    if (change.imageTag === null) delete image.tag;
    else if (change.imageTag !== undefined) image.tag = change.imageTag;
    if (change.imageRepository !== undefined) image.repository = change.imageRepository;
    if (Object.keys(image).length === 0) delete next.image;
  }
  if (change.proxy) {
    const kept = (Array.isArray(next.extraEnv) ? next.extraEnv : []).filter(
      (e: unknown) => !(e && typeof e === 'object' && PROXY_ENV.includes(String((e as Values).name))),
    );
    const { httpProxy, httpsProxy, noProxy } = change.proxy;
    const env = [
      ...kept,
      ...(httpProxy ? [{ name: 'HTTP_PROXY', value: httpProxy }] : []),
      ...(httpsProxy ? [{ name: 'HTTPS_PROXY', value: httpsProxy }] : []),
      ...(noProxy ? [{ name: 'NO_PROXY', value: noProxy }] : []),
    ];
    if (env.length > 0) next.extraEnv = env;
    else delete next.extraEnv;
  }
  if (change.kasCaPem !== undefined) section(next, 'config').kasCaCert = change.kasCaPem;
  if (change.rbac) {
    const rbac = section(next, 'rbac');
    delete rbac.useExistingRole;
    rbac.create = change.rbac.mode !== 'none';
    if (change.rbac.mode === 'existing-role') rbac.useExistingRole = change.rbac.role;
  }
  if (change.advanced) applyAdvancedChange(next, change.advanced);
  return next;
}

/** "v18.6.0" from values, or undefined when the chart's appVersion applies. */
export function pinnedImageTag(values: Values): string | undefined {
  const image = values.image;
  const tag = image && typeof image === 'object' ? (image as Values).tag : undefined;
  return typeof tag === 'string' && tag !== '' ? tag : undefined;
}
