import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { UsageError } from '../../core/kernel/errors.js';
import type { KubeConfigSource, KubeContextInfo } from '../../core/ports/kube/index.js';

/**
 * Kubeconfig discovery and merging, the way kubectl (client-go's loader) does it, without client-node:
 * listing contexts must stay instant, and client-node's own loader throws on duplicate names, throws on
 * missing KUBECONFIG entries and silently falls back to http://localhost:8080 when nothing is found.
 */

export type RawObject = Record<string, unknown>;

/** A named cluster, user or context, with relative file paths already resolved against its file. */
interface NamedEntry {
  name: string;
  body: RawObject;
  /** The file that defined it (first one wins). */
  file: string;
}

export interface MergedKubeconfig {
  /** Files that existed and were read, in precedence order. */
  files: string[];
  clusters: Map<string, NamedEntry>;
  users: Map<string, NamedEntry>;
  contexts: Map<string, NamedEntry>;
  currentContext?: string;
}

/** What a chosen context points at, validated. */
export interface ResolvedContext {
  name: string;
  namespace?: string;
  cluster: NamedEntry;
  /** Absent when the context names no user (anonymous access). */
  user?: NamedEntry;
}

/** The process environment, injectable for tests. */
export interface KubeconfigEnv {
  KUBECONFIG?: string;
  home?: string;
}

const FIX = 'set KUBECONFIG or pass --kubeconfig';

export function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function obj(value: unknown): RawObject | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as RawObject) : undefined;
}

/** --kubeconfig wins; else every entry of KUBECONFIG (path.delimiter-separated); else ~/.kube/config. */
export function kubeconfigPaths(
  source: KubeConfigSource,
  env: KubeconfigEnv = { KUBECONFIG: process.env.KUBECONFIG, home: homedir() },
): { paths: string[]; explicit: boolean } {
  if (source.kubeconfig) return { paths: [path.resolve(source.kubeconfig)], explicit: true };
  if (env.KUBECONFIG) {
    const paths = env.KUBECONFIG.split(path.delimiter)
      .filter((p) => p !== '')
      .map((p) => path.resolve(p));
    if (paths.length > 0) return { paths: [...new Set(paths)], explicit: false };
  }
  return { paths: [path.join(env.home ?? homedir(), '.kube', 'config')], explicit: false };
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? '';
}

/**
 * The last parse of each file, by its text: one run reads the kubeconfig several times (the context list, the
 * probe, the cluster), and parsing it — certificates and all — costs far more than reading it. A changed file
 * (a refreshed token written by a cloud CLI) is parsed again.
 */
const lastParse = new Map<string, { text: string; doc: unknown }>();

function parseOnce(file: string, text: string): unknown {
  const last = lastParse.get(file);
  if (last?.text === text) return last.doc;
  const doc: unknown = parse(text);
  lastParse.set(file, { text, doc });
  return doc;
}

async function readKubeconfigFile(file: string, explicit: boolean): Promise<RawObject | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // kubectl skips missing KUBECONFIG entries, but an explicit --kubeconfig must exist.
    if (code === 'ENOENT' && !explicit) return undefined;
    if (code === 'ENOENT') throw new UsageError('kubeconfig', `no kubeconfig found at ${file}`, FIX);
    throw new UsageError('kubeconfig', `cannot read ${file}: ${code ?? (err as Error).message}`, FIX);
  }
  let doc: unknown;
  try {
    doc = parseOnce(file, text);
  } catch (err) {
    throw new UsageError(
      'kubeconfig',
      `cannot parse ${file}: ${firstLine((err as Error).message)}`,
      'fix the YAML, or point --kubeconfig/KUBECONFIG at another file',
    );
  }
  if (doc === null || doc === undefined) return {};
  const root = obj(doc);
  if (!root) throw new UsageError('kubeconfig', `${file} is not a kubeconfig (expected a YAML mapping)`, FIX);
  return root;
}

function absolutize(body: RawObject, keys: string[], dir: string): RawObject {
  const out: RawObject = { ...body };
  for (const key of keys) {
    const value = str(out[key]);
    if (value && !path.isAbsolute(value)) out[key] = path.join(dir, value);
  }
  return out;
}

