import { Box, Text } from 'ink';
import type { CommandId, MenuEntry } from '../../../core/commands/registry.js';
import { KeyHints } from '../components/KeyHints.js';
import { Title } from '../components/Title.js';
import { useKeyState } from '../hooks/useKeyState.js';
import { useKeymap } from '../hooks/useKeymap.js';
import { MENU_KEYS, MENU_REASON_KEYS } from '../keys.js';
import { color, glyph } from '../theme.js';

interface Props {
  menu: readonly MenuEntry[];
  version?: string;
  onSelect: (command: CommandId) => void;
  /** q or ctrl-c. */
  onQuit: () => void;
}

/** Install, Troubleshoot, Upgrade, Uninstall, Status. Unavailable entries stay visible, dimmed, with why. */
export function MainMenu({ menu, version, onSelect, onQuit }: Props) {
  const [cursor, setCursor, currentCursor] = useKeyState(() => Math.max(0, menu.findIndex((e) => !e.unavailable)));
  // The unavailable entry whose reason is being shown after ⏎.
  const [explained, setExplained] = useKeyState<MenuEntry | undefined>(undefined);
  const bindings = explained ? MENU_REASON_KEYS : MENU_KEYS;
  const move = (by: 1 | -1) => {
    setExplained(undefined);
    setCursor((c) => (c + by + menu.length) % menu.length);
  };

  useKeymap(bindings, {
    up: () => move(-1),
    down: () => move(1),
    select: () => {
      const entry = menu[currentCursor()];
      if (!entry) return;
      if (entry.unavailable) setExplained(entry);
      else onSelect(entry.id);
    },
    back: () => setExplained(undefined),
    quit: onQuit,
    cancel: onQuit,
  });

  const width = Math.max(0, ...menu.map((e) => e.label.length));
  return (
    <Box flexDirection="column">
      <Title version={version} />
      <Text bold>What do you want to do?</Text>
      <Box flexDirection="column" marginTop={1}>
        {menu.map((entry, i) => {
          const active = i === cursor;
          const pointer = <Text color={color.accent}>{active ? `${glyph.pointer} ` : '  '}</Text>;
          if (entry.unavailable) {
            // The reason is said here, once; ⏎ on it only draws attention to it.
            return (
              <Text key={entry.id} wrap="truncate-end">
                {pointer}
                <Text color={explained === entry ? color.warn : color.muted}>
                  {entry.label.padEnd(width)}  unavailable: {entry.unavailable}
                </Text>
              </Text>
            );
          }
          return (
            <Text key={entry.id} wrap="truncate-end">
              {pointer}
              <Text bold={active} color={active ? color.accent : undefined}>
                {entry.label.padEnd(width)}
              </Text>
              <Text color={color.muted}>  {entry.description}</Text>
            </Text>
          );
        })}
      </Box>
      <KeyHints bindings={bindings} />
    </Box>
  );
}
