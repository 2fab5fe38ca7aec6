import { Text } from 'ink';
import { color, glyph } from '../theme.js';

/** The validation message under a text field; nothing when there is none. */
export function FieldError({ message }: { message: string | undefined }) {
  return message ? (
    <Text color={color.error}>
      {glyph.failed} {message}
    </Text>
  ) : null;
}