/** client-go's ResolvePaths: file references are relative to the kubeconfig that holds them. */
function resolveEntryPaths(kind: 'cluster' | 'user' | 'context', body: RawObject, file: string): RawObject {
  const dir = path.dirname(file);
  if (kind === 'cluster') return absolutize(body, ['certificate-authority'], dir);
  if (kind !== 'user') return body;
  const user = absolutize(body, ['client-certificate', 'client-key', 'tokenFile'], dir);
  const exec = obj(user.exec);
  // A bare command is looked up on PATH; only one with a separator is a file path.
  if (exec && typeof exec.command === 'string' && exec.command.includes(path.sep)) {
    user.exec = absolutize(exec, ['command'], dir);
  }
  return user;
}

function mergeEntries(into: Map<string, NamedEntry>, list: unknown, kind: 'cluster' | 'user' | 'context', file: string): void {
  if (!Array.isArray(list)) return;
  for (const item of list) {
    const entry = obj(item);
    const name = str(entry?.name);
    // Nameless entries cannot be referenced; the first file to define a name wins, as in kubectl.
    if (!entry || !name || into.has(name)) continue;
    into.set(name, { name, body: resolveEntryPaths(kind, obj(entry[kind]) ?? {}, file), file });
  }
}

/** Reads and merges the kubeconfig files. Throws UsageError when there is none, or it cannot be parsed. */
export async function loadKubeconfig(source: KubeConfigSource, env?: KubeconfigEnv): Promise<MergedKubeconfig> {
  const { paths, explicit } = kubeconfigPaths(source, env);
  const merged: MergedKubeconfig = { files: [], clusters: new Map(), users: new Map(), contexts: new Map() };
  const docs = await Promise.all(paths.map((file) => readKubeconfigFile(file, explicit)));
  docs.forEach((doc, i) => {
    const file = paths[i];
    if (!doc || file === undefined) return;
    merged.files.push(file);
    mergeEntries(merged.clusters, doc.clusters, 'cluster', file);
    mergeEntries(merged.users, doc.users, 'user', file);
    mergeEntries(merged.contexts, doc.contexts, 'context', file);
    merged.currentContext ??= str(doc['current-context']);
  });
  if (merged.files.length === 0) {
    throw new UsageError('kubeconfig', `no kubeconfig found at ${paths.join(', ')}`, FIX);
  }
  if (merged.contexts.size === 0) {
    throw new UsageError('kubeconfig', `no contexts in the kubeconfig at ${merged.files.join(', ')}`, FIX);
  }
  return merged;
}

export function contextInfos(merged: MergedKubeconfig): KubeContextInfo[] {
  return [...merged.contexts.values()]
    .map((entry): KubeContextInfo => {
      const cluster = str(entry.body.cluster) ?? '';
      const namespace = str(entry.body.namespace);
      return {
        name: entry.name,
        cluster,
        server: str(merged.clusters.get(cluster)?.body.server) ?? '',
        user: str(entry.body.user) ?? '',
        ...(namespace ? { namespace } : {}),
        current: entry.name === merged.currentContext,
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The context with its cluster and user; UsageError when it, its cluster or its user is not defined. */
export function resolveContext(merged: MergedKubeconfig, name: string): ResolvedContext {
  const context = merged.contexts.get(name);
  if (!context) {
    const names = [...merged.contexts.keys()];
    const shown = names.slice(0, 5).join(', ') + (names.length > 5 ? ', …' : '');
    throw new UsageError('context', `no context "${name}" in the kubeconfig`, `choose one of: ${shown}`);
  }
  const clusterName = str(context.body.cluster);
  const cluster = clusterName ? merged.clusters.get(clusterName) : undefined;
  if (!cluster) {
    throw new UsageError(
      'kubeconfig',
      `context "${name}" refers to cluster "${clusterName ?? ''}", which is not defined (${context.file})`,
      'fix the kubeconfig or choose another context',
    );
  }
  if (!str(cluster.body.server)) {
    throw new UsageError('kubeconfig', `cluster "${cluster.name}" has no server address (${cluster.file})`, 'fix the kubeconfig');
  }
  const userName = str(context.body.user);
  const user = userName ? merged.users.get(userName) : undefined;
  if (userName && !user) {
    throw new UsageError(
      'kubeconfig',
      `context "${name}" refers to user "${userName}", which is not defined (${context.file})`,
      'fix the kubeconfig or choose another context',
    );
  }
  const namespace = str(context.body.namespace);
  return { name, cluster, ...(user ? { user } : {}), ...(namespace ? { namespace } : {}) };
}
