import type { FlowIO } from '../../kernel/io.js';
import { optionSpec } from '../../options/catalogue.js';
import type { Problem } from '../../options/option.js';
import {
  advancedSettings,
  CHART_REPLICAS,
  type AdvancedOptionId,
  type AdvancedSettings,
  type AdvancedTexts,
} from '../../plan/advanced-options.js';
import type { AdvancedChange } from '../../plan/lifecycle/advanced-change.js';
import { askOption } from '../ask.js';

const SINGLE = ['replicas', 'requests', 'limits', 'priorityClass', 'kasTlsServerName'] as const;
const LISTS = ['nodeSelector', 'toleration', 'imagePullSecret', 'podLabel', 'podAnnotation', 'kasHeader'] as const;
/** The order the screen asks them in. */
const ASKED = [
  'replicas',
  'requests',
  'limits',
  'nodeSelector',
  'toleration',
  'priorityClass',
  'imagePullSecret',
  'podLabel',
  'podAnnotation',
  'kasHeader',
  'kasTlsServerName',
] as const satisfies readonly AdvancedOptionId[];

type ListId = (typeof LISTS)[number];
const isList = (id: AdvancedOptionId): id is ListId => (LISTS as readonly string[]).includes(id);

const text = (p: string | Problem | undefined) => (p === undefined ? undefined : typeof p === 'string' ? p : `${p.message} (${p.fix})`);

/** A list answer split into its items: headers by ";" (their values may hold commas), the rest by ",". */
function items(id: ListId, answer: string): string[] {
  return answer
    .split(id === 'kasHeader' ? ';' : ',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** An option's value as the screen shows it (a list joined the way `items` splits it); '' for none. */
function shown(id: AdvancedOptionId, texts: AdvancedTexts): string {
  const v = texts[id];
  if (v === undefined) return '';
  return typeof v === 'string' ? v : v.join(id === 'kasHeader' ? '; ' : ', ');
}

function anyGiven(given: AdvancedTexts): AdvancedOptionId[] {
  return ASKED.filter((id) => {
    const v = given[id];
    return Array.isArray(v) ? v.length > 0 : v !== undefined;
  });
}

/**
 * Each option asked in turn, its default the text `defaults` hold: the answers as texts ('' = none). The
 * default kept as it is stands unchecked and unsplit: a release's current value need not survive the
 * field's grammar (an annotation value with a comma, `Cookie: a=1; b=2`), and keeping it must be possible.
 */
async function askEach(io: FlowIO, defaults: AdvancedTexts): Promise<AdvancedTexts> {
  const answers: AdvancedTexts = {};
  for (const id of ASKED) {
    const problem = optionSpec(id).problem as ((v: string) => string | Problem | undefined) | undefined;
    const current = shown(id, defaults);
    if (isList(id)) {
      const answer = await askOption(io, id, current, (v) => {
        if (v === current) return undefined;
        for (const item of items(id, v)) {
          const bad = text(problem?.(item));
          if (bad) return bad;
        }
        return undefined;
      });
      const kept = defaults[id];
      answers[id] = answer === current && Array.isArray(kept) ? kept : items(id, answer);
    } else {
      answers[id] = await askOption(io, id, current, (v) => (v === '' || v === current ? undefined : text(problem?.(v))));
    }
  }
  return answers;
}

/** Empty answers mean "none", as the absent flag does. */
function withoutEmpty(texts: AdvancedTexts): AdvancedTexts {
  const out: AdvancedTexts = { ...texts };
  for (const id of SINGLE) if (out[id] === '') delete out[id];
  return out;
}

/**
 * The advanced options screen: one confirm (default no, so one key skips it), then each option with its
 * default shown. Not asked when any advanced flag was given: the flags are the answer.
 */
export async function askAdvanced(given: AdvancedTexts, io: FlowIO): Promise<AdvancedSettings> {
  if (anyGiven(given).length > 0) return advancedSettings(given);
  const change = await io.asker.ask({
    kind: 'confirm',
    id: 'advanced',
    message: 'Change advanced options? (replicas, resources, scheduling, pull secrets, pod metadata, KAS headers)',
    help: `Defaults: ${CHART_REPLICAS} replicas, no resources, any node, no tolerations, no PriorityClass, no pull secret, no extra labels, annotations or KAS headers.`,
    default: false,
  });
  if (!change) return advancedSettings({});
  const answers = withoutEmpty(await askEach(io, { replicas: String(CHART_REPLICAS) }));
  // The chart's own default is no answer to repeat.
  if (answers.replicas === String(CHART_REPLICAS)) delete answers.replicas;
  return advancedSettings(answers);
}

/**
 * An upgrade's advanced options: the given flags change exactly those options; otherwise, when `ask`
 * (the user picked them), the same questions as install, each defaulting to the release's current value
 * (`current`), and only an answer that differs from it is a change. Undefined: nothing changes.
 */
export async function askAdvancedChange(
  given: AdvancedTexts,
  current: () => Promise<AdvancedTexts>,
  ask: boolean,
  io: FlowIO,
): Promise<AdvancedChange | undefined> {
  const flags = anyGiven(given);
  if (flags.length > 0) return { settings: advancedSettings(given), changed: flags };
  if (!ask) return undefined;
  const now = await current();
  const defaults: AdvancedTexts = { ...now, replicas: now.replicas ?? String(CHART_REPLICAS) };
  const answers = await askEach(io, defaults);
  const changed = ASKED.filter((id) => shown(id, answers) !== shown(id, defaults));
  return changed.length > 0 ? { settings: advancedSettings(withoutEmpty(answers)), changed } : undefined;
}
