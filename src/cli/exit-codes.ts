/** Documented exit codes: scripts depend on them (README "Exit codes"). */
export const EXIT_CODES_HELP = `Exit codes:
  0    success (or --dry-run finished)
  1    failure: a step failed after the input was accepted (the message names it and what is left)
  2    bad input or usage: one line names the field and the fix; nothing was created
  130  cancelled (Ctrl-C, or Cancel at the review)`;
