#!/usr/bin/python3
"""Export a compact training set from promod3's StructureDB.

Benchmark rule 1 (../shared/benchmark/README.md): chains in excluded.txt are dropped by
name BEFORE anything else is read, so they can never leak into training or monitoring.
Validation targets are exported separately, for reporting only.
Output: build/train/{train,val,report_denovo,report_homolog}.npz + dataset.sha256
"""
import argparse, hashlib, os, random
import numpy as np
import promod3.loop

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BENCH = os.path.join(ROOT, '..', 'shared', 'benchmark')
AA = 'ACDEFGHIKLMNPQRSTVWY'          # index 20 = unknown
SS8 = 'HGIEBTS-'                     # DSSP 8-state; blanks/others map to '-'

def read_names(path):
    with open(path) as f:
        return {l.strip() for l in f if l.strip()}

def chain_arrays(db, i):
    seq = db.GetSequence(i)
    L = len(seq)
    aa = np.array([AA.find(c) if c in AA else 20 for c in seq], np.int8)
    ss = np.array([SS8.find(c) if c in SS8[:-1] else 7 for c in db.GetDSSPStates(i)], np.int8)
    dih = np.array(db.GetDihedralAngles(i), np.float32).reshape(L, 2)  # (phi, psi) radians
    bb = db.GetBackboneList(i)
    cb = np.array([[bb.GetCB(k)[j] for j in range(3)] for k in range(L)], np.float32)
    prof = db.GetSequenceProfile(i)
    cols = prof.columns
    pr = np.array([[cols[k].GetFreq(a) for a in AA] for k in range(L)], np.float32)
    pr = pr / np.maximum(pr.sum(1, keepdims=True), 1e-6)
    return aa, ss, dih, cb, pr

def save(path, chains):
    names, parts = zip(*chains) if chains else ((), ())
    lens = np.array([len(p[0]) for p in parts], np.int32)
    cat = lambda k: np.concatenate([p[k] for p in parts]) if parts else np.zeros(0)
    np.savez_compressed(path, names=np.array(names), lens=lens, aa=cat(0), ss=cat(1),
                        dih=cat(2), cb=cat(3), prof=cat(4))

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--limit', type=int, default=0, help='max training chains (smoke)')
    ap.add_argument('--out', default=os.path.join(ROOT, 'build', 'train'))
    ap.add_argument('--val-frac', type=float, default=0.03)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    excluded = read_names(os.path.join(BENCH, 'excluded.txt'))
    denovo = read_names(os.path.join(BENCH, 'validation_denovo.txt'))
    homolog = read_names(os.path.join(BENCH, 'validation_homolog.txt'))
    cluster = {}
    with open(os.path.join(BENCH, 'clusters30.tsv')) as f:
        for l in f:
            rep, mem = l.split()
            cluster[mem] = rep
    db = promod3.loop.LoadStructureDB()
    names = []
    for i in range(db.GetNumCoords()):
        ci = db.GetCoordInfo(i)
        names.append(ci.id + '_' + ci.chain_name)
    allowed = [i for i, n in enumerate(names) if n not in excluded]   # filter FIRST
    assert not any(names[i] in excluded for i in allowed)
    # validation split by whole 30 % clusters so monitoring is not leaky
    reps = sorted({cluster.get(names[i], names[i]) for i in allowed})
    random.Random(7).shuffle(reps)
    val_reps = set(reps[:int(len(reps) * a.val_frac)])
    train_idx = [i for i in allowed if cluster.get(names[i], names[i]) not in val_reps]
    val_idx = [i for i in allowed if cluster.get(names[i], names[i]) in val_reps]
    if a.limit:
        random.Random(1).shuffle(train_idx)
        train_idx = train_idx[:a.limit]
        val_idx = val_idx[:max(8, a.limit // 10)]
    byname = {n: i for i, n in enumerate(names)}
    sets = {'train': train_idx, 'val': val_idx,
            'report_denovo': [byname[n] for n in sorted(denovo) if n in byname],
            'report_homolog': [byname[n] for n in sorted(homolog) if n in byname]}
    for key, idx in sets.items():
        save(os.path.join(a.out, key + '.npz'), [(names[i], chain_arrays(db, i)) for i in idx])
        print(key, len(idx), 'chains', flush=True)
    h = hashlib.sha256()
    for key in ('train', 'val'):
        with open(os.path.join(a.out, key + '.npz'), 'rb') as f:
            h.update(f.read())
    with open(os.path.join(a.out, 'dataset.sha256'), 'w') as f:
        f.write(h.hexdigest() + '\n')
    print('sha256', h.hexdigest())

if __name__ == '__main__':
    main()
