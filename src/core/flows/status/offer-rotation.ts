import { installKey } from '../../discovery/agent-install.js';
import type { FlowIO } from '../../kernel/io.js';
import type { FlowOutcome } from '../../kernel/outcome.js';
import { toOutcome } from '../../kernel/to-outcome.js';
import { installName } from '../../plan/lifecycle/install-health.js';
import type { Ports } from '../../ports/index.js';
import type { GitLabSession } from '../../steps/target/connect-gitlab.js';
import type { RotationSettings } from '../rotate-token/options.js';
import type { InstallStatus } from './install-status.js';

/** Rotation needs a ready wait and a connection wait; status has no flags for them, so install's defaults. */
const ROTATION_DEFAULTS: RotationSettings = { timeoutMs: 5 * 60_000, connectTimeoutMs: 3 * 60_000 };

/**
 * After the table: offer to rotate the token of one install this tool made (default: no, so flag mode
 * and --output json stay read-only). Returns the rotation's outcome when one ran.
 */
export async function offerRotation(
  statuses: InstallStatus[],
  session: GitLabSession,
  opts: { kubeconfig?: string },
  ports: Ports,
  io: FlowIO,
): Promise<FlowOutcome | undefined> {
  const rotatable = statuses.filter(
    (s) => s.gitlab.known && s.install.ours && s.install.token?.tokenId !== undefined && s.install.deployment?.selector,
  );
  if (rotatable.length === 0) return undefined;
  const picked = await io.asker.ask({
    kind: 'select',
    id: 'rotate',
    message: 'Rotate the agent token of one of these installs?',
    help: 'A new token, a rolling restart, the old token revoked once GitLab sees the new one: no downtime.',
    choices: [
      { value: 'no', label: 'no', hint: 'leave everything as it is' },
      ...rotatable.map((s) => ({
        value: installKey(s.install),
        label: `${s.install.context} · ${installName(s.install)}`,
        hint: `token ${s.token.text}`,
      })),
    ],
    default: 'no',
  });
  const chosen = rotatable.find((s) => installKey(s.install) === picked);
  if (!chosen || !chosen.gitlab.known) return undefined;
  const { rotateInstall } = await import('../rotate-token/rotate.js');
  try {
    const cluster = await ports.kube.cluster({ kubeconfig: opts.kubeconfig }, chosen.install.context);
    return await rotateInstall(chosen.install, chosen.gitlab.agent, session, cluster, ROTATION_DEFAULTS, ports, io);
  } catch (err) {
    return toOutcome(err, []);
  }
}
