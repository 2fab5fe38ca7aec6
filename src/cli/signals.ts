/**
 * Outside raw mode (plain and flag modes) Ctrl-C arrives as SIGINT. The first one aborts the flow
 * so helm's process group is ended and the user is told what is left; a second one quits at once.
 */
export function abortOnSignals(controller: AbortController, err: NodeJS.WritableStream): () => void {
  let count = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    count++;
    if (count === 1) {
      err.write(`\n${signal === 'SIGINT' ? 'Ctrl-C' : signal}: cancelling… (press Ctrl-C again to quit at once)\n`);
      controller.abort();
    } else process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}
