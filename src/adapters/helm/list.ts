import { FlowError } from '../../core/kernel/errors.js';
import type { HelmRelease, HelmTarget } from '../../core/ports/helm.js';
import { baseOptions, loadExeca, spawnFailure } from './launch.js';
import type { HelmProcessOptions } from './process-options.js';

/** `helm list` talks to the cluster; an unreachable API server must not freeze the UI. */
const LIST_TIMEOUT_MS = 60_000;

/**
 * Every release state, spelled out: helm 3's `--all` is gone in helm 4, and these six flags mean
 * the same in both.
 */
const ALL_STATES = ['--deployed', '--failed', '--pending', '--superseded', '--uninstalled', '--uninstalling'];

/**
 * argv for `helm list`, including failed and pending releases; `--max=0` lifts the
 * default 256 cap (matters with -A). `--flag=value` keeps a value starting with '-' a value.
 */
export function listArgs(target: HelmTarget, namespace?: string): string[] {
  const args = ['list', '--output=json', ...ALL_STATES, '--max=0'];
  if (target.context) args.push(`--kube-context=${target.context}`);
  if (target.kubeconfig) args.push(`--kubeconfig=${target.kubeconfig}`);
  args.push(namespace ? `--namespace=${namespace}` : '--all-namespaces');
  return args;
}

/** Parses `helm list -o json`: an array of {name, namespace, revision: "1", status, chart, app_version}. */
export function parseReleases(stdout: string): HelmRelease[] {
  const text = stdout.trim();
  if (text === '') return [];
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new FlowError('helm', '`helm list -o json` printed something that is not JSON', 'run it by hand to see why');
  }
  if (data === null) return []; // very old helm 3 printed null for an empty list
  if (!Array.isArray(data)) throw new FlowError('helm', '`helm list -o json` did not print a list');
  return data.flatMap((item: unknown) => {
    const release = toRelease(item);
    return release ? [release] : [];
  });
}

function toRelease(item: unknown): HelmRelease | undefined {
  if (typeof item !== 'object' || item === null) return undefined;
  const record = item as Record<string, unknown>;
  const name = text(record.name);
  if (name === '') return undefined;
  const revision = Number.parseInt(text(record.revision), 10); // a string in helm's JSON
  return {
    name,
    namespace: text(record.namespace),
    revision: Number.isFinite(revision) ? revision : 0,
    status: text(record.status),
    chart: text(record.chart),
    appVersion: text(record.app_version),
  };
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

export async function listReleases(proc: HelmProcessOptions, target: HelmTarget, namespace?: string): Promise<HelmRelease[]> {
  const { execa } = await loadExeca();
  const result = await execa(proc.binary, listArgs(target, namespace), {
    ...baseOptions(proc),
    stdin: 'ignore',
    timeout: LIST_TIMEOUT_MS,
  });
  const notStarted = spawnFailure(proc, result);
  if (notStarted) throw notStarted;
  const hint = `check that context "${target.context}" reaches the cluster: kubectl --context ${target.context} get ns`;
  if (result.timedOut) {
    throw new FlowError('helm', `\`helm list\` did not answer within ${LIST_TIMEOUT_MS / 1000} s`, hint);
  }
  if (result.exitCode !== 0) {
    const reason = lastLine(result.stderr) || `exit code ${result.exitCode ?? result.signal ?? '?'}`;
    throw new FlowError('helm', `\`helm list\` failed: ${reason}`, hint);
  }
  return parseReleases(result.stdout);
}

function lastLine(output: string): string {
  return output.trim().split('\n').at(-1)?.trim() ?? '';
}
