/**
 * Runs once in vitest's main process, before any e2e file:
 *  1. `npm run build` when dist/ is older than its sources;
 *  2. a private copy of bin/ + dist/ that every test runs, so a parallel `npm run build` in the
 *     working tree (which deletes dist/ first) cannot pull the CLI away mid-run;
 *  3. `cluster.sh up`, whose two export lines go into process.env (the forked test workers inherit it);
 *  4. the tool paths from test/e2e/cluster/versions.sh.
 * The returned teardown ALWAYS runs `cluster.sh down` (also wired to process exit as a last resort).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLUSTER_SH, ROOT, VERSIONS_SH } from './paths.js';

const DEFAULT_CLUSTER = 'glat-e2e-vitest';

function log(line: string): void {
  try {
    process.stderr.write(`[e2e-setup] ${line}\n`);
  } catch {
    /* stderr is a closed pipe: keep tearing down */
  }
}

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** dist/ is stale when any input of scripts/build.mjs is newer than dist/cli.js (or it is missing). */
function distIsStale(): boolean {
  const cli = join(ROOT, 'dist', 'cli.js');
  if (!existsSync(cli)) return true;
  const built = statSync(cli).mtimeMs;
  const inputs = ['src', 'scripts/build.mjs', 'package.json', 'package-lock.json'].map((p) => newestMtime(join(ROOT, p)));
  return Math.max(...inputs) > built;
}

function build(): void {
  const t0 = Date.now();
  const r = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'], timeout: 180_000 });
  if (r.status !== 0) throw new Error(`npm run build failed (exit ${r.status ?? r.signal})`);
  log(`built dist/ in ${Date.now() - t0} ms`);
}

/** bin/ + dist/ + package.json ("type": "module") are all the bundled CLI needs. */
function snapshotApp(runDir: string): string {
  const app = join(runDir, 'app');
  for (let attempt = 1; ; attempt++) {
    try {
      rmSync(app, { recursive: true, force: true });
      for (const part of ['bin', 'dist', 'package.json']) cpSync(join(ROOT, part), join(app, part), { recursive: true });
      if (!existsSync(join(app, 'dist', 'cli.js'))) throw new Error('dist/cli.js missing after copy');
      return join(app, 'bin', 'gitlab-agent-tui.js');
    } catch (err) {
      // Someone rebuilt dist/ while we copied it: build again and retry once.
      if (attempt >= 2) throw err;
      log(`copying dist/ failed (${(err as Error).message}); rebuilding`);
      build();
    }
  }
}

/** Tool locations exactly as the cluster scripts compute them. */
function toolPaths(): { helm3: string; helm4: string; kubectl: string } {
  const r = spawnSync(
    'bash',
    ['-c', `source "$1" && printf '%s\\n' "$HELM3_BIN_DIR/helm" "$HELM4_BIN_DIR/helm" "$K8S_BIN_DIR/kubectl"`, 'x', VERSIONS_SH],
    {
      encoding: 'utf8',
    },
  );
  const [helm3, helm4, kubectl] = r.stdout.trim().split('\n');
  if (r.status !== 0 || !helm3 || !helm4 || !kubectl) throw new Error(`cannot read tool paths from ${VERSIONS_SH}: ${r.stderr}`);
  for (const bin of [helm3, helm4, kubectl]) {
    if (!existsSync(bin)) throw new Error(`${bin} is missing: run bash test/e2e/cluster/build-tools.sh`);
  }
  return { helm3, helm4, kubectl };
}

/** The export lines are written with printf %q: let bash itself undo the quoting. */
function parseExports(text: string): Record<string, string> {
  const r = spawnSync('bash', ['-c', 'eval "$1" && printf "%s\\0%s" "$KUBECONFIG" "$GITLAB_AGENT_CHART_REPO"', 'x', text], {
    encoding: 'utf8',
  });
  const [kubeconfig, chartRepo] = r.stdout.split('\0');
  if (r.status !== 0 || !kubeconfig || !chartRepo) throw new Error(`unexpected output of cluster.sh up:\n${text}`);
  return { KUBECONFIG: kubeconfig, GITLAB_AGENT_CHART_REPO: chartRepo };
}

