import { Text, useAnimation } from 'ink';
import { color, spinnerFrames } from '../theme.js';

/** One braille frame every 80 ms, on Ink's shared animation timer. */
export function Spinner() {
  const { frame } = useAnimation({ interval: 80 });
  return <Text color={color.accent}>{spinnerFrames[frame % spinnerFrames.length]}</Text>;
}
