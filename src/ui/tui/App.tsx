import { Box, useApp } from 'ink';
import { useCallback, useRef, useState } from 'react';
import { ExitCode } from '../../core/kernel/errors.js';
import type { CommandId, MenuEntry, RunCommand } from '../../core/commands/registry.js';
import type { FlowOutcome } from '../../core/kernel/outcome.js';
import { CANCELLED_HEADLINE } from '../../core/kernel/to-outcome.js';
import { Banner } from './components/Banner.js';
import { MainMenu } from './screens/MainMenu.js';
import { Flow } from './screens/Flow.js';
import { Quit } from './screens/Quit.js';

export interface AppProps {
  menu: readonly MenuEntry[];
  initialCommand?: CommandId;
  start: RunCommand;
  simulated?: boolean;
  version?: string;
  /** Called once with the exit code, right before the app unmounts. */
  onExit?: (exitCode: ExitCode) => void;
}

type Screen = { name: 'menu' } | { name: 'flow'; command: CommandId; run: number } | { name: 'quit' };

const QUIT_OUTCOME: FlowOutcome = { exitCode: ExitCode.cancelled, headline: CANCELLED_HEADLINE, details: [], ledger: [] };

function labelOf(menu: readonly MenuEntry[], command: CommandId): string {
  return menu.find((e) => e.id === command)?.label ?? command.charAt(0).toUpperCase() + command.slice(1);
}

/** Screen routing only: menu → flow (→ back to menu) → exit; the banner on top of all of them. */
export function App({ menu, initialCommand, start, simulated, version, onExit }: AppProps) {
  const { exit } = useApp();
  const [screen, setScreen] = useState<Screen>(
    initialCommand ? { name: 'flow', command: initialCommand, run: 0 } : { name: 'menu' },
  );
  const exited = useRef(false);
  // Each visit to a flow mounts a fresh runner (new AbortController), even for the same command.
  const runs = useRef(0);

  const finish = useCallback(
    (code: ExitCode) => {
      if (exited.current) return;
      exited.current = true;
      onExit?.(code);
      exit(code);
    },
    [exit, onExit],
  );
  const backToMenu = useCallback(() => setScreen({ name: 'menu' }), []);

  let body;
  switch (screen.name) {
    case 'menu':
      body = (
        <MainMenu
          menu={menu}
          version={version}
          onSelect={(command) => setScreen({ name: 'flow', command, run: ++runs.current })}
          onQuit={() => setScreen({ name: 'quit' })}
        />
      );
      break;
    case 'flow':
      body = (
        <Flow
          key={`${screen.command}-${screen.run}`}
          command={screen.command}
          label={labelOf(menu, screen.command)}
          start={start}
          version={version}
          simulated={simulated}
          onBack={initialCommand ? undefined : backToMenu}
          onFinish={finish}
        />
      );
      break;
    case 'quit':
      body = <Quit outcome={QUIT_OUTCOME} version={version} onExit={finish} />;
      break;
  }

  return (
    <Box flexDirection="column">
      {/* A flow draws the banner itself: at the top of its live area, and on its report. */}
      {simulated && screen.name !== 'flow' ? <Banner /> : null}
      {body}
    </Box>
  );
}
