import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { e2eEnv } from './env.js';
import type { Sandbox } from './sandbox.js';

export interface Exec {
  code: number;
  stdout: string;
  stderr: string;
}

/** Async (never spawnSync): the /proc sampler and fake GitLab share this event loop. */
export function exec(file: string, args: string[], env: Record<string, string>, timeoutMs = 60_000): Promise<Exec> {
  return new Promise((resolve) => {
    execFile(file, args, { env, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (!err) return resolve({ code: 0, stdout, stderr });
      // A number is the exit code; anything else (ENOENT, killed by the timeout) counts as 1 with the reason.
      const code = typeof err.code === 'number' ? err.code : 1;
      resolve({ code, stdout, stderr: typeof err.code === 'number' ? stderr : `${stderr}${err.message}` });
    });
  });
}

function kubeEnv(): Record<string, string> {
  return { KUBECONFIG: e2eEnv().kubeconfig, PATH: '/usr/bin:/bin', HOME: e2eEnv().runDir };
}

/** kubectl with the e2e kubeconfig, as cluster-admin unless a --context is given. */
export async function kubectl(args: string[], input?: { allowFail?: boolean }): Promise<Exec> {
  const withContext = args.some((a) => a === '--context' || a.startsWith('--context=')) ? args : ['--context', 'e2e-admin', ...args];
  const r = await exec(e2eEnv().kubectl, withContext, kubeEnv());
  if (r.code !== 0 && !input?.allowFail) throw new Error(`kubectl ${withContext.join(' ')} failed (${r.code}): ${r.stderr}`);
  return r;
}

export async function kubectlJson<T = KubeObject>(args: string[]): Promise<T> {
  return JSON.parse((await kubectl([...args, '-o', 'json'])).stdout) as T;
}

/** kubectl apply -f - with a YAML/JSON document. */
export async function kubectlApply(manifest: string): Promise<void> {
  const dir = mkdtempSync(join(e2eEnv().runDir, 'apply-'));
  const file = join(dir, 'manifest.yaml');
  writeFileSync(file, manifest);
  await kubectl(['apply', '-f', file]);
}

export async function namespaceExists(name: string): Promise<boolean> {
  const r = await kubectl(['get', 'namespace', name, '-o', 'name'], { allowFail: true });
  if (r.code === 0) return true;
  if (/NotFound/.test(r.stderr)) return false;
  throw new Error(`kubectl get namespace ${name}: ${r.stderr}`);
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [key: string]: unknown;
}

export interface KubeList<T = KubeObject> {
  items: T[];
}

export function releaseSelector(release: string): string {
  return `app.kubernetes.io/name=gitlab-agent,app.kubernetes.io/instance=${release}`;
}

/** helm (the sandbox's version) against the e2e cluster, with the sandbox's helm directories. */
export async function helm(sb: Sandbox, args: string[], input?: { allowFail?: boolean }): Promise<Exec> {
  const r = await exec(sb.helmBin, [...args, '--kube-context', 'e2e-admin'], sb.env);
  if (r.code !== 0 && !input?.allowFail) throw new Error(`helm ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  return r;
}

/** Every revision number in `helm history`. */
export async function helmRevisions(sb: Sandbox, release: string, namespace: string): Promise<number[]> {
  const r = await helm(sb, ['history', release, '-n', namespace, '-o', 'json']);
  return (JSON.parse(r.stdout) as { revision: number }[]).map((h) => h.revision);
}

/**
 * helm's own release records (Secrets sh.helm.release.v1.<release>.vN), decoded the way helm stores
 * them: base64 (Secret data) → base64 → gzip → JSON with chart, values (config) and manifest.
 */
export async function decodedReleaseRecords(namespace: string, release: string): Promise<string[]> {
  const list = await kubectlJson<KubeList<KubeObject & { data?: Record<string, string> }>>([
    'get',
    'secrets',
    '-n',
    namespace,
    '-l',
    `owner=helm,name=${release}`,
  ]);
  return list.items.map((s) => {
    const once = Buffer.from(s.data?.release ?? '', 'base64').toString('utf8');
    const raw = Buffer.from(once, 'base64');
    return raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
  });
}
