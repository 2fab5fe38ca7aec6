import { createWriteStream } from 'node:fs';
import { constants } from 'node:fs';
import { access, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { FilesPort } from '../../core/ports/files.js';
import { writeTarGz } from './archive.js';

export function createLocalFiles(): FilesPort {
  return {
    readText: async (path) => {
      try {
        return await readFile(path, 'utf8');
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        throw new Error(code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (err as Error).message);
      }
    },
    exists: async (path) =>
      access(path).then(
        () => true,
        () => false,
      ),
    kind: async (path) =>
      stat(path).then(
        (s) => (s.isDirectory() ? 'directory' : 'file'),
        () => 'missing',
      ),
    writeProblem: async (path) => {
      const existing = await stat(path).catch(() => undefined);
      if (existing?.isDirectory()) return 'is a directory';
      if (existing)
        return access(path, constants.W_OK).then(
          () => undefined,
          () => 'is not writable (permission denied)',
        );
      const dir = dirname(path);
      const parent = await stat(dir).catch(() => undefined);
      if (!parent?.isDirectory()) return `cannot be created: ${dir} is not a directory`;
      return access(dir, constants.W_OK).then(
        () => undefined,
        () => `cannot be created: ${dir} is not writable`,
      );
    },
    // 0600: values files hold no secrets, but they describe infrastructure.
    writeText: (path, content) => writeFile(path, content, { mode: 0o600 }),
    ensureDir: async (path) => {
      await mkdir(path, { recursive: true, mode: 0o700 });
    },
    openLog: async (path) => {
      const stream = createWriteStream(path, { flags: 'w', mode: 0o600 });
      await new Promise<void>((resolve, reject) => stream.once('open', () => resolve()).once('error', reject));
      return {
        write: (line) => void stream.write(`${line}\n`),
        close: () => new Promise<void>((resolve) => stream.end(() => resolve())),
      };
    },
    writeArchive: (path, entries) => writeTarGz(path, entries),
  };
}
