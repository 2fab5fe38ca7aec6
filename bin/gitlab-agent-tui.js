#!/usr/bin/env node
// Launcher: refuse old Node with a clear message before loading anything that would crash on it.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(`gitlab-agent-tui needs Node.js 22.12 or newer; this is ${process.version}.\n`);
  process.exit(1);
}
// Compile cache: later starts skip parsing the bundle again.
const { enableCompileCache } = await import('node:module');
enableCompileCache?.();
const { run } = await import('../dist/cli.js');
await run();
