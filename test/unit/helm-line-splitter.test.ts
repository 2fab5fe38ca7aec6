import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../../src/adapters/helm/line-splitter.js';

function split(chunks: (string | Buffer)[], maxLineChars?: number): string[] {
  const lines: string[] = [];
  const splitter = new LineSplitter((line) => lines.push(line), maxLineChars);
  for (const chunk of chunks) splitter.push(chunk);
  splitter.end();
  return lines;
}

describe('LineSplitter', () => {
  it('splits on \\n and strips one trailing \\r', () => {
    expect(split(['a\nb\r\nc\r\r\n'])).toEqual(['a', 'b', 'c\r']);
  });

  it('keeps \\r progress updates inside a line', () => {
    expect(split(['10%\r50%\r100%\r\ndone\n'])).toEqual(['10%\r50%\r100%', 'done']);
  });

  it('joins lines split across chunks, including a CRLF split between chunks', () => {
    expect(split(['Rel', 'ease "x"\r', '\nNAME: x\n'])).toEqual(['Release "x"', 'NAME: x']);
  });

  it('keeps empty lines', () => {
    expect(split(['a\n\n\nb\n'])).toEqual(['a', '', '', 'b']);
  });

  it('flushes a last line without \\n on end, once', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((line) => lines.push(line));
    splitter.push('a\ntail');
    splitter.end();
    splitter.end();
    splitter.push('ignored after end\n');
    expect(lines).toEqual(['a', 'tail']);
  });

  it('decodes UTF-8 split inside a character', () => {
    const bytes = Buffer.from('ünïcødé ✓\n', 'utf8');
    expect(split([bytes.subarray(0, 2), bytes.subarray(2, 11), bytes.subarray(11)])).toEqual(['ünïcødé ✓']);
  });

  it('passes an over-long line on in pieces instead of holding it all', () => {
    expect(split(['abcdefghij\nxy\n'], 4)).toEqual(['abcd', 'efgh', 'ij', 'xy']);
  });
});
