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

// The harness loop's end test (checked every 1024 executions for the time limit) and its
// closing lines.
export function done(opt, execs, start) {
  if (opt.runs && execs >= opt.runs) return true;
  return (execs & 1023) === 0 && opt.seconds > 0 && performance.now() - start >= opt.seconds * 1000;
}
export function report(name, execs, start, detail) {
  const secs = (performance.now() - start) / 1000;
  console.log(`fuzz_${name}: ${detail}`);
  console.log(`fuzz_${name}: ${execs} executions in ${secs.toFixed(1)} s (${(execs / secs).toFixed(0)} exec/s), peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB, no findings`);
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

// Text mutations shared by the harnesses: `rounds` (1..rounds) of ASCII flips, Unicode inserts
// (when `unicode`), deletions of up to `maxDelete` characters, token inserts, range duplication,
// splices from another seed, truncation.
export function makeTextMutator({ ri, pick }, { tokens, seeds, rounds = 5, maxDelete = 16, unicode = true }) {
  return (s) => {
    const n = 1 + ri(rounds);
    for (let k = 0; k < n; ++k) {
      const i = ri(s.length + 1);
      switch (ri(7)) {
        case 0: s = s.slice(0, i) + String.fromCharCode(ri(128)) + s.slice(i + 1); break;
        case 1: s = unicode ? s.slice(0, i) + String.fromCharCode(ri(0x10000)) + s.slice(i) : s.slice(0, i) + pick(tokens) + s.slice(i); break;
        case 2: s = s.slice(0, i) + s.slice(i + 1 + ri(maxDelete)); break;
        case 3: s = s.slice(0, i) + pick(tokens) + s.slice(i); break;
        case 4: { const j = ri(s.length + 1); s = s.slice(0, i) + s.slice(Math.min(i, j), Math.max(i, j)) + s.slice(i); break; }
        case 5: { const o = pick(seeds); s = s.slice(0, i) + o.slice(ri(o.length + 1)); break; }
        default: s = s.slice(0, i); break;
      }
    }
    return s;
  };
}
