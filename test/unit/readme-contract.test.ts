import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/core/commands/registry.js';
import { optionSpec } from '../../src/core/options/catalogue.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** README stays true: every command and every flag the CLI accepts is documented there. */
describe('README contract', () => {
  it.each(COMMANDS.map((c) => [c.id, c] as const))('documents the command %s', (_id, command) => {
    expect(readme).toContain(`\`gitlab-agent-tui ${command.id}\``);
    for (const alias of command.aliases) expect(readme).toContain(alias);
  });

  it.each(COMMANDS.flatMap((c) => c.options.map((id) => [c.id, optionSpec(id).flag] as const)))('documents %s %s', (_command, flag) => {
    expect(readme).toMatch(new RegExp(`\`${flag.replace(/[-]/g, '\\-')}[ \`,]`));
  });
});
