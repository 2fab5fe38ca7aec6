import { FlowError } from '../../core/kernel/errors.js';
import type { HelmVersion } from '../../core/ports/helm.js';
import { baseOptions, INSTALL_HINT, loadExeca, spawnFailure } from './launch.js';
import type { HelmProcessOptions } from './process-options.js';

/** `helm version` is local; if it takes longer, something is badly wrong. */
const VERSION_TIMEOUT_MS = 15_000;

/**
 * Reads the first `vMAJOR.MINOR.PATCH[-pre]` in `helm version --short` output, e.g.
 * `v3.21.4+g1234abc` or `v4.0.1+gabc`; helm 2 prints `Client: v2.17.0+g…`. Build metadata is dropped.
 */
export function parseHelmVersion(output: string): HelmVersion | undefined {
  const match = /\bv(\d+)\.(\d+)\.(\d+)(-[0-9A-Za-z.-]+)?/.exec(output);
  if (!match) return undefined;
  const [, major = '', minor = '', patch = '', pre = ''] = match;
  return { version: `v${major}.${minor}.${patch}${pre}`, major: Number(major) };
}

export async function helmVersion(proc: HelmProcessOptions): Promise<HelmVersion> {
  const { execa } = await loadExeca();
  const result = await execa(proc.binary, ['version', '--short'], {
    ...baseOptions(proc),
    stdin: 'ignore',
    timeout: VERSION_TIMEOUT_MS,
  });
  const notStarted = spawnFailure(proc, result);
  if (notStarted) throw notStarted;
  if (result.timedOut) {
    throw new FlowError('helm', `\`helm version\` did not answer within ${VERSION_TIMEOUT_MS / 1000} s`, INSTALL_HINT);
  }
  // Parse even on a non-zero exit: helm 2 prints its client version, then fails to reach tiller.
  const parsed = parseHelmVersion(result.stdout);
  if (parsed) return parsed;
  const said = firstLine(result.stdout) || firstLine(result.stderr) || `exit code ${result.exitCode ?? '?'}`;
  throw new FlowError('helm', `could not read the helm version (\`helm version --short\` said: ${said})`, INSTALL_HINT);
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0]?.trim() ?? '';
}
