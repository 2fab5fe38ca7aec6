import type { FlowIO } from '../../kernel/io.js';
import { imageTagSkewWarning } from '../../plan/versions.js';
import { askOption } from '../ask.js';

export interface ImageTagContext {
  given?: string;
  /** What GitLab itself would install; undefined on GitLab.com (the chart's appVersion). */
  recommended?: string;
  gitlabVersion: string;
}

/** The agentk image tag: GitLab's recommendation as the default; a tag outside ±1 minor is a warning, not an error. */
export async function askImageTag(c: ImageTagContext, io: FlowIO, warnings: string[]): Promise<string | undefined> {
  const tag =
    c.given ??
    (await askOption(io, 'imageTag', c.recommended ?? '', undefined, {
      help: c.recommended
        ? `Matches GitLab ${c.gitlabVersion} (same major.minor; one minor either side is supported). Empty = the chart's appVersion.`
        : "Empty = the chart's appVersion (what GitLab.com does).",
    }));
  if (tag) {
    const skew = imageTagSkewWarning(tag, c.gitlabVersion);
    if (skew) warnings.push(skew);
  }
  return tag || undefined;
}
