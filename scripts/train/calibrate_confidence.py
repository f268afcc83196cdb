#!/usr/bin/python3
"""Calibrates the predicted TM-score on chains of the training run's own validation split
(build/train/val.npz: whole 30 % clusters held out from training, and NOT benchmark targets —
nothing from ../shared/benchmark/excluded.txt is ever read here).

  /usr/bin/python3 scripts/train/calibrate_confidence.py [--count 40]

Predicts each chain with `scripts/foldsight predict` (the product pipeline) with the chain's own
PDB entry left out of the template search (`--exclude-templates`; the rest of its 30 % cluster
stays, as for a protein with known relatives), scores it with
Debian's TMscore against the StructureDB native, and fits the linear map
  TM ≈ a + b * raw + c * t
where raw is the engine's uncalibrated estimate and t = identity × coverage of the best
template used (0 without one). Prints the coefficients for src/predict/predict_pipeline.cpp.
"""
import argparse, importlib.machinery, json, os, random, subprocess, sys, tempfile
import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
bench = importlib.machinery.SourceFileLoader('bench_predict', os.path.join(ROOT, 'scripts/bench/predict')).load_module()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--count', type=int, default=40)
    a = ap.parse_args()
    val = np.load(os.path.join(ROOT, 'build/train/val.npz'))
    names = [str(n) for n, L in zip(val['names'], val['lens']) if 40 <= L <= 400]
    excluded = {l.strip() for l in open(os.path.join(bench.BENCH, 'excluded.txt')) if l.strip()}
    names = [n for n in names if n not in excluded]
    random.Random(3).shuffle(names)
    names = names[:a.count]
    natives = bench.Natives()
    work = tempfile.mkdtemp(prefix='fs-calibrate-')
    rows = []
    for name in names:
        seq, nat = natives.backbone(name)
        native = os.path.join(work, name + '.native.pdb')
        bench.write_pdb(native, seq, nat)
        fa, model, js = (os.path.join(work, name + ext) for ext in ('.fasta', '.pdb', '.json'))
        with open(fa, 'w') as f:
            f.write('>%s\n%s\n' % (name, seq))
        p = subprocess.run([os.path.join(ROOT, 'scripts/foldsight'), 'predict', fa, '-o', model, '--json', js,
                            '--exclude-templates', name[:4]],
                           capture_output=True, text=True)
        if p.returncode:
            print(name, 'failed:', p.stderr.strip()); continue
        info = json.load(open(js))
        tm = bench.tmscore(model, native)
        t = info['templates'][0]['identity'] * info['templates'][0]['coverage'] if info['templates'] else 0.0
        raw = info.get('predicted_tm_raw', info['predicted_tm'])
        rows.append((raw, t, tm))
        print('%-8s L=%3d TM %.3f raw %.3f t %.3f' % (name, len(seq), tm, raw, t), flush=True)
    X = np.array([[1, r, t] for r, t, _ in rows])
    y = np.array([tm for _, _, tm in rows])
    coef, *_ = np.linalg.lstsq(X, y, rcond=None)
    pred = np.clip(X @ coef, 0, 1)
    r = np.corrcoef(pred, y)[0, 1]
    print('n=%d  a=%.4f b=%.4f c=%.4f  Pearson r (fit set) %.3f' % (len(rows), *coef, r))


if __name__ == '__main__':
    main()
