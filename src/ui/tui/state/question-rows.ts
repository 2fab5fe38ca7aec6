import type { Question } from '../../../core/kernel/questions.js';
import { wrappedRows } from './layout.js';
import type { QuestionDemand } from './live-budget.js';

/** A choice list shows at most this many rows of choices (plus "… more" lines). */
export const CHOICES_MAX = 10;
/** A search shows fewer: the field and the search status take rows too. */
export const SEARCH_RESULTS_MAX = 8;
/** The fewest choices a squeezed list shows. */
const CHOICES_MIN = 3;
/** What a validation message may wrap to. */
const ERROR_ROWS = 2;

/** The question's first line as drawn: `? message (Y/n) (--flag)`. */
function questionLine(q: Question): string {
  const suffix = q.kind === 'confirm' ? (q.default ? ' (Y/n)' : ' (y/N)') : '';
  return `${q.message}${suffix}${q.flag ? ` (${q.flag})` : ''}`;
}

/** Rows of a list of `count` choices showing at most `max`: the window plus "… more above/below". */
function listRows(count: number, max: number): number {
  return count <= max ? count : max + 2;
}

/** How many choices a list of `count` may show within `rows` rows (its "… more" lines included). */
export function visibleChoices(count: number, rows: number): number {
  return count <= rows ? count : Math.max(1, rows - 2);
}

/** The rows a question takes at `columns`, for the live area's budget (an upper bound). */
export function questionDemand(q: Question, columns: number): QuestionDemand {
  const header =
    1 + // the margin above the question
    wrappedRows(questionLine(q), columns, 2) +
    (q.problem ? wrappedRows(q.problem, columns, 4) : 0) +
    (q.help ? wrappedRows(q.help, columns, 2) : 0);
  switch (q.kind) {
    case 'confirm':
      return { fixed: header, choices: 0, minChoices: 0 };
    case 'input':
    case 'secret':
      return { fixed: header + 1 + ERROR_ROWS, choices: 0, minChoices: 0 };
    case 'select':
      return { fixed: header, choices: listRows(q.choices.length, CHOICES_MAX), minChoices: listRows(q.choices.length, CHOICES_MIN) };
    case 'multiselect':
      return {
        fixed: header + ERROR_ROWS,
        choices: listRows(q.choices.length, CHOICES_MAX),
        minChoices: listRows(q.choices.length, CHOICES_MIN),
      };
    case 'search':
      // Field, "searching…"/"no matches", the results (not known yet: as many as it shows), an error.
      return { fixed: header + 2 + ERROR_ROWS, choices: SEARCH_RESULTS_MAX + 2, minChoices: CHOICES_MIN + 2 };
  }
}
