import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Directory holding the fake `helm`; put it first on PATH. */
export const FAKE_HELM_DIR = dirname(fileURLToPath(import.meta.url));

/** One line of $FAKE_HELM_LOG. */
export interface FakeHelmCall {
  argv: string[];
  command: string;
  /** KUBECONFIG, HELM_* and FAKE_HELM_MARK as helm saw them. */
  env: Record<string, string>;
  /** Everything helm read from stdin; null when it did not read (no `-f -`). */
  stdin: string | null;
  pid: number;
  grandchildPid: number | null;
}

export interface FakeHelm {
  /** Full environment for createHelmPort({ env }): fake helm first on PATH, calls logged to `log`. */
  env: NodeJS.ProcessEnv;
  log: string;
  calls(): FakeHelmCall[];
}

/** A fresh log file plus an environment that runs the fake helm with the given FAKE_HELM_* settings. */
export function fakeHelm(settings: Record<string, string> = {}): FakeHelm {
  const log = join(mkdtempSync(join(tmpdir(), 'fake-helm-')), 'calls.jsonl');
  return {
    env: { ...process.env, PATH: `${FAKE_HELM_DIR}${delimiter}${process.env.PATH ?? ''}`, FAKE_HELM_LOG: log, ...settings },
    log,
    calls: () => readCalls(log),
  };
}

function readCalls(log: string): FakeHelmCall[] {
  let text: string;
  try {
    text = readFileSync(log, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as FakeHelmCall);
}
