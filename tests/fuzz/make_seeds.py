#!/usr/bin/python3
"""Seed corpora for the libFuzzer targets (tests/fuzz/), generated from real files on this
machine (Debian-packaged test structures, the exported template library) so that nothing
binary is committed. Usage: make_seeds.py OUTDIR -> OUTDIR/<target>/* (one folder per target).
Used by scripts/fuzz_short and scripts/fuzz_long.
"""
import glob, gzip, os, struct, subprocess, sys, zlib
out = sys.argv[1]
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
KINDS = ("pdb", "mmcif", "bcif", "fasta", "gzip", "selection", "library")
for d in KINDS:
    os.makedirs(os.path.join(out, d), exist_ok=True)

def text(path):
    data = open(path, "rb").read()
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data

def prefix(data, limit):  # whole lines up to limit bytes
    if len(data) <= limit:
        return data
    cut = data.rfind(b"\n", 0, limit)
    return data[:cut + 1] if cut > 0 else data[:limit]

def packaged(patterns):
    r = subprocess.run(["dpkg", "-S"] + patterns, capture_output=True, text=True)
    files = set()
    for line in r.stdout.splitlines():
        for p in line.split(": ", 1)[-1].split(", "):
            if os.path.isfile(p.strip()):
                files.add(p.strip())
    return sorted(files)

def put(kind, name, data):
    with open(os.path.join(out, kind, name), "wb") as f:
        f.write(data)

pdbs = [p for p in packaged(["*.pdb", "*.pdb.gz", "*.ent"]) if "/sgml/" not in p]
for p in pdbs:
    put("pdb", os.path.basename(p), prefix(text(p), 20000))
cifs = [p for p in packaged(["*.cif", "*.cif.gz"])]
for p in cifs:
    put("mmcif", os.path.basename(p), prefix(text(p), 20000))
fastas = glob.glob("/usr/share/doc/python-biopython-doc/Tests/Fasta/*")
fastas += glob.glob("/usr/share/doc/python-biopython-doc/Tests/PDB/*.fa")
for p in fastas:
    if p.endswith((".pro", ".nu", ".fa", ".fasta")) or os.path.basename(p).startswith("f0"):
        put("fasta", os.path.basename(p), prefix(text(p), 16000))

# BinaryCIF seeds: atom_site of a few mmCIF files, encoded the way Mol*/ModelServer do.
try:
    import gemmi, msgpack
except ImportError:
    gemmi = None
def byte_array(values, fmt, type_code):
    return struct.pack("<%d%s" % (len(values), fmt), *values), [{"kind": "ByteArray", "type": type_code}]
def int_column(values):
    enc = []
    origin = values[0] if values else 0
    delta = [values[0]] + [b - a for a, b in zip(values, values[1:])] if values else []
    enc.append({"kind": "Delta", "origin": origin, "srcType": 3})
    rl = []
    for v in delta:
        if rl and rl[-2] == v:
            rl[-1] += 1
        else:
            rl += [v, 1]
    enc.append({"kind": "RunLength", "srcType": 3, "srcSize": len(delta)})
    packed = []
    for v in rl:
        while v >= 32767:
            packed.append(32767); v -= 32767
        while v <= -32768:
            packed.append(-32768); v += 32768
        packed.append(v)
    enc.append({"kind": "IntegerPacking", "byteCount": 2, "isUnsigned": False, "srcSize": len(rl)})
    data, ba = byte_array(packed, "h", 2)
    return {"data": data, "encoding": enc + ba}
def float_column(values):
    ints = [int(round(v * 1000)) for v in values]
    col = int_column(ints)
    col["encoding"] = [{"kind": "FixedPoint", "factor": 1000, "srcType": 33}] + col["encoding"]
    return col
def string_column(values):
    uniq = sorted(set(values))
    index = {s: i for i, s in enumerate(uniq)}
    offsets = [0]
    for s in uniq:
        offsets.append(offsets[-1] + len(s.encode()))
    idx_data, idx_enc = byte_array([index[v] for v in values], "i", 3)
    off_data, off_enc = byte_array(offsets, "i", 3)
    return {"data": idx_data, "encoding": [{"kind": "StringArray", "dataEncoding": idx_enc,
            "stringData": "".join(uniq), "offsetEncoding": off_enc, "offsets": off_data}]}
