import { spawnSync } from 'node:child_process';

/** The words bash makes of a command line (quotes, backslash continuations), as argv: bash itself splits it. */
export function shellWords(command: string): string[] {
  const r = spawnSync('bash', ['-c', 'eval "set -- $1"; printf "%s\\0" "$@"', 'split', command], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`bash could not read the command: ${r.stderr}\n${command}`);
  return r.stdout.split('\0').slice(0, -1);
}
