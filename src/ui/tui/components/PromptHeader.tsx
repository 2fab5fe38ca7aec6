import { Box, Text } from 'ink';
import type { Question } from '../../../core/kernel/questions.js';
import { color, glyph } from '../theme.js';

/** `? Agent name  --agent` plus the one-line help under it. */
export function PromptHeader({ question, suffix }: { question: Question; suffix?: string }) {
  return (
    <Box flexDirection="column">
      <Text>
        <Text color={color.accent} bold>
          {glyph.question}
        </Text>{' '}
        <Text bold>{question.message}</Text>
        {suffix ? <Text color={color.muted}> {suffix}</Text> : null}
        {question.flag ? <Text color={color.muted}> ({question.flag})</Text> : null}
      </Text>
      {question.problem ? (
        <Text color={color.error}>
          {'  '}
          {glyph.failed} {question.problem}
        </Text>
      ) : null}
      {question.help ? <Text color={color.muted}>  {question.help}</Text> : null}
    </Box>
  );
}
