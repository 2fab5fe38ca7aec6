import semver from 'semver';
import { isGitLabDotCom } from './urls.js';

interface MajorMinor {
  major: number;
  minor: number;
}

/** "18.1.1-ee", "v17.6.0", "17.4.0-pre" → {18,1}. */
function majorMinor(version: string | null | undefined): MajorMinor | undefined {
  if (!version) return undefined;
  const parsed = semver.coerce(version);
  return parsed ? { major: parsed.major, minor: parsed.minor } : undefined;
}

/** A release version: "17.6.2" or "v17.6.2", nothing after it ("17.6.2+abc123" is a build from a commit). */
const RELEASE = /^v?(\d+\.\d+\.\d+)$/;

/**
 * The agentk image tag GitLab's own install command uses (Gitlab::Kas.install_version_info), as far
 * as /metadata shows it: the KAS version, patch included, when it is a release; when KAS reports a
 * build from a commit ("17.6.2+<sha>") or nothing, GitLab's major.minor.0, which may be a few patches
 * behind. On GitLab.com the UI sets no tag, so the chart's appVersion is used, and so do we.
 */
export function recommendedImageTag(gitlabUrl: string, metadata: { version: string; kas: { version: string | null } }): string | undefined {
  if (isGitLabDotCom(gitlabUrl)) return undefined;
  const release = RELEASE.exec(metadata.kas.version?.trim() ?? '')?.[1];
  if (release) return `v${release}`;
  const mm = majorMinor(metadata.version);
  return mm ? `v${mm.major}.${mm.minor}.0` : undefined;
}

/** Supported: the same major.minor as GitLab, or one minor either side. */
export function imageTagSkewWarning(imageTag: string, gitlabVersion: string): string | undefined {
  const agent = majorMinor(imageTag);
  const gitlab = majorMinor(gitlabVersion);
  if (!agent || !gitlab) return undefined;
  if (agent.major === gitlab.major && Math.abs(agent.minor - gitlab.minor) <= 1) return undefined;
  return `agentk ${imageTag} is outside the supported range for GitLab ${gitlab.major}.${gitlab.minor} (the same minor, or one either side)`;
}

const MIN_HELM = '3.6.0';

export function helmVersionProblem(version: string): string | undefined {
  const v = semver.coerce(version);
  if (!v) return `cannot read the helm version from "${version}"`;
  return semver.lt(v, MIN_HELM) ? `helm ${v.version} is too old: the chart needs helm ${MIN_HELM} or newer` : undefined;
}

/** GitLab allows two active tokens per agent from 16.2 (16.1 behind a flag): before that there is no limit to resolve. */
export function hasTwoTokenLimit(gitlabVersion: string): boolean {
  const v = semver.coerce(gitlabVersion);
  return !v || semver.gte(v, '16.2.0');
}
