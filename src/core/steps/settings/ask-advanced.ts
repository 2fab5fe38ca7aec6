import type { FlowIO } from '../../kernel/io.js';
import { optionSpec } from '../../options/catalogue.js';
import type { Problem } from '../../options/option.js';
import type { OptionValues } from '../../options/values.js';
import { advancedSettings, CHART_REPLICAS, type AdvancedSettings } from '../../plan/advanced-options.js';
import { askOption } from '../ask.js';

const SINGLE = ['replicas', 'requests', 'limits', 'priorityClass', 'kasTlsServerName'] as const;
const LISTS = ['nodeSelector', 'toleration', 'imagePullSecret', 'podLabel', 'podAnnotation', 'kasHeader'] as const;
/** The order the screen asks them in. */
const ASKED = ['replicas', 'requests', 'limits', 'nodeSelector', 'toleration', 'priorityClass', 'imagePullSecret', 'podLabel', 'podAnnotation', 'kasHeader', 'kasTlsServerName'] as const;

export type AdvancedOptions = Pick<OptionValues, (typeof ASKED)[number]>;
type ListId = (typeof LISTS)[number];

const text = (p: string | Problem | undefined) => (p === undefined ? undefined : typeof p === 'string' ? p : `${p.message} (${p.fix})`);

/** A list answer split into its items: headers by ";" (their values may hold commas), the rest by ",". */
function items(id: ListId, answer: string): string[] {
  return answer
    .split(id === 'kasHeader' ? ';' : ',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/**
 * The advanced options screen: one confirm (default no, so one key skips it), then each option with its
 * default shown. Not asked when any advanced flag was given: the flags are the answer.
 */
export async function askAdvanced(given: AdvancedOptions, io: FlowIO): Promise<AdvancedSettings> {
  const anyGiven = ASKED.some((id) => {
    const v = given[id];
    return Array.isArray(v) ? v.length > 0 : v !== undefined;
  });
  if (anyGiven) return advancedSettings(given);
  const change = await io.asker.ask({
    kind: 'confirm',
    id: 'advanced',
    message: 'Change advanced options? (replicas, resources, scheduling, pull secrets, pod metadata, KAS headers)',
    help: `Defaults: ${CHART_REPLICAS} replicas, no resources, any node, no tolerations, no PriorityClass, no pull secret, no extra labels, annotations or KAS headers.`,
    default: false,
  });
  if (!change) return advancedSettings({});
  const answers: AdvancedOptions = {};
  for (const id of ASKED) {
    const spec = optionSpec(id);
    const problem = spec.problem as ((v: string) => string | Problem | undefined) | undefined;
    if ((LISTS as readonly string[]).includes(id)) {
      const listId = id as ListId;
      const answer = await askOption(io, id, '', (v) => {
        for (const item of items(listId, v)) {
          const bad = text(problem?.(item));
          if (bad) return bad;
        }
        return undefined;
      });
      answers[listId] = items(listId, answer);
    } else {
      const single = id as (typeof SINGLE)[number];
      const def = single === 'replicas' ? String(CHART_REPLICAS) : '';
      const answer = await askOption(io, id, def, (v) => (v === '' ? undefined : text(problem?.(v))));
      // The chart's own default is no answer to repeat.
      answers[single] = answer === '' || (single === 'replicas' && answer === String(CHART_REPLICAS)) ? undefined : answer;
    }
  }
  return advancedSettings(answers);
}
