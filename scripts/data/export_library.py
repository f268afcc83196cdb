#!/usr/bin/python3
"""Export the template library the app downloads: build/library/templates.fslib.

Source: promod3's StructureDB (Debian promod3-data). Benchmark rule 1
(../shared/benchmark/README.md): chains named in excluded.txt are dropped by name BEFORE any
of their data is read, so none can reach the library.

Per residue the library keeps the one-letter sequence, a 1-byte profile code (index into a
256-entry codebook fitted by k-means on the library's HHblits frequency profiles), the DSSP
8-state letter, and the backbone N, CA, C, O as quantised internal coordinates: every atom is
placed by NeRF from the three atoms before it (as rebuilt by the reader, so errors never
accumulate) with a bond-length offset (int8, 0.01 A), a bond-angle offset (int8, 0.5 deg)
and a torsion (uint8, 360/256 deg). Atoms whose offsets do not fit (chain breaks) are stored
as absolute float32 positions ("escapes"). CB is not stored: the reader places an ideal CB.

File layout (little endian; see src/predict/library.h, which reads it):
  header   magic "FSTPLLIB", u32 version, n_chains, n_residues, n_codes, n_dims,
           names_bytes, n_escapes, reserved(5)  -> 56 bytes
  codebook n_codes * n_dims float32 (amino-acid frequencies, order ACDEFGHIKLMNPQRSTVWY)
  lengths  n_chains u32
  names    names_bytes, '\n'-terminated chain names (PDBID_CHAIN), padded to 4 bytes
  seq, prof, dssp   n_residues bytes each, each padded to 4 bytes
  start    n_chains * 9 float32: N, CA, C of each chain's first residue
  internal 12 planes of n_residues bytes: bond[atom], angle[atom], torsion[atom] for atom in
           N, CA, C, O (plane order: bond N, CA, C, O, angle N.., torsion N..), padded to 4
  escapes  n_escapes * (u32 residue*4+atom, 3 float32)
Deterministic: same StructureDB -> same bytes (k-means uses a fixed seed and fixed sample).
"""
import argparse, gzip, hashlib, os, struct, sys, time
os.environ.setdefault('OPENBLAS_NUM_THREADS', '1')   # shared machine: one core
import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BENCH = os.path.join(ROOT, '..', 'shared', 'benchmark')
AA = 'ACDEFGHIKLMNPQRSTVWY'
MAGIC = b'FSTPLLIB'
VERSION = 1
N_CODES = 256
# Ideal geometry (Engh & Huber), matches src/predict/library.cpp.
# atom order N, CA, C, O; each placed from (a, b, c):
#   N(i):  (N(i-1), CA(i-1), C(i-1)), bond C-N,  angle CA-C-N
#   CA(i): (CA(i-1), C(i-1), N(i)),   bond N-CA, angle C-N-CA
#   C(i):  (C(i-1), N(i), CA(i)),     bond CA-C, angle N-CA-C
#   O(i):  (N(i+1) or N(i), CA(i), C(i)), bond C-O, angle CA-C-O
BOND0 = np.array([1.329, 1.458, 1.525, 1.231])
ANGLE0 = np.radians([116.2, 121.7, 111.2, 120.8])
BOND_STEP = 0.01
ANGLE_STEP = np.radians(0.5)
TORSION_STEP = 2 * np.pi / 256


def read_names(path):
    with open(path) as f:
        return {l.strip() for l in f if l.strip()}


def place(a, b, c, bond, angle, torsion):
    """NeRF, vectorised over rows: D with |CD|=bond, angle BCD=angle, dihedral ABCD=torsion."""
    bc = c - b
    bc /= np.linalg.norm(bc, axis=1, keepdims=True)
    n = np.cross(b - a, bc)
    n /= np.linalg.norm(n, axis=1, keepdims=True)
    m = np.cross(n, bc)
    d2 = np.stack([-bond * np.cos(angle), bond * np.sin(angle) * np.cos(torsion),
                   bond * np.sin(angle) * np.sin(torsion)], axis=1)
    return c + d2[:, :1] * bc + d2[:, 1:2] * m + d2[:, 2:3] * n


def internal(a, b, c, d):
    """bond |CD|, angle BCD, dihedral ABCD for rows."""
    cd = d - c
    bond = np.linalg.norm(cd, axis=1)
    cb = b - c
    cosang = np.sum(cd * cb, axis=1) / np.maximum(bond * np.linalg.norm(cb, axis=1), 1e-12)
    angle = np.arccos(np.clip(cosang, -1, 1))
    b1, b2, b3 = b - a, c - b, d - c     # IUPAC sign, same convention as place()
    n2 = np.cross(b2, b3)
    tors = np.arctan2(np.linalg.norm(b2, axis=1) * np.sum(b1 * n2, axis=1),
                      np.sum(np.cross(b1, b2) * n2, axis=1))
    return bond, angle, tors


