import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { pack } from 'tar-stream';
import type { ArchiveEntry } from '../../core/ports/files.js';

/** A .tar.gz of in-memory text files, written through a stream to `path` (0600, replaced if it exists). */
export async function writeTarGz(path: string, entries: readonly ArchiveEntry[], mtime: Date = new Date()): Promise<void> {
  const tar = pack();
  const out = pipeline(tar, createGzip(), createWriteStream(path, { flags: 'w', mode: 0o600 }));
  for (const entry of entries) {
    await new Promise<void>((resolve, reject) => {
      tar.entry({ name: entry.name, mode: 0o600, mtime, type: 'file' }, Buffer.from(entry.content, 'utf8'), (err) =>
        err ? reject(err) : resolve(),
      );
    });
  }
  tar.finalize();
  await out;
}
