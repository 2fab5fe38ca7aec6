import { findInstalls } from '../../discovery/find-installs.js';
import type { FlowIO } from '../../kernel/io.js';
import type { FlowOutcome } from '../../kernel/outcome.js';
import { StepRunner } from '../../kernel/step-runner.js';
import { toOutcome } from '../../kernel/to-outcome.js';
import { FlowError } from '../../kernel/errors.js';
import { validateOptions } from '../../options/catalogue.js';
import type { Ports } from '../../ports/index.js';
import { AgentResolver } from '../../steps/lifecycle/agent-ref.js';
import { chooseInstall } from '../../steps/lifecycle/choose-installs.js';
import { readLocalInputs } from '../../steps/settings/read-local-inputs.js';
import { chooseAgentCluster } from '../../steps/lifecycle/agent-cluster.js';
import { connectGitLab } from '../../steps/target/connect-gitlab.js';
import { ROTATE_OPTION_IDS, type RotateOptions } from './options.js';
import { rotateInstall, type RotateResult } from './rotate.js';

const GITLAB = 'a GitLab request';

/** rotate-token: pick an install of this tool, then rotate its agent token without downtime (rotate.ts). */
export async function runRotateToken(opts: RotateOptions, ports: Ports, io: FlowIO): Promise<FlowOutcome<RotateResult>> {
  const steps = new StepRunner(io.emit, io.signal);
  try {
    validateOptions(ROTATE_OPTION_IDS, opts);
    const local = await readLocalInputs({ values: [], gitlabCa: opts.gitlabCa, kasCaCert: undefined, allowExpiredCa: false }, ports.files);
    const source = { kubeconfig: opts.kubeconfig };
    const context = await chooseAgentCluster(steps, opts.kubeconfig, opts.context, ports, io);
    const cluster = await ports.kube.cluster(source, context);
    const installs = await steps.run(
      'discover',
      'Agent installs',
      async (ctl) => {
        const found = await findInstalls(cluster, ports.helm, { kubeconfig: opts.kubeconfig, context }, opts.namespace);
        ctl.detail(`${found.length} found`);
        return found;
      },
      'a Kubernetes request',
    );
    const install = await chooseInstall(
      installs,
      {
        release: opts.release,
        namespace: opts.namespace,
        verb: 'rotate the token of',
        consent: true,
        unusable: (i) =>
          !i.ours || i.token?.tokenId === undefined
            ? 'its token Secret is not one of this tool'
            : !i.deployment?.selector
              ? 'no agent Deployment'
              : undefined,
      },
      context,
      io,
    );
    const session = await steps.run(
      'gitlab',
      'GitLab',
      async (ctl) => {
        const s = await connectGitLab(opts.gitlabUrl, local.gitlabCa, ports, io);
        ctl.detail(`${s.client.url} · GitLab ${s.metadata.version} · signed in as ${s.user.username}`);
        return s;
      },
      GITLAB,
    );
    const found = await new AgentResolver(session.client, opts.project).resolve(install);
    if ('missing' in found)
      throw new FlowError('agent', `the GitLab agent of ${install.namespace}/${install.release ?? '?'} is unknown: ${found.missing}`);
    return await rotateInstall(install, found.ref, session, cluster, opts, ports, io);
  } catch (err) {
    return toOutcome(err, []) as FlowOutcome<RotateResult>;
  }
}
