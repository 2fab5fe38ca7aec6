// Builds the CLI for the benches without touching dist/: scripts/build.mjs itself (so the settings are
// always the project's), run from bench/.build/cli where src/ is a symlink, writing bench/.build/cli/dist.
// Others may rebuild or test dist/ at the same time; a bench must neither break them nor be broken by them.
import { copyFileSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH, NODE, run, sourceRoot } from './util.mjs';

const CLI_SNAPSHOT = join(BENCH, '.build', 'cli');

/** Returns the path of the snapshot's bin/gitlab-agent-tui.js. */
export async function buildCliSnapshot(root = sourceRoot.dir) {
  rmSync(CLI_SNAPSHOT, { recursive: true, force: true });
  mkdirSync(join(CLI_SNAPSHOT, 'scripts'), { recursive: true });
  mkdirSync(join(CLI_SNAPSHOT, 'bin'), { recursive: true });
  copyFileSync(join(root, 'scripts', 'build.mjs'), join(CLI_SNAPSHOT, 'scripts', 'build.mjs'));
  copyFileSync(join(root, 'package.json'), join(CLI_SNAPSHOT, 'package.json'));
  copyFileSync(join(root, 'bin', 'gitlab-agent-tui.js'), join(CLI_SNAPSHOT, 'bin', 'gitlab-agent-tui.js'));
  symlinkSync(join(root, 'src'), join(CLI_SNAPSHOT, 'src'));
  const b = await run(NODE, [join(CLI_SNAPSHOT, 'scripts', 'build.mjs')], { cwd: CLI_SNAPSHOT });
  if (b.code !== 0) throw new Error(`building the CLI failed:\n${b.stderr}`);
  return join(CLI_SNAPSHOT, 'bin', 'gitlab-agent-tui.js');
}
