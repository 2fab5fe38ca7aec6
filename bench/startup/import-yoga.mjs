// Start-up baseline: a process that only loads Ink's layout engine, the way ink/build/*.js imports it
// (`import Yoga from 'yoga-layout'`: a top-level await that compiles the embedded wasm).
import { appendFileSync } from 'node:fs';
import Yoga from 'yoga-layout';

const file = process.env.GLAT_BENCH_MARK;
if (file && Yoga) appendFileSync(file, `${performance.timeOrigin + performance.now()}\n`);
