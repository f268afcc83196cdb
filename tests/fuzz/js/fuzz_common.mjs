// What the JavaScript fuzzers share: command-line options and deterministic random numbers.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

// --runs=N --seconds=S --seed=K --artifacts=DIR --timeout-ms=MS (and any other key of
// `defaults`); unknown options exit 2. Neither runs nor seconds given: `defaultRuns`.
export function parseOptions(name, defaults, defaultRuns) {
  const opt = { runs: 0, seconds: 0, seed: 1, artifacts: join(ROOT, 'build', 'fuzz', 'artifacts', name), timeoutMs: 5000, ...defaults };
  for (const a of process.argv.slice(2)) {
    const m = /^--([a-z-]+)=(.*)$/.exec(a);
    const k = m && (m[1] === 'timeout-ms' ? 'timeoutMs' : m[1]);
    if (!m || !(k in opt)) { console.error(`fuzz_${name}: unknown argument ${a}`); process.exit(2); }
    opt[k] = k === 'artifacts' ? m[2] : Number(m[2]);
  }
  if (!opt.runs && !opt.seconds) opt.runs = defaultRuns;
  return opt;
}

// mulberry32: rnd() in [0, 1), ri(n) in 0..n-1, pick(array).
export function makeRandom(seed) {
  let rs = seed >>> 0;
  const rnd = () => {
    rs = (rs + 0x6d2b79f5) >>> 0;
    let t = rs;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const ri = (n) => Math.floor(rnd() * n);
  return { rnd, ri, pick: (a) => a[ri(a.length)] };
}
