// Child-process driver for the "our process dies" test: starts a long helm run, then either
// exits (mode "exit") or waits to be killed by a signal (mode "signal"). Bundled by the test.
import { createHelmPort } from '../../src/adapters/helm/index.js';

const mode = process.argv[2] ?? 'exit';
const port = createHelmPort();
const pending = port.run({
  args: ['upgrade', '--install', 'agent', 'chart'],
  signal: new AbortController().signal,
  onLine: (line) => {
    process.stdout.write(`${line}\n`);
    if (line.includes('sleeping') && mode === 'exit') process.exit(0);
  },
});
pending.then(
  (result) => process.stdout.write(`driver: helm finished with ${result.exitCode}\n`),
  (error: unknown) => process.stdout.write(`driver: helm failed: ${String(error)}\n`),
);
