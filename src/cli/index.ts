import { main } from './main.js';

/** Entry for the bundled CLI: real process streams, exit code set without cutting off pending output. */
export async function run(): Promise<void> {
  const argv = process.argv.slice(2);
  // `gitlab-agent-tui --help | head`: a reader that stops early is not an error worth a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw err;
    });
  }
  try {
    process.exitCode = await main(argv, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
  } catch (err) {
    process.stderr.write(`gitlab-agent-tui: unexpected error: ${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 1;
  }
  // Once what was written has reached the streams, exit: lingering handles (keep-alive sockets, stdin) must not
  // keep a finished run alive, and exiting skips freeing the heap a natural end spends ~20 ms on.
  await Promise.all([process.stdout, process.stderr].map((stream) => new Promise<void>((done) => stream.write('', () => done()))));
  process.exit();
}
