import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { e2eEnv } from './env.js';

export type HelmMajor = 3 | 4;

/**
 * One test's private world: HOME, cwd, TMPDIR, XDG and helm directories in a fresh temp dir, and a
 * bin/ directory whose `helm` symlink (first on PATH) picks helm 3 or helm 4. The environment is
 * built from scratch (no inherited CI, FORCE_COLOR, tokens or kube settings of the machine).
 */
export interface Sandbox {
  root: string;
  home: string;
  cwd: string;
  tmp: string;
  bin: string;
  helmMajor: HelmMajor;
  /** The real helm binary the symlink points at. */
  helmBin: string;
  /** Base environment for the CLI, helm and kubectl in this sandbox. */
  env: Record<string, string>;
  /** Random 4 hex characters: names in the shared cluster never collide between tests or runs. */
  suffix: string;
  /** `<prefix>-<suffix>`: a valid agent / release / namespace label. */
  name(prefix: string): string;
}

export function createSandbox(label: string, helmMajor: HelmMajor = 4): Sandbox {
  const e = e2eEnv();
  const root = mkdtempSync(join(e.runDir, `${label}-`));
  const dir = (...parts: string[]) => {
    const path = join(root, ...parts);
    mkdirSync(path, { recursive: true });
    return path;
  };
  const home = dir('home');
  const cwd = dir('cwd');
  const tmp = dir('tmp');
  const bin = dir('bin');
  const helmBin = e.helm[helmMajor];
  symlinkSync(helmBin, join(bin, 'helm'));
  const suffix = randomBytes(2).toString('hex');
  const env: Record<string, string> = {
    PATH: [bin, dirname(e.kubectl), dirname(process.execPath), '/usr/local/bin', '/usr/bin', '/bin'].join(':'),
    HOME: home,
    TMPDIR: tmp,
    LANG: 'C.UTF-8',
    XDG_CONFIG_HOME: dir('home', '.config'),
    XDG_CACHE_HOME: dir('home', '.cache'),
    XDG_DATA_HOME: dir('home', '.local', 'share'),
    HELM_CACHE_HOME: dir('helm', 'cache'),
    HELM_CONFIG_HOME: dir('helm', 'config'),
    HELM_DATA_HOME: dir('helm', 'data'),
    KUBECONFIG: e.kubeconfig,
  };
  return { root, home, cwd, tmp, bin, helmMajor, helmBin, env, suffix, name: (prefix) => `${prefix}-${suffix}` };
}