def encode_one_atom(kind, a, b, c, d, out_b, out_a, out_t, esc):
    """Quantises atom d (rows) relative to rebuilt a, b, c; returns the rebuilt d."""
    bond, angle, tors = internal(a, b, c, d)
    qb = np.round((bond - BOND0[kind]) / BOND_STEP)
    qa = np.round((angle - ANGLE0[kind]) / ANGLE_STEP)
    qt = np.round(tors / TORSION_STEP).astype(np.int64) % 256
    bad = (np.abs(qb) > 127) | (np.abs(qa) > 127)
    qb[bad] = 0
    qa[bad] = 0
    qt[bad] = 0
    rebuilt = place(a, b, c, BOND0[kind] + qb * BOND_STEP, ANGLE0[kind] + qa * ANGLE_STEP,
                    qt * TORSION_STEP)
    rebuilt[bad] = d[bad]
    out_b[:] = qb.astype(np.int8)
    out_a[:] = qa.astype(np.int8)
    out_t[:] = qt.astype(np.uint8)
    esc[:] = bad
    return rebuilt


def encode_backbones(coords, lengths, batch=1500):
    """coords: list of (L,4,3) float64 arrays (N, CA, C, O). Walks residue positions,
    vectorised across a batch of chains of similar length. Returns planes (12, n_res), the
    escapes [(residue*4+atom, atom)] and the rebuilt coordinates (what the reader will get)."""
    n_res = int(sum(lengths))
    lengths = np.asarray(lengths)
    offs = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
    planes = np.zeros((12, n_res), np.uint8)
    escape = np.zeros((4, n_res), bool)
    rebuilt = [None] * len(coords)
    order = np.argsort(-lengths, kind='stable')
    for b0 in range(0, len(order), batch):
        sub = order[b0:b0 + batch]
        encode_batch([coords[i] for i in sub], lengths[sub], offs[sub], planes, escape, rebuilt, sub)
    esc = []
    for kind in range(4):
        for g in np.nonzero(escape[kind])[0]:
            esc.append((int(g) * 4 + kind, kind))
    esc.sort()
    return planes, esc, rebuilt


def encode_batch(coords, lens_sorted, gofs, planes, escape, rebuilt, ids):
    maxlen = int(lens_sorted[0])
    T = np.zeros((len(coords), maxlen, 4, 3))   # true, padded
    for j, c in enumerate(coords):
        T[j, :len(c)] = c
    R = T.copy()                                # rebuilt
    for k in range(maxlen):
        act = int(np.sum(lens_sorted > k))   # lengths sorted descending: the first act chains
        if act == 0:
            break
        idx = gofs[:act] + k

        def put(kind, rows, res, a, b, c):
            n_ = len(rows)
            eb = np.zeros(n_, np.int8); ea = np.zeros(n_, np.int8); et = np.zeros(n_, np.uint8)
            es = np.zeros(n_, bool)
            r = encode_one_atom(kind, a, b, c, T[rows, res, kind], eb, ea, et, es)
            g = gofs[rows] + res
            planes[kind, g] = eb.view(np.uint8)
            planes[4 + kind, g] = ea.view(np.uint8)
            planes[8 + kind, g] = et
            escape[kind, g] = es
            R[rows, res, kind] = r

        rows = np.arange(act)
        if k > 0:
            put(0, rows, k, R[:act, k - 1, 0], R[:act, k - 1, 1], R[:act, k - 1, 2])
            put(1, rows, k, R[:act, k - 1, 1], R[:act, k - 1, 2], R[:act, k, 0])
            put(2, rows, k, R[:act, k - 1, 2], R[:act, k, 0], R[:act, k, 1])
            # O of residue k-1, now that N(k) exists
            put(3, rows, k - 1, R[:act, k, 0], R[:act, k - 1, 1], R[:act, k - 1, 2])
        # O of the last residue of chains ending at k: referenced on N(k) itself
        ending = np.nonzero(lens_sorted[:act] == k + 1)[0]
        if len(ending):
            put(3, ending, k, R[ending, k, 0], R[ending, k, 1], R[ending, k, 2])
    for j, ci in enumerate(ids):
        rebuilt[ci] = R[j, :lens_sorted[j]]


def kmeans_codebook(freqs, k, seed, sample=120000, iters=30):
    """Lloyd's k-means on sqrt frequencies (Hellinger geometry); fixed seed and sample."""
    rng = np.random.default_rng(seed)
    X = np.sqrt(freqs[rng.choice(len(freqs), min(sample, len(freqs)), replace=False)])
    C = X[rng.choice(len(X), k, replace=False)].copy()
    for _ in range(iters):
        lab = assign(X, C)
        S = np.zeros_like(C)
        np.add.at(S, lab, X)
        cnt = np.bincount(lab, minlength=k)
        C[cnt > 0] = S[cnt > 0] / cnt[cnt > 0, None]
        for j in np.nonzero(cnt == 0)[0]:      # re-seed empty clusters deterministically
            C[j] = X[rng.integers(len(X))]
    return C


def assign(X, C, chunk=200000):
    out = np.empty(len(X), np.int64)
    cn = np.sum(C * C, axis=1)
    for s in range(0, len(X), chunk):
        x = X[s:s + chunk]
        out[s:s + chunk] = np.argmin(cn[None, :] - 2 * x @ C.T, axis=1)
    return out


