import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/core/options/duration.js';
import { chooseMode, wantsColor } from '../../src/cli/mode.js';

describe('durations', () => {
  it.each([
    ['90', 90_000],
    ['90s', 90_000],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['250ms', 250],
  ])('%s', (text, ms) => expect(parseDuration(text)).toBe(ms));
  it('rejects junk', () => {
    expect(parseDuration('soon')).toBeNaN();
    expect(parseDuration('5m junk')).toBeNaN();
  });
});

describe('front end choice', () => {
  const base = { stdinTTY: true, stdoutTTY: true, term: 'xterm-256color', plain: false, yes: false };
  it('uses the TUI on a terminal', () => expect(chooseMode(base)).toBe('tui'));
  it('asks line by line with --plain, TERM=dumb or piped output', () => {
    expect(chooseMode({ ...base, plain: true })).toBe('plain');
    expect(chooseMode({ ...base, term: 'dumb' })).toBe('plain');
    expect(chooseMode({ ...base, stdoutTTY: false })).toBe('plain');
  });
  it('answers from flags with --yes or without a terminal', () => {
    expect(chooseMode({ ...base, yes: true })).toBe('flags');
    expect(chooseMode({ ...base, stdinTTY: false })).toBe('flags');
  });
  it('honours NO_COLOR and --no-color', () => {
    expect(wantsColor({ NO_COLOR: '1' }, false, true)).toBe(false);
    expect(wantsColor({}, true, true)).toBe(false);
    expect(wantsColor({}, false, true)).toBe(true);
    expect(wantsColor({}, false, false)).toBe(false);
  });
});
