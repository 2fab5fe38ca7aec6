// Bundles bench/harness/*.ts into bench/.build/ with the same esbuild settings as scripts/build.mjs,
// so the harness runs the same code (and the same React build) as the shipped CLI.
import { build } from 'esbuild';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH, ROOT, sourceRoot } from './util.mjs';

/** process.env.NODE_ENV as scripts/build.mjs fixes it at bundle time (React's build), if it does. */
function nodeEnvOfBuild(root) {
  const source = readFileSync(join(root, 'scripts', 'build.mjs'), 'utf8');
  const m = /['"]process\.env\.NODE_ENV['"]\s*:\s*['"`]"(\w+)"['"`]/.exec(source);
  return m ? { 'process.env.NODE_ENV': JSON.stringify(m[1]) } : {};
}

/** `root`: the source tree to bundle (default this checkout; another one to measure a proposed change). */
export async function buildHarness(name, { define = {}, root = sourceRoot.dir } = {}) {
  const outdir = join(BENCH, '.build', name);
  // A harness imports ../../src: in another tree it must sit in that tree's bench/harness (this checkout's copy).
  if (root !== ROOT) cpSync(join(BENCH, 'harness'), join(root, 'bench', 'harness'), { recursive: true });
  await build({
    entryPoints: { [name]: join(root, 'bench', 'harness', `${name}.ts`) },
    outdir,
    // Dynamic imports stay chunks, as in dist/ (ink's devtools chunk must not be loaded).
    splitting: true,
    absWorkingDir: root,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    jsx: 'automatic',
    // Mirrors scripts/build.mjs (keep in step with it).
    define: { __VERSION__: '"bench"', 'process.env.DEV': '"false"', ...nodeEnvOfBuild(root), ...define },
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    external: ['react-devtools-core'],
    logLevel: 'warning',
  });
  return join(outdir, `${name}.js`);
}
