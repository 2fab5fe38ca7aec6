import { UsageError } from '../../kernel/errors.js';
import type { FlowIO } from '../../kernel/io.js';
import { helmVersionProblem } from '../../plan/versions.js';
import type { Ports } from '../../ports/index.js';

/** helm must be on PATH and ≥ 3.6 (the chart's own minimum); a dry run only warns when it is missing. */
export async function checkHelm(ports: Ports, dryRun: boolean, io: FlowIO): Promise<{ detail?: string; skipped?: string }> {
  try {
    const v = await ports.helm.version();
    const problem = helmVersionProblem(v.version);
    if (problem) throw new UsageError('helm', problem, 'install a newer helm: https://helm.sh/docs/intro/install/');
    return { detail: v.version };
  } catch (err) {
    if (!dryRun || err instanceof UsageError) throw err;
    io.emit({ type: 'warn', text: `helm: ${(err as Error).message}` });
    return { skipped: 'not found (dry run)' };
  }
}
