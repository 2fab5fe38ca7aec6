/**
 * Paths in the Git repository Flux reconciles, as Flux reads them: a Kustomization's spec.path is
 * relative to the repository root, "./" (or empty) being the root itself.
 */

/** "./clusters/prod/" → "clusters/prod"; "./" and "" → "" (the root). */
export function normalizeRepoPath(path: string): string {
  return path
    .trim()
    .replace(/\\/g, '/')
    .split('/')
    .filter((part) => part !== '' && part !== '.')
    .join('/');
}

/** A path we may commit under: relative, inside the repository. */
export function fluxPathProblem(path: string): string | undefined {
  if (path.trim().startsWith('/')) return 'the manifest path is relative to the repository root, not absolute';
  if (normalizeRepoPath(path).split('/').includes('..')) return 'the manifest path must stay inside the repository ("..")';
  return undefined;
}

/** Whether Flux reconciling `fluxPath` applies what is committed under `manifestPath`. */
export function pathCovers(fluxPath: string, manifestPath: string): boolean {
  const root = normalizeRepoPath(fluxPath);
  const under = normalizeRepoPath(manifestPath);
  return root === '' || under === root || under.startsWith(`${root}/`);
}

/** Joins repository path parts, leaving out the root's empty one. */
export function repoJoin(...parts: string[]): string {
  return parts
    .map(normalizeRepoPath)
    .filter((p) => p !== '')
    .join('/');
}

/**
 * Whether a GitRepository URL is this GitLab project: https://host/group/project(.git) or
 * ssh://git@host(:port)/group/project(.git), as flux bootstrap gitlab writes them. Hosts compare
 * without ports (SSH usually listens elsewhere than HTTPS); paths case-insensitively, as GitLab does.
 */
export function repoUrlIsProject(repoUrl: string, gitlabUrl: string, projectPath: string): boolean {
  const parsed = parseRepoUrl(repoUrl);
  if (!parsed) return false;
  let host: string;
  let base: string;
  try {
    const g = new URL(gitlabUrl);
    host = g.hostname.toLowerCase();
    base = normalizeRepoPath(g.pathname);
  } catch {
    return false;
  }
  const wanted = repoJoin(base, projectPath).toLowerCase();
  return parsed.host === host && (parsed.path === wanted || parsed.path === projectPath.toLowerCase());
}

function parseRepoUrl(url: string): { host: string; path: string } | undefined {
  const trimmed = url.trim();
  // scp-like: git@host:group/project.git
  const scp = /^[^@/\s]+@([^:/\s]+):(.+)$/.exec(trimmed);
  if (scp && !trimmed.includes('://')) return { host: scp[1]!.toLowerCase(), path: cleanPath(scp[2]!) };
  try {
    const u = new URL(trimmed);
    return { host: u.hostname.toLowerCase(), path: cleanPath(u.pathname) };
  } catch {
    return undefined;
  }
}

function cleanPath(path: string): string {
  return normalizeRepoPath(decodeURIComponent(path))
    .replace(/\.git$/, '')
    .toLowerCase();
}
