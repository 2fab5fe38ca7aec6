import { describe, expect, it } from 'vitest';
import { buildProgram, type Invocation } from '../../src/cli/program.js';
import { optionValues } from '../../src/core/options/catalogue.js';

/** What `gitlab-agent-tui <argv>` hands the command, after the catalogue's parsing and defaults. */
async function valuesOf(argv: string[]) {
  let inv: Invocation | undefined;
  const program = buildProgram('0.0.0', (i) => (inv = i));
  await program.parseAsync(argv, { from: 'user' });
  if (inv?.kind !== 'command') throw new Error('no command invoked');
  return optionValues(inv.command.options, inv.raw);
}

describe('argv → option values', () => {
  it('leaves everything not typed unset, so the flow asks (or takes the default in flag mode)', async () => {
    const v = await valuesOf(['install']);
    expect(v).toMatchObject({
      noProxy: undefined,
      httpProxy: undefined,
      noRbac: false,
      createNamespace: undefined,
      createConfig: undefined,
      values: [],
      set: [],
      dryRun: false,
    });
    expect(v.timeoutMs).toBe(300_000);
    expect(v.connectTimeoutMs).toBe(180_000);
    expect(v.output).toBe('text');
  });

  it('reads --no-* options by their meaning: a value, a switch, or a negation', async () => {
    const v = await valuesOf(['install', '--no-proxy', '.svc,10.0.0.0/8', '--no-rbac', '--no-create-namespace']);
    expect(v.noProxy).toBe('.svc,10.0.0.0/8');
    expect(v.noRbac).toBe(true);
    expect(v.createNamespace).toBe(false);
  });

  it('collects repeatable options, parses durations and takes an optional value as its default kind', async () => {
    const v = await valuesOf(['install', '--set', 'a=1', '--set', 'b=2', '--timeout', '90s', '--create-config']);
    expect(v.set).toEqual(['a=1', 'b=2']);
    expect(v.timeoutMs).toBe(90_000);
    expect(v.createConfig).toBe('empty');
  });

  it('accepts an alias for a command', async () => {
    let inv: Invocation | undefined;
    await buildProgram('0.0.0', (i) => (inv = i)).parseAsync(['doctor'], { from: 'user' });
    expect(inv?.kind === 'command' && inv.command.id).toBe('troubleshoot');
  });
});

describe('--help wording per command', () => {
  const helpOf = (command: string) =>
    buildProgram('0.0.0', () => {})
      .commands.find((c) => c.name() === command)!
      .helpInformation({ error: false });

  it('speaks of installing only where the command installs', () => {
    expect(helpOf('install')).toContain('kube context to install into');
    for (const command of ['upgrade', 'uninstall', 'rotate-token', 'troubleshoot']) {
      const help = helpOf(command).replace(/\s+/g, ' ');
      expect(help, command).not.toContain('to install into');
      expect(help, command).not.toContain('namespace for the agent');
      expect(help, command).toContain('helm release of the install');
    }
    expect(helpOf('upgrade').replace(/\s+/g, ' ')).toContain('namespace of the install to upgrade');
    expect(helpOf('status').replace(/\s+/g, ' ')).toContain('look only in this namespace');
  });
});
