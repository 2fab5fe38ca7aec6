import type { FlowEvent } from './events.js';
import type { FlowOutcome } from './outcome.js';
import type { Question } from './questions.js';
import { liveSecretValues } from './secret.js';

const REDACTED = '********';

/** Every live secret of the run (the GitLab token, each agent token, their base64 forms) replaced by a mask. */
export function redact(text: string): string {
  let out = text;
  for (const value of liveSecretValues()) if (out.includes(value)) out = out.split(value).join(REDACTED);
  return out;
}

// C0 controls (but tab), DEL and C1 controls: each could move the cursor, set a title or start an escape sequence.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g;

/**
 * Control characters made visible (ESC as \x1b, a newline as \n), so that no server, proxy, log line or
 * pasted value can clear the screen, set the title, or forge a line of our own output. Tabs become spaces.
 */
function escapeControls(text: string): string {
  return text
    .replace(/\t/g, '  ')
    .replace(CONTROL, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
}

/** What a front end may print of any string that came from outside: redacted, then escaped. */
export function safeText(text: string): string {
  return escapeControls(redact(text));
}

/** Every string in plain data (events, outcomes: no functions, no class instances but Date). */
function mapStrings<T>(value: T, fn: (s: string) => string): T {
  if (typeof value === 'string') return fn(value) as T;
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, fn)) as T;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, fn)])) as T;
  }
  return value;
}

/** Our own multi-line text (a script, a detail block): each line made safe, the line breaks kept. */
function safeLines(text: string): string {
  return text.split('\n').map(safeText).join('\n');
}

/** Every string made safe; the review's script keeps its lines (it is ours, and meant to be pasted). */
export function safeEvent<E extends FlowEvent>(event: E): E {
  if (event.type === 'review') return { ...mapStrings(event, safeText), command: safeLines(event.command) };
  return mapStrings(event, safeText);
}

/**
 * An outcome for the screen: every text redacted and escaped. A detail may span lines (the dry run's
 * script); the headline, where outside messages land, never does.
 */
export function safeOutcome(outcome: FlowOutcome): FlowOutcome {
  const sections = outcome.sections?.map((s) =>
    s.kind === 'code' ? { ...mapStrings(s, safeText), text: safeLines(s.text) } : mapStrings(s, safeText),
  );
  return { ...mapStrings(outcome, safeText), details: outcome.details.map(safeLines), ...(sections ? { sections } : {}) };
}

/** An outcome for a file or `--output json`: redacted (JSON escapes control characters itself). */
export function redactedOutcome(outcome: FlowOutcome): FlowOutcome {
  return mapStrings(outcome, redact);
}

/**
 * A question as a front end shows it: message, help, labels and hints made safe. Values (what the
 * answer is) stay as they are; search results and live hints are made safe as they arrive.
 */
export function safeQuestion<Q extends Question>(q: Q): Q {
  const text = (s: string | undefined) => (s === undefined ? undefined : safeText(s));
  const base = { ...q, message: safeText(q.message), help: text(q.help), problem: text(q.problem) };
  switch (q.kind) {
    case 'select':
      return {
        ...base,
        choices: q.choices.map((c) => ({ ...c, label: safeText(c.label), hint: text(c.hint), disabled: text(c.disabled) })),
        ...(q.liveHints
          ? { liveHints: (onHint: (value: string, hint: string) => void) => q.liveHints!((v, h) => onHint(v, safeText(h))) }
          : {}),
      } as Q;
    case 'multiselect':
      return {
        ...base,
        choices: q.choices.map((c) => ({ ...c, label: safeText(c.label), hint: text(c.hint), disabled: text(c.disabled) })),
      } as Q;
    case 'search':
      return {
        ...base,
        source: async (term: string, signal: AbortSignal) =>
          (await q.source(term, signal)).map((c) => ({ ...c, label: safeText(c.label), hint: text(c.hint), disabled: text(c.disabled) })),
      } as Q;
    default:
      return base as Q;
  }
}