def pad4(b):
    return b + b'\0' * (-len(b) % 4)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--limit', type=int, default=0, help='export only the first N allowed chains')
    ap.add_argument('--names', help='file of chain names to export (default: all allowed)')
    ap.add_argument('--out', default=os.path.join(ROOT, 'build', 'library', 'templates.fslib'))
    ap.add_argument('--seed', type=int, default=20261129)
    a = ap.parse_args()
    t0 = time.time()
    excluded = read_names(os.path.join(BENCH, 'excluded.txt'))
    import promod3.loop
    db = promod3.loop.LoadStructureDB()
    names = []
    for i in range(db.GetNumCoords()):
        ci = db.GetCoordInfo(i)
        names.append(ci.id + '_' + ci.chain_name)
    allowed = [i for i, n in enumerate(names) if n not in excluded]   # filter FIRST
    if a.names:
        want = read_names(a.names)
        allowed = [i for i in allowed if names[i] in want]
    if a.limit:
        allowed = allowed[:a.limit]
    assert not any(names[i] in excluded for i in allowed)
    print('chains', len(allowed), 'of', len(names), flush=True)

    seqs, ssq, profs, coords = [], [], [], []
    ss_map = {c: c for c in 'HGIEBTS'}
    for n_done, i in enumerate(allowed):
        seq = db.GetSequence(i)
        L = len(seq)
        seqs.append(seq)
        ssq.append(''.join(ss_map.get(c, '-') for c in db.GetDSSPStates(i)))
        cols = db.GetSequenceProfile(i).columns
        profs.append(np.array([[cols[k].GetFreq(x) for x in AA] for k in range(L)], np.float64))
        bb = db.GetBackboneList(i)
        xyz = np.empty((L, 4, 3))
        for k in range(L):
            for j, v in enumerate((bb.GetN(k), bb.GetCA(k), bb.GetC(k), bb.GetO(k))):
                xyz[k, j] = (v[0], v[1], v[2])
        coords.append(xyz)
        if n_done % 2000 == 0:
            print('read', n_done, round(time.time() - t0, 1), 's', flush=True)
    lengths = [len(s) for s in seqs]
    n_res = sum(lengths)
    print('residues', n_res, 'read in', round(time.time() - t0, 1), 's', flush=True)

    F = np.concatenate(profs)
    F = F / np.maximum(F.sum(1, keepdims=True), 1e-9)
    empty = F.sum(1) < 0.5
    F[empty] = 1.0 / 20
    C = kmeans_codebook(F, N_CODES, a.seed)
    codes = assign(np.sqrt(F), C).astype(np.uint8)
    # Centroid stored as mean frequency of its members (a proper distribution).
    book = np.zeros((N_CODES, 20))
    np.add.at(book, codes, F)
    cnt = np.bincount(codes, minlength=N_CODES)
    book[cnt > 0] /= cnt[cnt > 0, None]
    book[cnt == 0] = (C[cnt == 0] ** 2)
    book /= book.sum(1, keepdims=True)
    print('codebook fitted', round(time.time() - t0, 1), 's', flush=True)

    planes, esc, rebuilt = encode_backbones(coords, lengths)
    allc = np.concatenate(coords)
    allr = np.concatenate(rebuilt)
    rms = np.sqrt(np.mean(np.sum((allc - allr) ** 2, axis=2), axis=0))
    print('rebuild RMSD N CA C O (A):', ' '.join('%.4f' % r for r in rms), 'escapes', len(esc),
          round(time.time() - t0, 1), 's', flush=True)

    names_blob = ''.join(names[i] + '\n' for i in allowed).encode()
    starts = np.array([c[0, :3].reshape(-1) for c in coords], np.float32)
    parts = [MAGIC, struct.pack('<12I', VERSION, len(allowed), n_res, N_CODES, 20,
                                len(names_blob), len(esc), 0, 0, 0, 0, 0)]
    parts.append(book.astype('<f4').tobytes())
    parts.append(np.array(lengths, '<u4').tobytes())
    parts.append(pad4(names_blob))
    parts.append(pad4(''.join(seqs).encode()))
    parts.append(pad4(codes.tobytes()))
    parts.append(pad4(''.join(ssq).encode()))
    parts.append(starts.astype('<f4').tobytes())
    parts.append(pad4(planes.tobytes()))
    eb = bytearray()
    for g, kind in esc:
        eb += struct.pack('<I3f', g, *allc[g // 4, kind])
    parts.append(bytes(eb))
    data = b''.join(parts)
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    tmp = a.out + '.tmp'
    with open(tmp, 'wb') as f:
        f.write(data)
    os.replace(tmp, a.out)
    gz = gzip.compress(data, compresslevel=9, mtime=0)
    with open(a.out + '.gz', 'wb') as f:
        f.write(gz)
    print('wrote', a.out, len(data), 'bytes; gzip', len(gz), 'bytes (%.1f MB)' % (len(gz) / 1e6),
          'sha256', hashlib.sha256(data).hexdigest()[:16], round(time.time() - t0, 1), 's')


if __name__ == '__main__':
    main()
