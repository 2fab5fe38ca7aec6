import { Box, Text } from 'ink';
import { ExitCode } from '../../../core/kernel/errors.js';
import type { LedgerEntry } from '../../../core/kernel/events.js';
import type { FlowOutcome } from '../../../core/kernel/outcome.js';
import { color, glyph } from '../theme.js';
import { hasInteractiveSections } from './Results.js';
import { Hanging } from '../components/Hanging.js';

interface Props {
  outcome: FlowOutcome;
}

function headlineLook(code: ExitCode) {
  if (code === ExitCode.ok) return { mark: glyph.done, tint: color.ok };
  if (code === ExitCode.cancelled) return { mark: glyph.stopped, tint: color.warn };
  return { mark: glyph.failed, tint: color.error };
}

function LedgerRow({ entry }: { entry: LedgerEntry }) {
  const how = entry.kind === 'revoked-token' ? 'revoked' : entry.created ? 'created' : 'reused';
  return (
    // The id and description wrap under themselves, right of the two columns.
    <Box paddingLeft={2}>
      <Box flexShrink={0}>
        <Text>
          <Text color={entry.created ? color.ok : color.muted}>{how.padEnd(7)}</Text> {entry.kind.padEnd(13)}{' '}
        </Text>
      </Box>
      <Text>
        <Text bold>{entry.id}</Text>
        {entry.description ? <Text color={color.muted}> · {entry.description}</Text> : null}
      </Text>
    </Box>
  );
}

/** A detail line two columns in, its own leading spaces kept: wrapped rows continue under its text. */
function IndentedLine({ line }: { line: string }) {
  const text = line.trimStart();
  return <Hanging indent={2 + line.length - text.length}>{text === '' ? ' ' : text}</Hanging>;
}

/** How the run ended: headline, details, and the ledger of what exists now. */
export function Outcome({ outcome }: Props) {
  const look = headlineLook(outcome.exitCode);
  // What a clean-up removed is in the details, once; this table is what still exists.
  const existing = outcome.ledger.filter((e) => !e.removed);
  return (
    <Box flexDirection="column" marginTop={1}>
      <Hanging lead={`${look.mark} `} tint={look.tint} bold>
        {outcome.headline}
      </Hanging>
      {/* The table below lists what exists: the same list as a line of details would say it twice. */}
      {outcome.details
        .filter((line) => existing.length === 0 || line !== outcome.ledgerSummary)
        .map((line, i) => (
          <IndentedLine key={i} line={line} />
        ))}
      {existing.length > 0 ? (
        <Box flexDirection="column" marginTop={1}>
          <Text bold>What exists now</Text>
          {existing.map((entry) => (
            <LedgerRow key={`${entry.kind}:${entry.id}`} entry={entry} />
          ))}
        </Box>
      ) : outcome.exitCode !== ExitCode.ok ? (
        <Text color={color.muted}>Nothing was left behind.</Text>
      ) : null}
      {/* Sections that need no keys (next steps, a script to copy) are printed here; the others get the Results view. */}
      {hasInteractiveSections(outcome.sections)
        ? null
        : (outcome.sections ?? []).map((section, i) =>
            section.kind === 'lines' || section.kind === 'code' ? (
              <Box key={i} flexDirection="column" marginTop={1}>
                {section.title ? <Text bold>{section.title}</Text> : null}
                {section.kind === 'lines' ? section.lines.map((l, j) => <IndentedLine key={j} line={l} />) : <Text>{section.text}</Text>}
              </Box>
            ) : null,
          )}
    </Box>
  );
}
