import { readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { isMap, isScalar, parseDocument, type YAMLMap } from 'yaml';
import type { GlabConfig } from '../../core/ports/glab.js';
import { Secret } from '../../core/kernel/secret.js';

/**
 * glab's config files in glab's own search order (internal/config/config_file.go):
 * $GLAB_CONFIG_DIR alone when set; else the legacy ~/.config/glab-cli, then the XDG config
 * home (macOS and Windows have their own defaults), then the XDG system dirs.
 */
export function glabConfigCandidates(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string[] {
  if (env.GLAB_CONFIG_DIR) return [join(env.GLAB_CONFIG_DIR, 'config.yml')];
  const home = env.HOME || env.USERPROFILE || homedir();
  const defaultConfigHome =
    platform === 'darwin'
      ? join(home, 'Library', 'Application Support')
      : platform === 'win32'
        ? (env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'))
        : join(home, '.config');
  const systemDirs = (env.XDG_CONFIG_DIRS || (platform === 'linux' ? '/etc/xdg' : ''))
    .split(platform === 'win32' ? ';' : ':')
    .filter((dir) => dir !== '');
  const dirs = [join(home, '.config'), env.XDG_CONFIG_HOME || defaultConfigHome, ...systemDirs];
  return [...new Set(dirs.map((dir) => join(dir, 'glab-cli', 'config.yml')))];
}

interface HostEntry {
  key: string;
  apiHost?: string;
  apiProtocol?: string;
  token?: string;
}

/** A scalar's text as written: glab tags tokens `!!null glpat-…`, and a numeric token must keep its digits. */
function text(map: YAMLMap, key: string): string | undefined {
  const node = map.get(key, true);
  if (!isScalar(node) || node.value === null || node.value === undefined) return undefined;
  const value = typeof node.source === 'string' && node.source !== '' ? node.source : String(node.value);
  return value.trim() === '' ? undefined : value.trim();
}

/** Lower-cased host[:port] from "gitlab.example.com", "https://gitlab.example.com/" or a URL host. */
function normalizeHost(host: string): string {
  const trimmed = host.trim().toLowerCase();
  try {
    return /^[a-z]+:\/\//.test(trimmed) ? new URL(trimmed).host : trimmed.replace(/\/.*$/, '');
  } catch {
    return trimmed;
  }
}

function parseConfig(source: string, path: string): GlabConfig {
  const doc = parseDocument(source);
  if (doc.errors.length > 0 || !isMap(doc.contents)) return { path, tokenFor: () => undefined };
  const root = doc.contents;
  const hostsNode = root.get('hosts', true);
  const entries: HostEntry[] = [];
  if (isMap(hostsNode)) {
    for (const item of hostsNode.items) {
      const key = isScalar(item.key) ? String(item.key.value) : undefined;
      if (!key || !isMap(item.value)) continue;
      entries.push({
        key: normalizeHost(key),
        apiHost: text(item.value, 'api_host'),
        apiProtocol: text(item.value, 'api_protocol'),
        token: text(item.value, 'token'),
      });
    }
  }
  const defaultHost = text(root, 'host');
  const defaultEntry = defaultHost ? entries.find((e) => e.key === normalizeHost(defaultHost)) : undefined;
  return {
    path,
    hosts: entries.map((e) => `${e.apiProtocol === 'http' ? 'http' : 'https'}://${e.key}`),
    // http only when glab was told so; the core assumes https for a bare host.
    host: defaultHost && defaultEntry?.apiProtocol === 'http' ? `http://${defaultHost}` : defaultHost,
    tokenFor(host: string): Secret | undefined {
      const wanted = normalizeHost(host);
      const entry = entries.find((e) => e.key === wanted) ?? entries.find((e) => e.apiHost && normalizeHost(e.apiHost) === wanted);
      return entry?.token ? new Secret(entry.token) : undefined;
    },
  };
}

async function firstExisting(paths: string[]): Promise<string | undefined> {
  for (const path of paths) {
    if (
      await stat(path).then(
        (s) => s.isFile(),
        () => false,
      )
    )
      return path;
  }
  return undefined;
}

/**
 * glab's default host and per-host tokens. A missing, unreadable or broken file is the same as
 * no glab at all: the caller falls back to env, then asks.
 */
export async function readGlabConfig(env: NodeJS.ProcessEnv = process.env): Promise<GlabConfig> {
  const path = await firstExisting(glabConfigCandidates(env));
  if (!path) return { tokenFor: () => undefined };
  const source = await readFile(path, 'utf8').catch(() => undefined);
  return source === undefined ? { tokenFor: () => undefined } : parseConfig(source, path);
}
