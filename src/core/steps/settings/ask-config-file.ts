import type { FlowIO } from '../../kernel/io.js';
import type { SelectQuestion } from '../../kernel/questions.js';
import type { CreateConfigChoice } from '../../plan/choices.js';
import { agentConfigPath } from '../../plan/agent-config.js';
import { aboutOption } from '../ask.js';

/** Whether to commit .gitlab/agents/<agent>/config.yaml, and with which access; "none" is the default. */
export async function askConfigFile(
  given: string | undefined,
  agentName: string,
  projectPath: string,
  io: FlowIO,
): Promise<CreateConfigChoice> {
  if (given !== undefined) return given as CreateConfigChoice;
  return io.asker.ask<SelectQuestion<CreateConfigChoice>>({
    kind: 'select',
    ...aboutOption('createConfig'),
    message: `Commit ${agentConfigPath(agentName)} to ${projectPath}?`,
    help: 'Optional. Needed to let CI/CD jobs or users of this project reach the cluster.',
    choices: [
      { value: 'none', label: 'no', hint: 'keep or add it yourself' },
      { value: 'empty', label: 'an empty file' },
      { value: 'ci-access', label: 'with ci_access for this project', hint: 'CI/CD jobs can use the agent' },
      { value: 'user-access', label: 'with user_access for this project', hint: 'members can use the Kubernetes dashboard' },
    ],
    default: 'none',
  });
}
