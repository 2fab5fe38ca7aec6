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

/**
 * The agentk image tag GitLab itself recommends (gitlab-facts §5): the KAS version, else the GitLab
 * version, with the patch zeroed. On GitLab.com the UI leaves the tag to the chart, and so do we.
 */
export function recommendedImageTag(
  gitlabUrl: string,
  metadata: { version: string; kas: { version: string | null } },
): string | undefined {
  if (isGitLabDotCom(gitlabUrl)) return undefined;
  const mm = majorMinor(metadata.kas.version) ?? majorMinor(metadata.version);
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
