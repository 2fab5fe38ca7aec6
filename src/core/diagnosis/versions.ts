import semver from 'semver';

/**
 * Versions as agentk and GitLab write them: image tags "v18.6.0", GitLab "18.1.1-ee", KAS "17.6.2+abc123",
 * pre-releases "17.5.0-rc42"/"17.4.0-pre". Only major.minor matter for the support window. Tags that are not
 * versions ("latest", "stable", digests) give undefined, never a guess.
 */
export function parseVersion(raw: string | null | undefined): semver.SemVer | undefined {
  if (!raw) return undefined;
  const text = raw.trim().replace(/^.*@sha256:[0-9a-f]+$/i, '');
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?([-+][0-9A-Za-z.+-]*)?$/.exec(text);
  if (!m) return undefined;
  return semver.parse(`${m[1]}.${m[2]}.${m[3] ?? '0'}${m[4] ?? ''}`, { loose: true }) ?? semver.coerce(text) ?? undefined;
}

/** The tag of an image reference: "registry/x/agentk:v18.6.0" → "v18.6.0"; none for digests or no tag. */
export function imageTag(image: string): string | undefined {
  const noDigest = image.split('@')[0] ?? image;
  const lastSlash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > lastSlash ? noDigest.slice(colon + 1) : undefined;
}

/**
 * The last minor of each GitLab major, so "one minor apart" also works across a major (17.11 → 18.0).
 * From GitLab's release history (13.12, 14.10, 15.11, 16.11, 17.11; 18.11 before 19.0 in May 2026).
 */
const LAST_MINOR: Record<number, number> = { 13: 12, 14: 10, 15: 11, 16: 11, 17: 11, 18: 11 };

/** Releases between two versions' major.minor, in release order; Infinity when unknown. */
export function minorDistance(a: semver.SemVer, b: semver.SemVer): number {
  if (a.major === b.major) return Math.abs(a.minor - b.minor);
  const [lo, hi] = a.major < b.major ? [a, b] : [b, a];
  if (hi.major - lo.major !== 1) return Infinity;
  const last = LAST_MINOR[lo.major];
  if (last === undefined) return Infinity;
  return last - lo.minor + hi.minor + 1;
}

export type SkewVerdict =
  | { kind: 'unknown'; why: string }
  | { kind: 'supported'; distance: number }
  | { kind: 'unsupported'; distance: number; agentNewer: boolean };

/** GitLab's policy: the same major.minor, or the previous or next minor (install doc "Updates and version compatibility"). */
export function skew(agentVersion: string | undefined, serverVersion: string | null | undefined): SkewVerdict {
  const agent = parseVersion(agentVersion);
  const server = parseVersion(serverVersion);
  if (!agent) return { kind: 'unknown', why: `cannot read a version from the agent image tag "${agentVersion ?? ''}"` };
  if (!server) return { kind: 'unknown', why: `cannot read the server version "${serverVersion ?? ''}"` };
  const distance = minorDistance(agent, server);
  if (distance <= 1) return { kind: 'supported', distance };
  const agentNewer = agent.major > server.major || (agent.major === server.major && agent.minor > server.minor);
  return { kind: 'unsupported', distance, agentNewer };
}

/** The tag to install for a server version: v<major>.<minor>.<patch> of KAS when it is a release, else v<major>.<minor>.0. */
export function recommendedTag(kasVersion: string | null | undefined, gitlabVersion: string | undefined): string | undefined {
  const kas = parseVersion(kasVersion);
  if (kas && !(kasVersion ?? '').includes('+')) return `v${kas.major}.${kas.minor}.${kas.patch}`;
  const gl = parseVersion(gitlabVersion) ?? kas;
  return gl ? `v${gl.major}.${gl.minor}.0` : undefined;
}
