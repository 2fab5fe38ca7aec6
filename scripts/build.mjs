// Bundles the CLI into dist/ with esbuild. Dynamic imports become separate chunks,
// so --help loads none of ink, client-node, gitbeaker or execa.
import { build } from 'esbuild';
import { readFile, rm } from 'node:fs/promises';

const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
await rm(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: { cli: 'src/cli/index.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  sourcemap: 'linked',
  jsx: 'automatic',
  // NODE_ENV: React and react-reconciler ship a development build (≈2× the code, checks on every render)
  // chosen at run time from process.env.NODE_ENV; fix it at bundle time so only the production build is bundled.
  define: { __VERSION__: JSON.stringify(pkg.version), 'process.env.DEV': '"false"', 'process.env.NODE_ENV': '"production"' },
  // CommonJS dependencies inside an ESM bundle need require().
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  external: ['react-devtools-core'],
  logLevel: 'warning',
});
