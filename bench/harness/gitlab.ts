// Fake GitLab for the install bench (bench/readiness.mjs): test/fake-gitlab with the standard world
// (group/app, maria the Maintainer), each new agent token "connecting" GLAT_BENCH_CONNECT_AFTER_MS after
// it is created. Prints one JSON line {url, pat} and serves until its stdin closes.
import { seedStandardWorld, startFakeGitLab } from '../../test/fake-gitlab/server.js';

const gl = await startFakeGitLab({ connectAfterMs: Number(process.env.GLAT_BENCH_CONNECT_AFTER_MS ?? 200) });
const world = seedStandardWorld(gl.state);
process.stdout.write(`${JSON.stringify({ url: gl.url, pat: world.tokens.api })}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  void gl.close().finally(() => process.exit(0));
});