INTS = {"id", "label_seq_id", "auth_seq_id", "pdbx_PDB_model_num", "pdbx_formal_charge"}
FLOATS = {"Cartn_x", "Cartn_y", "Cartn_z", "occupancy", "B_iso_or_equiv"}
if gemmi:
    for p in cifs[:8]:
        try:
            doc = gemmi.cif.read_string(text(p).decode("latin-1"))
            block = doc.sole_block()
            table = block.find_mmcif_category("_atom_site.")
            rows = [list(r) for r in table][:300]
            tags = [t.split(".", 1)[1] for t in table.tags]
        except Exception:
            continue
        if not rows:
            continue
        columns = []
        for j, tag in enumerate(tags):
            vals = [r[j] for r in rows]
            mask = [0 if v not in (".", "?") else (1 if v == "." else 2) for v in vals]
            try:
                if tag in INTS:
                    col = int_column([int(v) if m == 0 else 0 for v, m in zip(vals, mask)])
                elif tag in FLOATS:
                    col = float_column([float(v) if m == 0 else 0.0 for v, m in zip(vals, mask)])
                else:
                    col = string_column([gemmi.cif.as_string(v) if m == 0 else "" for v, m in zip(vals, mask)])
            except ValueError:
                col = string_column(vals)
            m = None
            if any(mask):
                md, me = byte_array(mask, "B", 4)
                m = {"data": md, "encoding": me}
            columns.append({"name": tag, "data": col, "mask": m})
        doc_b = {"version": "0.3.0", "encoder": "foldsight fuzz_short",
                 "dataBlocks": [{"header": block.name, "categories": [
                     {"name": "_atom_site", "rowCount": len(rows), "columns": columns}]}]}
        put("bcif", os.path.basename(p).split(".")[0] + ".bcif", msgpack.packb(doc_b, use_bin_type=True))

# ---- gzip wrapper: real structure text (prefixes of the files above) wrapped the ways files
# arrive: gzip (one member, several members, with a file name), zlib, a gzipped BinaryCIF. ----
def gz(data, name=None, level=6):
    import io
    buf = io.BytesIO()
    with gzip.GzipFile(filename=name or "", mode="wb", fileobj=buf, compresslevel=level, mtime=0) as f:
        f.write(data)
    return buf.getvalue()
texts = []
for kind in ("pdb", "mmcif"):
    for n in sorted(os.listdir(os.path.join(out, kind)))[:6]:
        texts.append((kind, n, open(os.path.join(out, kind, n), "rb").read()))
for kind, n, data in texts:
    small = prefix(data, 3000)
    put("gzip", n + ".gz", gz(small, n))
    put("gzip", n + ".z", zlib.compress(prefix(small, 1500), 9))
if len(texts) >= 2:
    put("gzip", "two-members.gz", gz(prefix(texts[0][2], 1200)) + gz(prefix(texts[1][2], 1200)))
for n in sorted(os.listdir(os.path.join(out, "bcif")))[:2]:
    b = open(os.path.join(out, "bcif", n), "rb").read()
    if len(b) < 20000:
        put("gzip", n + ".gz", gz(b, None, 9))
for p in packaged(["*.pdb.gz", "*.cif.gz"]):
    raw = open(p, "rb").read()
    if len(raw) <= 8192:
        put("gzip", "whole-" + os.path.basename(p), raw)
put("gzip", "empty.gz", gz(b""))

# ---- selection language: the app's own selections, the examples of selection.h and the
# selections of tests/native/test_core_selection.cpp. ----
selections = [
    "all", "none", "polymer", "ligand", "not water", "protein", "nucleic", "water", "hydrogen",
    "backbone", "sidechain", "hetatm", "chain A and resi 10-50", "resn HEM", "name CA+CB", "name C*",
    "protein and not hydrogen", "within 5 of ligand", "byres (within 4 of resn HEM)", "b > 50",
    "elem Fe", "model 2", "altloc A", "(chain A or chain B) and backbone", "NAME ca AND CHAIN A",
    "name CA and chain A+B", "chain B and resi 25+26+27-30", "water or name CA and chain A",
    "(water or name CA) and chain A", "within 5 of ligand and water", "byres within 5 of ligand",
    "byres name CA and chain A", "element h", "name CA and model 1 and chain A", "within 6 of resn NA",
    "resi 37", "resi 37A", "resi 37-37B", "resi 36-37", "resi 60A+62A", "resi -5--1", "resi 100A-102",
    "q < 1", "b >= 20 & ! hydrogen", "chain A | chain b", "resn HOH,HEM", "not (byres within 3.5 of elem FE)",
    "b != 30 and q <= 0.6", "chain W and resi 201-203", "name C1' or name OP1",
]
for i, s in enumerate(selections):
    put("selection", "sel%02d" % i, s.encode())

# ---- template library: small libraries cut from the exported one (build/library/templates.fslib,
# made by scripts/data/export_library.py): a few real chains with their sequences, profile codes,
# DSSP and backbones (escapes re-indexed); the codebook is cut to a few real codes (profile codes
# taken modulo that count) so the seeds stay small. Without the exported library, one tiny
# library is written from the same layout with made-up values. ----
def pad4(b):
    return b + b"\0" * (-len(b) % 4)
def write_library(codebook, names, seqs, profs, dssps, starts, planes, escapes):
    n_res = sum(len(s) for s in seqs)
    names_blob = b"".join(n + b"\n" for n in names)
    head = b"FSTPLLIB" + struct.pack("<12I", 1, len(names), n_res, len(codebook) // 20, 20, len(names_blob),
                                     len(escapes), 0, 0, 0, 0, 0)
    body = [head, struct.pack("<%df" % len(codebook), *codebook), struct.pack("<%dI" % len(seqs), *map(len, seqs)),
            pad4(names_blob), pad4(b"".join(seqs)), pad4(b"".join(profs)), pad4(b"".join(dssps)),
            struct.pack("<%df" % len(starts), *starts), pad4(b"".join(planes))]
    for key, xyz in escapes:
        body.append(struct.pack("<I3f", key, *xyz))
    return b"".join(body)
