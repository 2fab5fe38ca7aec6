import { gunzipSync } from 'node:zlib';
import type { V1Secret } from '@kubernetes/client-node';
import type { HelmRelease } from '../../core/ports/helm.js';
import type { HelmReleaseRecord } from '../../core/ports/kube/index.js';
import type { KubeApis } from './apis.js';
import { hasStatus } from './failures.js';

/** helm 3 and 4 alike (pkg/storage/driver/secrets.go): the Secret's type, and the gzip magic of its payload. */
const RELEASE_TYPE = 'helm.sh/release.v1';
const GZIP_MAGIC = [0x1f, 0x8b, 0x08];

const text = (v: unknown) => (typeof v === 'string' ? v : '');
const record = (v: unknown): Record<string, unknown> | undefined =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

/**
 * helm's release JSON out of `data.release` as the API returns it: base64 (the Secret's encoding) of
 * base64 (helm's encodeRelease) of gzip (best compression) of the JSON; releases stored before helm
 * compressed them are plain base64 JSON, which helm's decodeRelease accepts too.
 */
export function decodeReleaseData(data: string): unknown {
  const helmText = Buffer.from(data, 'base64').toString('latin1');
  const bytes = Buffer.from(helmText, 'base64');
  const json = GZIP_MAGIC.every((b, i) => bytes[i] === b) ? gunzipSync(bytes) : bytes;
  return JSON.parse(json.toString('utf8'));
}

/** One stored revision as our record; undefined for a Secret that is not a readable release. */
export function releaseRecord(secret: V1Secret): HelmReleaseRecord | undefined {
  const data = secret.data?.release;
  if (!data) return undefined;
  const rel = record(decodeReleaseData(data));
  const revision = Number(rel?.version ?? secret.metadata?.labels?.version);
  if (!rel || !Number.isInteger(revision)) return undefined;
  const info = record(rel.info) ?? {};
  const meta = record(record(rel.chart)?.metadata) ?? {};
  return {
    revision,
    status: text(info.status) || text(secret.metadata?.labels?.status),
    chart: meta.name ? `${text(meta.name)}-${text(meta.version)}` : '',
    appVersion: text(meta.appVersion),
    values: record(rel.config) ?? {},
    manifest: text(rel.manifest),
    updated: text(info.last_deployed),
    description: text(info.description),
  };
}

/** helm's release Secrets matching a label selector; [] when the namespace does not exist. */
async function releaseSecrets(apis: KubeApis, namespace: string, labelSelector: string, what: string): Promise<V1Secret[]> {
  try {
    const list = await apis.call(`list helm's release Secrets of ${what}`, (options) =>
      apis.core.listNamespacedSecret({ namespace, labelSelector }, options),
    );
    return list.items.filter((s) => s.type === RELEASE_TYPE);
  } catch (err) {
    if (hasStatus(err, 404)) return [];
    throw err;
  }
}

/** helm's labels on a release Secret: the release's name and the revision it stores. */
const revisionOf = (s: V1Secret) => Number(s.metadata?.labels?.version);

/**
 * The newest revision of each release in a namespace, as `helm list --all` shows it. Only those are decoded:
 * the labels say which revision is newest, the payload (chart, status) is read for that one alone.
 */
export async function helmReleaseList(apis: KubeApis, namespace: string): Promise<HelmRelease[]> {
  const newest = new Map<string, V1Secret>();
  for (const s of await releaseSecrets(apis, namespace, 'owner=helm', namespace)) {
    const name = s.metadata?.labels?.name;
    if (!name || !Number.isInteger(revisionOf(s))) continue;
    const seen = newest.get(name);
    if (!seen || revisionOf(s) > revisionOf(seen)) newest.set(name, s);
  }
  return [...newest].flatMap(([name, s]) => {
    const r = releaseRecord(s);
    return r ? [{ name, namespace, revision: r.revision, status: r.status, chart: r.chart, appVersion: r.appVersion }] : [];
  });
}

/**
 * Every revision of a release from helm's release Secrets, in one LIST by helm's own labels; oldest first.
 * [] when there are none (another storage driver, or no release of that name here).
 */
export async function helmReleaseRecords(apis: KubeApis, namespace: string, release: string): Promise<HelmReleaseRecord[]> {
  const items = await releaseSecrets(apis, namespace, `owner=helm,name=${release}`, `${namespace}/${release}`);
  return items
    .flatMap((s) => {
      const r = releaseRecord(s);
      return r ? [r] : [];
    })
    .sort((a, b) => a.revision - b.revision);
}
