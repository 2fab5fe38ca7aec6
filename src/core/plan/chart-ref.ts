import semver from 'semver';

/** `--chart-version`: a version ("2.32.0", "v2.32.0") or a constraint helm accepts ("~2.32", ">=2.30 <3"). */
export function chartVersionProblem(v: string): string | undefined {
  if (v === '') return undefined;
  if (semver.valid(v.replace(/^v/, '')) || semver.validRange(v)) return undefined;
  return `"${v}" is neither a version nor a version constraint`;
}

/** `--chart-repo`: an http(s) URL with a host. */
export function chartRepoProblem(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return `"${url}" is not a URL`;
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return `"${url}" must be an http(s) URL (for oci:// use --chart)`;
  if (!u.hostname) return `"${url}" has no host`;
  return undefined;
}

/** `--chart` given as oci://: registry host, then a repository path (no tag: that is --chart-version). */
export function ociRefProblem(ref: string): string | undefined {
  if (!ref.startsWith('oci://')) return undefined;
  const rest = ref.slice('oci://'.length);
  const [host, ...path] = rest.split('/');
  if (!host || path.length === 0 || path.some((p) => p === '')) return `"${ref}" is not an OCI chart reference (oci://registry/path/chart)`;
  if (/:[^/]+$/.test(path.at(-1)!)) return `"${ref}" carries a tag; give the version with --chart-version`;
  return undefined;
}
