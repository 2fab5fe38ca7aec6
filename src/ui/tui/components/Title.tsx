import { Text } from 'ink';
import { color } from '../theme.js';

interface Props {
  version?: string;
  /** The screen or command, e.g. "Install". */
  section?: string;
}

/** `gitlab-agent-tui 0.1.0 · Install` */
export function Title({ version, section }: Props) {
  return (
    <Text>
      <Text bold color={color.accent}>
        gitlab-agent-tui
      </Text>
      {version ? <Text color={color.muted}> {version}</Text> : null}
      {section ? <Text> · {section}</Text> : null}
    </Text>
  );
}
