import { describe, expect, it } from 'vitest';
import type { FlowIO } from '../../src/core/kernel/io.js';
import type { AnswerOf, Question } from '../../src/core/kernel/questions.js';
import { askAdvancedChange } from '../../src/core/steps/settings/ask-advanced.js';

/** Takes every question's default, as a user pressing ⏎ does; a default its own check refuses is a dead end. */
function enterEverywhere(): FlowIO {
  return {
    asker: {
      async ask<Q extends Question>(q: Q): Promise<AnswerOf<Q>> {
        if (q.kind !== 'input') throw new Error(`unexpected ${q.kind} question ${q.id}`);
        const refused = q.validate?.(q.default ?? '');
        if (refused) throw new Error(`${q.id}: the release's own value is refused: ${refused}`);
        return (q.default ?? '') as AnswerOf<Q>;
      },
    },
    emit: () => undefined,
    signal: new AbortController().signal,
  };
}

describe("upgrade's advanced options keep the release's values as they are", () => {
  it('an annotation value with a comma and a Cookie header with ";" can be kept: ⏎ everywhere changes nothing', async () => {
    const current = { podAnnotation: ['example.com/note=a,b'], kasHeader: ['Cookie: a=1; b=2'], replicas: '3' };
    const change = await askAdvancedChange({}, async () => current, true, enterEverywhere());
    expect(change).toBeUndefined();
  });
});