lib_path = os.path.join(ROOT, "build", "library", "templates.fslib")
made = 0
if os.path.isfile(lib_path):
    with open(lib_path, "rb") as f:
        head = f.read(56)
        h = struct.unpack("<12I", head[8:56])
        n_chains, n_res, n_codes, n_dims, names_bytes, n_esc = h[1:7]
        codebook = struct.unpack("<%df" % (n_codes * n_dims), f.read(n_codes * n_dims * 4))
        lengths = struct.unpack("<%dI" % n_chains, f.read(4 * n_chains))
        names = f.read(names_bytes + (-names_bytes % 4))[:names_bytes].split(b"\n")[:-1]
        def section(n):
            return f.read(n + (-n % 4))[:n]
        # the big sections are read lazily: only the first chains are used
        seq_off = f.tell()
    offs = [0]
    for L in lengths:
        offs.append(offs[-1] + L)
    pad = lambda n: n + (-n % 4)
    with open(lib_path, "rb") as f:
        def grab(section_start, a, b):
            f.seek(section_start + a)
            return f.read(b - a)
        seq_start = seq_off
        prof_start = seq_start + pad(n_res)
        dssp_start = prof_start + pad(n_res)
        start_start = dssp_start + pad(n_res)
        int_start = start_start + 36 * n_chains
        esc_start = int_start + pad(12 * n_res)
        f.seek(esc_start)
        esc_all = [struct.unpack("<I3f", f.read(16)) for _ in range(min(n_esc, 200000))]
        # short chains first (small seeds), some with escapes (chain breaks)
        order = sorted(range(min(n_chains, 4000)), key=lambda i: lengths[i])
        picks = [order[:1], order[1:3], order[3:6], [order[40]], [order[200], order[201]]]
        with_esc = sorted({k // 4 for k, *_ in esc_all[:2000]})
        chain_of = lambda r: next(i for i in range(n_chains) if offs[i] <= r < offs[i + 1])
        esc_chains = []
        for r in with_esc[:50]:
            c = chain_of(r)
            if lengths[c] <= 150 and c not in esc_chains:
                esc_chains.append(c)
        picks += [esc_chains[:1], esc_chains[1:3]]
        for pi, chains in enumerate(p for p in picks if p):
            K = [4, 8, 16, 2, 4, 8, 3][pi % 7]
            seqs, profs, dssps, starts, escapes = [], [], [], [], []
            planes = [bytearray() for _ in range(12)]
            base = 0
            for c in chains:
                a, b = offs[c], offs[c + 1]
                seqs.append(grab(seq_start, a, b))
                profs.append(bytes(x % K for x in grab(prof_start, a, b)))
                dssps.append(grab(dssp_start, a, b))
                f.seek(start_start + 36 * c)
                starts += struct.unpack("<9f", f.read(36))
                for k in range(12):
                    planes[k] += grab(int_start + k * n_res, a, b)
                for key, x, y, z in esc_all:
                    if 4 * a <= key < 4 * b:
                        escapes.append((key - 4 * a + 4 * base, (x, y, z)))
                base += b - a
            put("library", "lib%d.fslib" % pi, write_library(list(codebook[:20 * K]), [names[c] for c in chains], seqs,
                profs, dssps, starts, [bytes(p) for p in planes], escapes))
            made += 1
if not made:
    L = 12
    put("library", "tiny.fslib", write_library([0.05] * 40, [b"1ABC_A"], [b"MKTAYIAKQRQI"], [bytes([i % 2 for i in range(L)])],
        [b"-HHHHHHHH--E"], [0, 0, 0, 1.458, 0, 0, 2.0, 1.4, 0], [bytes(L)] * 12, [(5, (1.0, 2.0, 3.0))]))

# ---- structure blobs: small real structures; tests/fuzz/common.sh encodes them with the real
# encoder (the fuzz_structure_blob binary) into OUTDIR/structure_blob/. ----
os.makedirs(os.path.join(out, "structure_blob_src"), exist_ok=True)
for path in pdbs[:16]:
    n = os.path.basename(path)
    lines = text(path).split(b"\n")
    keep = [l for l in lines if l[:6] in (b"ATOM  ", b"HETATM", b"MODEL ", b"ENDMDL", b"TER   ", b"HELIX ", b"SHEET ", b"CONECT")]
    atoms = 0
    small = []
    for l in keep:
        atoms += l[:6] in (b"ATOM  ", b"HETATM")
        if atoms > 60:
            break
        small.append(l)
    if atoms:
        put("structure_blob_src", n.replace(".gz", ""), b"\n".join(small) + b"\nEND\n")

for k in KINDS:
    print("seeds: %d %s" % (len(os.listdir(os.path.join(out, k))), k))
