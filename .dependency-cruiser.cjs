/**
 * The layering the README describes, checked on every `npm test`:
 * a headless core, thin adapters, front ends that only render and ask, the CLI that wires them.
 */
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'A cycle hides which module owns a concept.', from: {}, to: { circular: true } },
    {
      name: 'core-is-headless',
      severity: 'error',
      comment: 'The core imports nothing outer: no adapter, front end, CLI or demo.',
      from: { path: '^src/core/' },
      to: { path: '^src/(adapters|ui|cli|demo)/' },
    },
    {
      name: 'front-ends-never-reach-out',
      severity: 'error',
      comment: 'Front ends render events and answer questions; they never talk to the network or spawn a process.',
      from: { path: '^src/ui/' },
      to: { path: '^src/(adapters|cli|demo)/' },
    },
    {
      name: 'adapters-stay-thin',
      severity: 'error',
      comment: 'Adapters implement ports; they know no front end, no CLI and no demo.',
      from: { path: '^src/adapters/' },
      to: { path: '^src/(ui|cli|demo)/' },
    },
    {
      name: 'demo-simulates-ports',
      severity: 'error',
      comment: 'The demo is a simulated world behind the same ports, not a wrapper of the real adapters.',
      from: { path: '^src/demo/' },
      to: { path: '^src/(adapters|ui|cli)/' },
    },
    {
      name: 'tui-widgets-below-panels',
      severity: 'error',
      comment: 'components (widgets) ← panels ← screens: a widget never draws a panel or a screen.',
      from: { path: '^src/ui/tui/components/' },
      to: { path: '^src/ui/tui/(panels|screens)/' },
    },
    {
      name: 'tui-panels-below-screens',
      severity: 'error',
      from: { path: '^src/ui/tui/panels/' },
      to: { path: '^src/ui/tui/screens/' },
    },
    {
      name: 'deliveries-stand-alone',
      severity: 'error',
      comment: 'One delivery never reaches into another; shared pieces live in steps/ or plan/.',
      from: { path: '^src/core/delivery/([^/]+)/' },
      to: { path: '^src/core/delivery/', pathNot: ['^src/core/delivery/$1/', '^src/core/delivery/delivery\\.ts$'] },
    },
    {
      name: 'no-orphans',
      severity: 'error',
      comment: 'A source file nobody imports is dead code.',
      from: { orphan: true, path: '^src/', pathNot: ['\\.d\\.ts$', '^src/cli/index\\.ts$'] },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js'] },
  },
};
