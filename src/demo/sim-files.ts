import { posix } from 'node:path';
import type { FilesPort } from '../core/ports/files.js';
import type { GlabConfig } from '../core/ports/glab.js';
import { DEMO_GITLAB_URL } from './seed.js';
import type { DemoWorld } from './world.js';

/** "./a.yaml", "a.yaml" and "x/../a.yaml" name one file. */
export function normalizeFilePath(path: string): string {
  return posix.normalize(path.trim().replace(/\\/g, '/'));
}

/** Local files, in memory: demo-ca.pem is there; what the flow writes stays in the world, not on disk. */
export function createSimFiles(world: DemoWorld): FilesPort {
  return {
    readText: async (path) => {
      const text = world.files.get(normalizeFilePath(path));
      // Same wording as the local-files adapter.
      if (text === undefined) throw new Error('no such file');
      return text;
    },
    exists: async (path) => world.files.has(normalizeFilePath(path)),
    kind: async (path) => {
      const p = normalizeFilePath(path);
      if (world.files.has(p)) return 'file';
      return [...world.files.keys()].some((f) => f.startsWith(`${p.replace(/\/$/, '')}/`)) ? 'directory' : 'missing';
    },
    // The demo writes only into the world: every path can be written.
    writeProblem: async () => undefined,
    writeText: async (path, content) => {
      world.files.set(normalizeFilePath(path), content);
    },
    // Directories are implied by the paths of the files in them.
    ensureDir: async () => undefined,
    // As the local-files adapter: the file is (re)created on open, one newline-terminated line per write.
    openLog: async (path) => {
      const key = normalizeFilePath(path);
      world.files.set(key, '');
      let text = '';
      return {
        write: (line) => void (text += `${line}\n`),
        close: async () => void world.files.set(key, text),
      };
    },
    // The demo keeps an archive as its listing and texts, one file in the world.
    writeArchive: async (path, entries) => {
      world.files.set(normalizeFilePath(path), entries.map((e) => `=== ${e.name}\n${e.content}`).join('\n'));
    },
  };
}

/**
 * glab's configuration: the demo GitLab as default host and no stored token. The flow would then ask
 * for a token; the demo's env provides GITLAB_TOKEN instead (see createDemoDeps).
 */
export function createSimGlab(): GlabConfig {
  return { host: DEMO_GITLAB_URL, tokenFor: () => undefined };
}
