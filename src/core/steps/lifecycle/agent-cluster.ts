import type { FlowIO } from '../../kernel/io.js';
import type { StepRunner } from '../../kernel/step-runner.js';
import type { Ports } from '../../ports/index.js';
import { chooseContext, probeFailureMessage } from '../target/choose-context.js';

/** The "Kubernetes context" step of a command on an existing install: the context must answer. */
export async function chooseAgentCluster(
  steps: StepRunner,
  kubeconfig: string | undefined,
  wanted: string | undefined,
  ports: Ports,
  io: FlowIO,
): Promise<string> {
  const chosen = await steps.run(
    'context',
    'Kubernetes context',
    async (ctl) => {
      const c = await chooseContext({ kubeconfig }, wanted, ports, io, { message: 'Which cluster is the agent in?' });
      if (!c.probe.ok) throw probeFailureMessage(c.context.name, c.probe);
      ctl.detail(`${c.context.name} · Kubernetes ${c.probe.serverVersion}`);
      return c;
    },
    'the cluster probes',
  );
  return chosen.context.name;
}
