import { Box, Text } from 'ink';
import type { Question } from '../../../core/kernel/questions.js';
import { color, glyph } from '../theme.js';
import { Hanging } from './Hanging.js';

/** `? Agent name  --agent` plus the one-line help under it. */
export function PromptHeader({ question, suffix }: { question: Question; suffix?: string }) {
  return (
    <Box flexDirection="column">
      {/* Wrapped rows keep their indentation (and are counted so by questionDemand). */}
      <Hanging lead={<Text color={color.accent} bold>{`${glyph.question} `}</Text>}>
        <Text bold>{question.message}</Text>
        {suffix ? <Text color={color.muted}> {suffix}</Text> : null}
        {question.flag ? <Text color={color.muted}> ({question.flag})</Text> : null}
      </Hanging>
      {question.problem ? (
        <Hanging indent={2} lead={`${glyph.failed} `} tint={color.error}>
          {question.problem}
        </Hanging>
      ) : null}
      {question.help ? (
        <Hanging indent={2} tint={color.muted}>
          {question.help}
        </Hanging>
      ) : null}
    </Box>
  );
}
