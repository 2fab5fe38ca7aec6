import { describe, expect, it } from 'vitest';
import type { Question } from '../../src/core/kernel/questions.js';
import { wrappedRows } from '../../src/ui/tui/state/layout.js';
import { planLiveArea, readinessPlanRows, type LiveDemand, type ReadinessDemand } from '../../src/ui/tui/state/live-budget.js';
import { questionDemand, visibleChoices } from '../../src/ui/tui/state/question-rows.js';

const long =
  'cannot pull image registry.gitlab.com/gitlab-org/cluster-integration/gitlab-agent/agentk:does-not-exist (rpc error: code = NotFound desc = failed to pull and unpack image)';
const readiness = (pods: number, findings: number): ReadinessDemand => ({
  pods,
  findings: Array.from({ length: findings }, (_, i) => ({
    summary: `ErrImagePull: pod-${i}: ${long}`,
    next: i === 0 ? 'Check --image-tag and --image-repository (the tag must exist, with its v prefix)' : undefined,
  })),
});

/** Rows the live area takes with this plan, counted the way the components draw it. */
function drawnRows(d: LiveDemand, plan: ReturnType<typeof planLiveArea>): number {
  const question = d.question ? d.question.fixed + plan.choiceRows : 0;
  const r = d.readiness && plan.readiness ? readinessPlanRows(d.readiness, plan.readiness, d.columns) : 0;
  return d.fixed + question + plan.steps + r + (plan.logLines > 0 ? 2 + plan.logLines : 0);
}

describe('planLiveArea', () => {
  it('never plans more than rows - 1, whatever streams in, at any size', () => {
    for (const rows of [10, 16, 24, 30, 50]) {
      for (const columns of [40, 60, 80, 100, 200]) {
        for (const [pods, findings] of [
          [0, 0],
          [2, 2],
          [12, 6],
          [40, 20],
        ] as const) {
          for (const question of [undefined, { fixed: 3, choices: 12, minChoices: 5 }, { fixed: 2, choices: 0, minChoices: 0 }]) {
            const d: LiveDemand = { rows, columns, fixed: 4, question, steps: 3, readiness: readiness(pods, findings), logLines: 5000 };
            const plan = planLiveArea(d);
            const drawn = drawnRows(d, plan);
            expect(plan.total, JSON.stringify({ rows, columns, pods, findings, question })).toBe(drawn);
            if (d.fixed + (question ? question.fixed + question.minChoices : 0) <= rows - 1) expect(drawn).toBeLessThanOrEqual(rows - 1);
          }
        }
      }
    }
  });

  it('serves the question first, then the steps, then readiness, then the helm tail', () => {
    const d: LiveDemand = {
      rows: 24,
      columns: 80,
      fixed: 4,
      question: { fixed: 4, choices: 12, minChoices: 5 },
      steps: 2,
      readiness: readiness(2, 1),
      logLines: 300,
    };
    const plan = planLiveArea(d);
    expect(plan.choiceRows).toBe(12);
    expect(plan.steps).toBe(2);
    // 23 - 4 - 16 - 2 = 1 row left: not even the panel's head
    expect(plan.readiness).toBeUndefined();
    expect(plan.logLines).toBe(0);

    const free = planLiveArea({ ...d, question: undefined });
    expect(free.steps).toBe(2);
    // the finding wrapped at 80 columns under "  ✗ "
    expect(free.readiness).toEqual({ pods: 2, findings: 1, wrap: true });
    const panel = 3 + 2 + wrappedRows(`ErrImagePull: pod-0: ${long}`, 80, 4) + wrappedRows(d.readiness!.findings[0]!.next!, 80, 6);
    expect(readinessPlanRows(d.readiness!, free.readiness!, 80)).toBe(panel);
    expect(free.logLines).toBe(Math.min(15, 23 - 4 - 2 - panel - 2));
  });

  it('cuts findings to one row, then drops findings, then pods, before dropping the panel', () => {
    const d: LiveDemand = { rows: 24, columns: 80, fixed: 4, steps: 0, readiness: readiness(4, 4), logLines: 0 };
    expect(planLiveArea(d).readiness).toEqual({ pods: 4, findings: 4, wrap: false });
    expect(planLiveArea({ ...d, rows: 15 }).readiness).toEqual({ pods: 4, findings: 1, wrap: false });
    expect(planLiveArea({ ...d, rows: 12 }).readiness).toEqual({ pods: 2, findings: 0, wrap: false });
    expect(planLiveArea({ ...d, rows: 7 }).readiness).toBeUndefined();
  });

  it('shrinks a long choice list to fit, never below its minimum', () => {
    const d: LiveDemand = { rows: 16, columns: 80, fixed: 4, question: { fixed: 3, choices: 12, minChoices: 5 }, steps: 4, logLines: 0 };
    const plan = planLiveArea(d);
    expect(plan.choiceRows).toBe(8);
    expect(plan.steps).toBe(0);
    expect(planLiveArea({ ...d, rows: 8 }).choiceRows).toBe(5);
  });
});

describe('questionDemand', () => {
  const select = (n: number): Question => ({
    kind: 'select',
    id: 's',
    message: 'Pick one',
    help: 'help text',
    choices: Array.from({ length: n }, (_, i) => ({ value: `c${i}`, label: `c${i}` })),
  });

  it('counts margin, wrapped message and help, and the choice window', () => {
    expect(questionDemand(select(4), 80)).toEqual({ fixed: 3, choices: 4, minChoices: 5 > 4 ? 5 : 4 });
    expect(questionDemand(select(30), 80)).toEqual({ fixed: 3, choices: 12, minChoices: 5 });
    const wordy: Question = { kind: 'confirm', id: 'c', message: 'x '.repeat(60).trim(), default: false };
    expect(questionDemand(wordy, 40).fixed).toBe(1 + wrappedRows(`${'x '.repeat(60).trim()} (y/N)`, 40, 2));
  });

  it('turns granted rows into a window that fits with its "more" lines', () => {
    expect(visibleChoices(4, 10)).toBe(4);
    expect(visibleChoices(30, 10)).toBe(8);
    expect(visibleChoices(30, 2)).toBe(1);
  });
});
