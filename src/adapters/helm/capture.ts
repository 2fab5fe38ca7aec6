import type { HelmCapture, HelmCaptureResult } from '../../core/ports/helm.js';
import type { HelmProcessOptions } from './process-options.js';
import { runHelm } from './run.js';

/** A rendered chart is kilobytes; a bound keeps a runaway template from filling memory. */
const MAX_CAPTURE_BYTES = 16 * 1024 * 1024;

/** helm with stdout kept (line by line, up to the bound) and stderr's tail for the error. */
export async function captureHelm(proc: HelmProcessOptions, run: HelmCapture, maxBytes = MAX_CAPTURE_BYTES): Promise<HelmCaptureResult> {
  const lines: string[] = [];
  let bytes = 0;
  let truncated = false;
  const result = await runHelm(proc, {
    args: run.args,
    stdin: run.stdin,
    signal: run.signal,
    onLine: (line, stream) => {
      if (stream !== 'stdout' || truncated) return;
      bytes += line.length + 1;
      if (bytes > maxBytes) truncated = true;
      else lines.push(line);
    },
  });
  return { ...result, stdout: lines.length > 0 ? `${lines.join('\n')}\n` : '', truncated };
}
