import type { FlowIO } from '../../kernel/io.js';
import type { OptionValues } from '../../options/values.js';
import type { RbacChoice } from '../../plan/agent-settings.js';
import { aboutOption, askOption } from '../ask.js';

type RbacOptions = Pick<OptionValues, 'noRbac' | 'existingRole' | 'serviceAccount'>;

/** What the agent may do in the cluster: cluster-admin (chart default, warned), an existing ClusterRole, or nothing. */
export async function askRbac(given: RbacOptions, io: FlowIO, warnings: string[]): Promise<RbacChoice> {
  let rbac: RbacChoice;
  if (given.noRbac) rbac = { mode: 'none' };
  else if (given.existingRole) rbac = { mode: 'existing-role', role: given.existingRole };
  // With their own service account, people bind it themselves or keep the chart default: no question.
  else if (given.serviceAccount !== undefined) rbac = { mode: 'cluster-admin' };
  else {
    const mode = await io.asker.ask({
      kind: 'select',
      ...aboutOption('existingRole'),
      id: 'rbac',
      message: 'What may the agent do in the cluster?',
      help: 'cluster-admin is the chart default; GitLab advises a narrower role in production.',
      choices: [
        { value: 'cluster-admin', label: 'cluster-admin', hint: 'chart default; not for production' },
        { value: 'existing-role', label: 'an existing ClusterRole', hint: 'bind a role you created' },
        { value: 'none', label: 'no binding', hint: 'you create the ClusterRoleBinding yourself' },
      ],
      default: 'cluster-admin',
    });
    if (mode === 'existing-role')
      rbac = { mode, role: await askOption(io, 'existingRole', '', (v) => (v ? undefined : 'enter a role name')) };
    else rbac = { mode: mode === 'none' ? 'none' : 'cluster-admin' };
  }
  if (rbac.mode === 'cluster-admin') {
    warnings.push(
      'The agent gets cluster-admin: fine for a trial, but for production bind a narrower role (--existing-role) (GitLab docs).',
    );
  }
  return rbac;
}
