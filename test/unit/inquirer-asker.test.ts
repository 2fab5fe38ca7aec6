import { describe, expect, it, vi } from 'vitest';

const select = vi.fn(async (config: { choices: { value: string; description?: string }[] }) => config.choices[1]!.value);
vi.mock('@inquirer/prompts', () => ({ select }));

const { InquirerAsker } = await import('../../src/ui/plain/inquirer-asker.js');

describe('plain-mode asker', () => {
  it('waits for live hints (context probes) before showing a select, then offers them', async () => {
    const asker = new InquirerAsker(1000);
    const answer = await asker.ask({
      kind: 'select',
      id: 'context',
      message: 'Which cluster?',
      choices: [
        { value: 'a', label: 'a', hint: 'probing…' },
        { value: 'b', label: 'b', hint: 'probing…' },
      ],
      liveHints: (onHint) => {
        const timers = [setTimeout(() => onHint('a', '✓ v1.35.8'), 10), setTimeout(() => onHint('b', '✗ unreachable'), 20)];
        return () => timers.forEach(clearTimeout);
      },
    });
    expect(answer).toBe('b');
    expect(select.mock.calls[0]![0].choices.map((c) => c.description)).toEqual(['✓ v1.35.8', '✗ unreachable']);
  });

  it('shows what it has after the wait when a probe never answers', async () => {
    select.mockClear();
    const asker = new InquirerAsker(50);
    await asker.ask({
      kind: 'select',
      id: 'context',
      message: 'Which cluster?',
      choices: [
        { value: 'a', label: 'a', hint: 'probing…' },
        { value: 'b', label: 'b', hint: 'probing…' },
      ],
      liveHints: (onHint) => {
        onHint('a', '✓ v1.35.8');
        return () => undefined;
      },
    });
    expect(select.mock.calls[0]![0].choices.map((c) => c.description)).toEqual(['✓ v1.35.8', 'probing…']);
  });
});
