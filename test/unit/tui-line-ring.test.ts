import { describe, expect, it } from 'vitest';
import { LineRing } from '../../src/ui/tui/state/line-ring.js';
import { redact, safeEvent, safeOutcome, safeText } from '../../src/core/kernel/safe-text.js';
import { Secret } from '../../src/core/kernel/secret.js';

describe('LineRing', () => {
  it('keeps the newest items oldest-first and counts everything pushed', () => {
    const ring = new LineRing<number>(3);
    expect(ring.toArray()).toEqual([]);
    ring.push(1);
    ring.push(2);
    expect(ring.toArray()).toEqual([1, 2]);
    for (let i = 3; i <= 10; i++) ring.push(i);
    expect(ring.toArray()).toEqual([8, 9, 10]);
    expect(ring.size).toBe(3);
    expect(ring.total).toBe(10);
  });

  it('returns at most the last n items', () => {
    const ring = new LineRing<string>(5);
    for (const s of ['a', 'b', 'c', 'd', 'e', 'f']) ring.push(s);
    expect(ring.toArray(2)).toEqual(['e', 'f']);
    expect(ring.toArray(99)).toEqual(['b', 'c', 'd', 'e', 'f']);
    expect(ring.toArray(0)).toEqual([]);
  });

  it('stays bounded under a flood', () => {
    const ring = new LineRing<string>(15);
    for (let i = 0; i < 100_000; i++) ring.push(`line ${i}`);
    expect(ring.toArray()).toHaveLength(15);
    expect(ring.toArray().at(-1)).toBe('line 99999');
    expect(ring.total).toBe(100_000);
  });

  it('rejects a capacity below 1', () => {
    expect(() => new LineRing(0)).toThrow(RangeError);
  });
});

describe('safeText: what any front end prints of an outside string', () => {
  it('shows control characters instead of obeying them, so nothing can recolor, erase, retitle or forge a line', () => {
    expect(safeText('\u001B[32mok\u001B[0m\tdone')).toBe('\\x1b[32mok\\x1b[0m  done');
    expect(safeText('progress 10%\rprogress 20%')).toBe('progress 10%\\rprogress 20%');
    expect(safeText('\u001B]0;pwned\u0007title')).toBe('\\x1b]0;pwned\\x07title');
    expect(safeText('fine\n✓ Agent installed')).toBe('fine\\n✓ Agent installed');
    expect(safeText('C1 \u009b31m')).toBe('C1 \\x9b31m');
    expect(safeText('plain text stays')).toBe('plain text stays');
  });

  it("keeps the lines of our own scripts (the review's command, a dry run's detail), each line made safe", () => {
    const review = safeEvent({
      type: 'review',
      items: [{ label: 'Agent', value: 'a\nb' }],
      command: "helm upgrade <<'VALUES'\nconfig: {}\nVALUES",
    });
    expect(review.command).toBe("helm upgrade <<'VALUES'\nconfig: {}\nVALUES");
    expect(review.items[0]!.value).toBe('a\\nb');
    const outcome = safeOutcome({ exitCode: 0, headline: 'x\n✓ forged', details: ["helm <<'V'\n\u001b[2Jv\nV"], ledger: [] });
    expect(outcome.headline).toBe('x\\n✓ forged');
    expect(outcome.details[0]).toBe("helm <<'V'\n\\x1b[2Jv\nV");
  });

  it('masks every live secret of the run, and its base64 form, wherever it turns up', () => {
    const token = new Secret('glpat-fake-redaction-check-0001');
    const b64 = Buffer.from(token.reveal()).toString('base64');
    expect(redact(`Authorization: Bearer ${token.reveal()} failed`)).toBe('Authorization: Bearer ******** failed');
    expect(redact(`data: {token: ${b64}}`)).toBe('data: {token: ********}');
    expect(redact('short words like token stay')).toBe('short words like token stay');
  });
});
