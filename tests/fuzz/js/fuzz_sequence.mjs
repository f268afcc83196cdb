#!/usr/bin/env node
// Mutation fuzzer for the predict panel's sequence decoder, cleanSequence in
// web/predict_core.mjs: what a user types or pastes, and the first record of a dropped FASTA
// file, before it reaches the predictor (browser worker and `foldsight predict` alike).
// Seeds: real FASTA files (Biopython's test files, Debian python-biopython-doc) and a few
// hand-typed forms. Mutations: character flips, inserts (ASCII, Unicode, line breaks, '>'),
// deletions, range duplication, splices, truncation.
// Contract checked: returns 1..MAX_LENGTH letters of ALPHABET or X, or throws an Error whose
// class is exactly Error with a non-empty message; anything else, or a call slower than
// --timeout-ms, is a finding (input saved under --artifacts, exit 1).
//   node tests/fuzz/js/fuzz_sequence.mjs [--runs=N] [--seconds=S] [--seed=K] [--artifacts=DIR] [--timeout-ms=MS]
import { readFileSync, readdirSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, parseOptions, makeRandom, makeTextMutator, done, report } from './fuzz_common.mjs';

const core = await import(pathToFileURL(join(ROOT, 'web', 'predict_core.mjs')));

const opt = parseOptions('sequence', {}, 1000000);
const { rnd, ri, pick } = makeRandom(opt.seed);

const seeds = ['MKTAYIAKQRQISFVKSHFSRQ', '>query\nMKTAYIAKQR\nQISFVKSHFSRQ*\n', 'mktay iakqr\tqisfv', '>a\r\nACDEFGHIKLMNPQRSTVWYX\r\n>b\r\nMMM\r\n'];
const dir = '/usr/share/doc/python-biopython-doc/Tests/Fasta';
if (existsSync(dir)) {
  for (const f of readdirSync(dir).sort()) {
    if (!/\.(pro|fasta|fa)$/.test(f)) continue;
    seeds.push(readFileSync(join(dir, f), 'latin1').slice(0, 3000));
  }
}
const TOKENS = ['>', '\n', '\r\n', '\r', ' ', '\t', '*', 'X', 'x', 'B', 'Z', 'U', 'O', 'J', '-', '.', '1', '\u00e9', '\u0130', '\u017f',
  '\ud83d\ude00', '\ud800', '\u0000', '\u2028', 'A'.repeat(1000)];
const mutateText = makeTextMutator({ ri, pick }, { tokens: TOKENS, seeds });
const mutate = (s) => { s = mutateText(s); return s.length > 20000 ? s.slice(0, 20000) : s; };

const allowed = new Set([...core.ALPHABET, 'X']);
let execs = 0, accepted = 0, slowest = 0;
function finding(input, why) {
  mkdirSync(opt.artifacts, { recursive: true });
  const file = join(opt.artifacts, `crash-${execs}.json`);
  writeFileSync(file, JSON.stringify({ text: input }) + '\n');
  console.log(`fuzz_sequence: FINDING after ${execs} executions: ${why}\nfuzz_sequence: input saved as ${file}`);
  process.exit(1);
}
const start = performance.now();
for (;;) {
  const input = mutate(pick(seeds));
  const t0 = performance.now();
  let out, error = null;
  try { out = core.cleanSequence(input); } catch (e) { error = e; }
  const ms = performance.now() - t0;
  execs++;
  if (ms > slowest) slowest = ms;
  if (ms > opt.timeoutMs) finding(input, `took ${ms.toFixed(0)} ms`);
  if (error) {
    if (!(error instanceof Error) || error.constructor !== Error) finding(input, `threw ${error && error.name}: ${error && error.message}`);
    if (!error.message) finding(input, 'Error without a message');
  } else {
    accepted++;
    if (typeof out !== 'string' || out.length < 1 || out.length > core.MAX_LENGTH) finding(input, `returned ${typeof out} of length ${out && out.length}`);
    for (const c of out) if (!allowed.has(c)) finding(input, `returned the letter ${JSON.stringify(c)}`);
  }
  if (done(opt, execs, start)) break;
}
report('sequence', execs, start, `accepted ${accepted}, rejected ${execs - accepted}, slowest call ${slowest.toFixed(2)} ms`);
