import { Text } from 'ink';
import { color } from '../theme.js';

/** Shown on every screen of a --demo/simulated run, so nobody mistakes it for the real thing. One row. */
export function Banner() {
  return (
    <Text color={color.warn} bold inverse>
      {' SIMULATION — no cluster or GitLab is touched '}
    </Text>
  );
}
