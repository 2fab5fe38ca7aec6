import { FlowError } from '../../core/kernel/errors.js';
import type { HelmReleaseRef, HelmRevision } from '../../core/ports/helm.js';
import { captureHelm } from './capture.js';
import type { HelmProcessOptions } from './process-options.js';

/** Reads of one release never hang the UI on an unreachable cluster. */
const READ_TIMEOUT_MS = 60_000;

function refArgs(ref: HelmReleaseRef): string[] {
  const args = [ref.release, `--namespace=${ref.namespace}`, `--kube-context=${ref.context}`];
  if (ref.kubeconfig) args.push(`--kubeconfig=${ref.kubeconfig}`);
  return args;
}

async function read(proc: HelmProcessOptions, what: string, args: string[]): Promise<string> {
  const signal = AbortSignal.timeout(READ_TIMEOUT_MS);
  const result = await captureHelm(proc, { args, signal }).catch((err: unknown) => {
    if (signal.aborted) throw new FlowError('helm', `\`helm ${what}\` did not answer within ${READ_TIMEOUT_MS / 1000} s`);
    throw err;
  });
  if (result.exitCode !== 0) {
    const reason =
      result.stderrTail
        .filter((l) => l.trim())
        .at(-1)
        ?.replace(/^Error: /, '') ?? `exit code ${result.exitCode}`;
    throw new FlowError('helm', `\`helm ${what}\` failed: ${reason}`);
  }
  if (result.truncated) throw new FlowError('helm', `\`helm ${what}\` printed more than we keep in memory`);
  return result.stdout;
}

function parseJson(what: string, text: string): unknown {
  try {
    return JSON.parse(text.trim() || 'null');
  } catch {
    throw new FlowError('helm', `\`helm ${what}\` printed something that is not JSON`, 'run it by hand to see why');
  }
}

/** Parses `helm get values -o json`: the user-supplied values; helm 3 and 4 print null when there are none. */
export function parseValues(stdout: string): Record<string, unknown> {
  const data = parseJson('get values', stdout);
  return data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
}

export async function getValues(proc: HelmProcessOptions, ref: HelmReleaseRef): Promise<Record<string, unknown>> {
  return parseValues(await read(proc, 'get values', ['get', 'values', ...refArgs(ref), '--output=json']));
}

export function getManifest(proc: HelmProcessOptions, ref: HelmReleaseRef): Promise<string> {
  return read(proc, 'get manifest', ['get', 'manifest', ...refArgs(ref)]);
}

/** Parses `helm history -o json`: [{revision: 1, status, chart, app_version, updated, description}]. */
function parseHistory(stdout: string): HelmRevision[] {
  const data = parseJson('history', stdout);
  if (!Array.isArray(data)) return [];
  return data.flatMap((item: unknown) => {
    if (typeof item !== 'object' || item === null) return [];
    const r = item as Record<string, unknown>;
    const revision = Number(r.revision);
    if (!Number.isFinite(revision)) return [];
    const text = (v: unknown) => (typeof v === 'string' ? v : '');
    return [
      {
        revision,
        status: text(r.status),
        chart: text(r.chart),
        appVersion: text(r.app_version),
        updated: text(r.updated),
        description: text(r.description),
      },
    ];
  });
}

export async function history(proc: HelmProcessOptions, ref: HelmReleaseRef): Promise<HelmRevision[]> {
  return parseHistory(await read(proc, 'history', ['history', ...refArgs(ref), '--output=json', '--max=50']));
}
