import semver from 'semver';

/**
 * How an agent's version stands against its GitLab's (gitlab-facts §5, the install doc's "Updates and
 * version compatibility"): the same major.minor is best; the previous and the next minor are supported,
 * the previous one is due for an upgrade; anything further away is unsupported.
 */
type SkewVerdict = 'ok' | 'upgrade-recommended' | 'unsupported' | 'unknown';

export interface VersionSkew {
  verdict: SkewVerdict;
  /** Minor releases the agent is ahead (+) or behind (−) GitLab; undefined when a version is unreadable. */
  minorsApart?: number;
  /** One line for the status table, e.g. "1 minor behind GitLab 18.6". */
  note: string;
}

/**
 * The last minor of each GitLab major, so 16.11 and 17.0 count as one minor apart. Majors not listed
 * (future ones) are assumed to end at .11, GitLab's yearly cadence since 15.
 */
const LAST_MINOR: Record<number, number> = { 12: 10, 13: 12, 14: 10, 15: 11, 16: 11, 17: 11, 18: 11 };
const lastMinor = (major: number) => LAST_MINOR[major] ?? 11;

interface Release {
  major: number;
  minor: number;
  prerelease: boolean;
}

/** "v18.6.0", "18.6.1-ee", "v18.7.0-rc2", "17.6.2+abc123" → major, minor and whether it is a pre-release. */
function release(version: string | null | undefined): Release | undefined {
  if (!version) return undefined;
  // "-ee" is GitLab's edition, not a pre-release; build metadata (+sha) is no version at all.
  const cleaned = version.trim().replace(/^v/i, '').replace(/\+.*$/, '').replace(/-ee$/i, '');
  const parsed = semver.parse(cleaned) ?? semver.coerce(cleaned);
  if (!parsed) return undefined;
  return { major: parsed.major, minor: parsed.minor, prerelease: parsed.prerelease.length > 0 };
}

/** A running count of minor releases across majors. */
function minorIndex(r: Release): number {
  let index = r.minor;
  for (let m = 1; m < r.major; m++) index += lastMinor(m) + 1;
  return index;
}

export function versionSkew(agentVersion: string | null | undefined, gitlabVersion: string | null | undefined): VersionSkew {
  const agent = release(agentVersion);
  const gitlab = release(gitlabVersion);
  if (!agent || !gitlab) return { verdict: 'unknown', note: !agent ? 'agent version unknown' : 'GitLab version unknown' };
  const apart = minorIndex(agent) - minorIndex(gitlab);
  const pre = agent.prerelease ? ' (pre-release)' : '';
  const of = `GitLab ${gitlab.major}.${gitlab.minor}`;
  if (apart === 0) return { verdict: 'ok', minorsApart: 0, note: `matches ${of}${pre}` };
  if (apart === 1) return { verdict: 'ok', minorsApart: 1, note: `1 minor ahead of ${of} (supported)${pre}` };
  if (apart === -1) return { verdict: 'upgrade-recommended', minorsApart: -1, note: `1 minor behind ${of}: upgrade recommended${pre}` };
  const words = apart > 0 ? `${apart} minors ahead of` : `${-apart} minors behind`;
  return { verdict: 'unsupported', minorsApart: apart, note: `${words} ${of}: unsupported${pre}` };
}
