/**
 * The parts of a container image reference (distribution spec): a repository `[host[:port]/]path` of
 * lowercase components, and a tag of up to 128 word characters, dots and dashes.
 */
const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const HOST = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::\d+)?$/;
const TAG = /^[\w][\w.-]{0,127}$/;

export function imageTagProblem(tag: string): string | undefined {
  if (tag === '') return undefined; // empty: the chart's appVersion
  if (tag.includes(':') || tag.includes('@')) return `"${tag}" is a whole image reference, not a tag`;
  return TAG.test(tag)
    ? undefined
    : `"${tag}" is not an image tag (letters, digits, "_", "." and "-", at most 128, not starting with "." or "-")`;
}

export function imageRepositoryProblem(repo: string): string | undefined {
  if (repo.includes('@')) return `"${repo}" has a digest; give the repository only`;
  const parts = repo.split('/');
  // A first part with a dot or port, or "localhost", is a registry host (as docker and containerd read it).
  const first = parts[0] ?? '';
  const hasHost = parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (hasHost && !HOST.test(first)) return `"${first}" is not a registry host`;
  const path = hasHost ? parts.slice(1) : parts;
  if (path.length === 0 || path.some((p) => !COMPONENT.test(p))) {
    const tagged = /:[^/]*$/.test(repo) ? ' (the tag goes in --image-tag)' : '';
    return `"${repo}" is not an image repository: lowercase letters, digits and separators, parts split by "/"${tagged}`;
  }
  return undefined;
}
