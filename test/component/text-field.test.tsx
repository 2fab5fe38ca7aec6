import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { KEY, frame, press, waitForText } from './helpers.js';

afterEach(() => {
  cleanup();
  delete process.env.NO_COLOR;
  vi.resetModules();
});

describe('text field', () => {
  it('keeps a visible cursor under NO_COLOR (inverse video is gone), where the cursor is', async () => {
    process.env.NO_COLOR = '1';
    vi.resetModules();
    const { TextField } = await import('../../src/ui/tui/components/TextField.js');
    const { useState } = await import('react');
    const seen: string[] = [];
    function Parent() {
      const [value, setValue] = useState('agent');
      return <TextField value={value} onChange={(v) => { seen.push(v); setValue(v); }} />;
    }
    const r = render(<Parent />);
    await waitForText(r, 'agent▏');
    await press(r, '\u001B[D', '\u001B[D');
    await waitForText(r, 'age▏nt');
    await press(r, 'X');
    await waitForText(r, 'ageX▏nt');
    expect(seen.at(-1)).toBe('ageXnt');
    expect(frame(r)).not.toContain('\u001b[7m');
  });
});
