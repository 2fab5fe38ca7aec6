// Tiny static file server for the e2e Helm chart repository (index.yaml + *.tgz).
// Usage: node chart-repo-server.mjs <root-dir> <port-file>
// Binds 127.0.0.1 on a random free port and writes the port number to <port-file>.
// No dependencies; serves GET/HEAD for plain files directly under <root-dir>.
import { createServer } from 'node:http';
import { readFile, writeFile, rename } from 'node:fs/promises';
import { basename, join } from 'node:path';

const [root, portFile] = process.argv.slice(2);
if (!root || !portFile) {
  process.stderr.write('usage: chart-repo-server.mjs <root-dir> <port-file>\n');
  process.exit(2);
}

const types = { '.yaml': 'application/x-yaml', '.tgz': 'application/gzip', '.prov': 'text/plain' };

const server = createServer(async (req, res) => {
  const started = Date.now();
  let status = 200;
  try {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      status = 405;
      res.writeHead(status, { allow: 'GET, HEAD' }).end();
      return;
    }
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
    const name = basename(path);
    // Only files directly in root, no traversal, no hidden files.
    if (path !== `/${name}` || name === '' || name.startsWith('.')) {
      status = 404;
      res.writeHead(status, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    const ext = name.slice(name.lastIndexOf('.'));
    const body = await readFile(join(root, name));
    res.writeHead(status, {
      'content-type': types[ext] ?? 'application/octet-stream',
      'content-length': body.length,
      'cache-control': 'no-store',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  } catch {
    status = 404;
    res.writeHead(status, { 'content-type': 'text/plain' }).end('not found\n');
  } finally {
    process.stderr.write(`${new Date().toISOString()} ${req.method} ${req.url} ${status} ${Date.now() - started}ms\n`);
  }
});

server.listen(0, '127.0.0.1', async () => {
  const { port } = server.address();
  await writeFile(`${portFile}.tmp`, `${port}\n`);
  await rename(`${portFile}.tmp`, portFile);
  process.stderr.write(`chart repo serving ${root} on http://127.0.0.1:${port}\n`);
});

for (const sig of ['SIGTERM', 'SIGINT']) {
  process.on(sig, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections?.();
    setTimeout(() => process.exit(0), 2000).unref();
  });
}
