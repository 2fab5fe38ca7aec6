// Fake GitLab for the install and upgrade benches (bench/readiness.mjs, bench/lifecycle.mjs): test/fake-gitlab with
// the standard world (group/app, maria the Maintainer), each new agent token "connecting" GLAT_BENCH_CONNECT_AFTER_MS
// after it is created. With GLAT_BENCH_RECONNECT_MS, every agent with an active token connects again at that interval,
// as running agentk pods keep KAS (and an upgrade's new pods) connected. The harness does not read the cluster's
// pods, so its connections carry no pod name (the CLI then counts a connection made since it started, as it does
// for a GitLab that names no pods); a random name would never be one of the CLI's Ready pods. Prints one JSON
// line {url, pat} and serves until its stdin closes.
import { seedStandardWorld, startFakeGitLab } from '../../test/fake-gitlab/server.js';

const gl = await startFakeGitLab({ connectAfterMs: Number(process.env.GLAT_BENCH_CONNECT_AFTER_MS ?? 200) });
const world = seedStandardWorld(gl.state);
const markConnected = gl.state.markConnected.bind(gl.state);
gl.state.markConnected = (agentId, options = {}) => markConnected(agentId, { podName: '', ...options });
const reconnectMs = Number(process.env.GLAT_BENCH_RECONNECT_MS ?? 0);
const reconnect =
  reconnectMs > 0
    ? setInterval(() => {
        for (const agent of gl.state.agents.values()) {
          if (gl.state.activeTokens(agent).length === 0) continue;
          gl.state.disconnect(agent.id); // one live connection each, refreshed: the list stays short
          gl.state.markConnected(agent.id);
        }
      }, reconnectMs)
    : undefined;
process.stdout.write(`${JSON.stringify({ url: gl.url, pat: world.tokens.api })}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  if (reconnect) clearInterval(reconnect);
  void gl.close().finally(() => process.exit(0));
});