function cluster(command: 'up' | 'down', env: NodeJS.ProcessEnv): string {
  const r = spawnSync('bash', [CLUSTER_SH, command], {
    cwd: ROOT,
    env,
    encoding: 'utf8',
    // `up` shows its progress live. `down` must finish even when our stderr is a closed pipe
    // (`npm run test:e2e 2>&1 | head`): a write there would kill cluster.sh with SIGPIPE halfway.
    stdio: ['ignore', 'pipe', command === 'up' ? 'inherit' : 'pipe'],
    timeout: 300_000,
  });
  if (command === 'down' && r.stderr) {
    try {
      process.stderr.write(r.stderr);
    } catch {
      /* nobody is listening any more */
    }
  }
  if (r.status !== 0) throw new Error(`cluster.sh ${command} failed (exit ${r.status ?? r.signal}): ${r.error?.message ?? r.stderr ?? ''}`);
  return r.stdout;
}

/**
 * tmux servers of this run (their socket lives under runDir) that a test could not kill itself,
 * e.g. because vitest was interrupted between a TUI test and its afterEach. Ended by pid.
 */
function stopOwnTmuxServers(runDir: string): void {
  for (const pid of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    let argv: string[];
    try {
      argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    if (argv[0] === 'tmux' && argv[1] === '-S' && argv[2]?.startsWith(`${runDir}/`)) {
      try {
        process.kill(Number(pid), 'SIGTERM');
      } catch {
        /* gone */
      }
    }
  }
}

export default function setup(): () => void {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  if (major < 22 || (major === 22 && minor < 12)) {
    throw new Error(`e2e tests need the project's Node (>= 22.12), this is ${process.version}: run them with npm run test:e2e`);
  }
  const t0 = Date.now();
  const runDir = mkdtempSync(join(tmpdir(), 'glat-e2e-'));
  let appBin = process.env.E2E_APP_BIN;
  if (appBin) {
    // Test another build of the CLI (e.g. an installed package): no build, no copy.
    log(`testing ${appBin} (E2E_APP_BIN is set)`);
  } else {
    if (distIsStale()) build();
    else log('dist/ is up to date');
    appBin = snapshotApp(runDir);
  }
  const tools = toolPaths();

  const clusterEnv = { ...process.env, GLAT_E2E_CLUSTER: process.env.GLAT_E2E_CLUSTER ?? DEFAULT_CLUSTER };
  let down = false;
  const bringDown = () => {
    if (down) return;
    down = true;
    stopOwnTmuxServers(runDir);
    try {
      cluster('down', clusterEnv);
    } catch (err) {
      log(`WARNING: ${(err as Error).message}`);
    }
    if (!process.env.E2E_KEEP) rmSync(runDir, { recursive: true, force: true });
    else log(`kept ${runDir} (E2E_KEEP is set)`);
  };
  // Last resort if the teardown below never runs (vitest killed mid-run, crash).
  process.once('exit', bringDown);

  try {
    const exports = parseExports(cluster('up', clusterEnv));
    Object.assign(process.env, exports, {
      E2E_RUN_DIR: runDir,
      E2E_APP_BIN: appBin,
      E2E_HELM3: tools.helm3,
      E2E_HELM4: tools.helm4,
      E2E_KUBECTL: tools.kubectl,
      E2E_CLUSTER: clusterEnv.GLAT_E2E_CLUSTER,
    });
    log(
      `ready in ${Date.now() - t0} ms: cluster ${clusterEnv.GLAT_E2E_CLUSTER}, chart repo ${exports.GITLAB_AGENT_CHART_REPO}, app ${appBin}`,
    );
  } catch (err) {
    bringDown();
    throw err;
  }
  return bringDown;
}
