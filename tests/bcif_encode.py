#!/usr/bin/python3
"""Independent BinaryCIF encoder used to test our reader: reads an mmCIF with gemmi's CIF
parser and writes every category as BinaryCIF with the real encodings of the spec
(https://github.com/molstar/BinaryCIF/blob/master/encoding.md), written here from the
spec, sharing no code with src/core/bcif.cpp:
  integers  Delta -> RunLength -> IntegerPacking -> ByteArray(Int8/Int16/Uint8/Uint16)
  Cartn_*   FixedPoint -> Delta -> IntegerPacking -> ByteArray
  occupancy IntervalQuantization(0..1, 101 steps) -> ... (lossy by design: 0.01 steps)
  B_iso     ByteArray(Float32); other decimals FixedPoint(10^decimals)
  strings   StringArray (indices RunLength -> IntegerPacking, offsets Delta -> IntegerPacking)
  nulls     mask column: 0 value, 1 '.', 2 '?' (ByteArray Uint8)
Usage: bcif_encode.py IN.cif[.gz] OUT.bcif"""
import re
import struct
import sys

import gemmi
import msgpack

INT8, INT16, INT32, UINT8, UINT16, UINT32, FLOAT32, FLOAT64 = 1, 2, 3, 4, 5, 6, 32, 33


def byte_array(values, typ):
    fmt = {INT8: 'b', INT16: 'h', INT32: 'i', UINT8: 'B', UINT16: 'H', UINT32: 'I', FLOAT32: 'f', FLOAT64: 'd'}[typ]
    return struct.pack('<%d%s' % (len(values), fmt), *values), {'kind': 'ByteArray', 'type': typ}


def integer_packing(values):
    unsigned = all(v >= 0 for v in values)
    small = all((v < 0xFF) if unsigned else (-0x80 < v < 0x7F) for v in values)
    nbytes = 1 if small else 2
    if unsigned:
        upper, lower = (0xFF, None) if nbytes == 1 else (0xFFFF, None)
    else:
        upper, lower = (0x7F, -0x80) if nbytes == 1 else (0x7FFF, -0x8000)
    out = []
    for v in values:
        if v >= 0:
            while v >= upper:
                out.append(upper)
                v -= upper
        else:
            while v <= lower:
                out.append(lower)
                v -= lower
        out.append(v)
    enc = {'kind': 'IntegerPacking', 'byteCount': nbytes, 'isUnsigned': unsigned, 'srcSize': len(values)}
    typ = (UINT8 if unsigned else INT8) if nbytes == 1 else (UINT16 if unsigned else INT16)
    return out, enc, typ


def run_length(values):
    out = []
    i = 0
    while i < len(values):
        j = i
        while j < len(values) and values[j] == values[i]:
            j += 1
        out += [values[i], j - i]
        i = j
    return out, {'kind': 'RunLength', 'srcType': INT32, 'srcSize': len(values)}


def delta(values):
    if not values:
        return [], {'kind': 'Delta', 'origin': 0, 'srcType': INT32}
    out = [0] + [values[i] - values[i - 1] for i in range(1, len(values))]
    return out, {'kind': 'Delta', 'origin': values[0], 'srcType': INT32}


def encode_ints(values, use_delta=True, use_rle=True):
    encs = []
    if use_delta:
        values, e = delta(values)
        encs.append(e)
    if use_rle:
        values, e = run_length(values)
        encs.append(e)
    values, e, typ = integer_packing(values)
    encs.append(e)
    data, e = byte_array(values, typ)
    encs.append(e)
    return {'data': data, 'encoding': encs}


def encode_fixed(values, factor, use_delta=True):
    ints = [int(round(v * factor)) for v in values]
    inner = encode_ints(ints, use_delta=use_delta, use_rle=False)
    inner['encoding'].insert(0, {'kind': 'FixedPoint', 'factor': factor, 'srcType': FLOAT32})
    return inner


def encode_interval(values, lo, hi, steps):
    d = (hi - lo) / (steps - 1)
    ints = [int(round((min(max(v, lo), hi) - lo) / d)) for v in values]
    inner = encode_ints(ints, use_delta=False, use_rle=True)
    inner['encoding'].insert(0, {'kind': 'IntervalQuantization', 'min': lo, 'max': hi, 'numSteps': steps,
                                 'srcType': FLOAT32})
    return inner


def encode_strings(values):
    index = {}
    strings = []
    idx = []
    for v in values:
        if v not in index:
            index[v] = len(strings)
            strings.append(v)
        idx.append(index[v])
    offsets = [0]
    for s in strings:
        offsets.append(offsets[-1] + len(s.encode()))
    data_enc = encode_ints(idx, use_delta=False, use_rle=True)
    off_enc = encode_ints(offsets, use_delta=True, use_rle=False)
    return {'data': data_enc['data'],
            'encoding': [{'kind': 'StringArray', 'dataEncoding': data_enc['encoding'],
                          'stringData': ''.join(strings), 'offsetEncoding': off_enc['encoding'],
                          'offsets': off_enc['data']}]}


INT_RE = re.compile(r'[-+]?[0-9]+$')
DEC_RE = re.compile(r'[-+]?[0-9]*\.?[0-9]+$|[-+]?[0-9]+\.$')


def as_int(s):
    # Not int(s): Python accepts "1_555" (a symmetry code) as 1555.
    return int(s) if INT_RE.match(s) else None


def decimals(s):
    if not DEC_RE.match(s):
        return None
    return len(s.split('.')[1]) if '.' in s else 0


def encode_column(cat, name, raw):
    """raw: list of (value string or None, mask)"""
    vals = [v for v, m in raw]
    present = [v for v in vals if v is not None]
    fill = lambda d: [v if v is not None else d for v in vals]
    if name.lower() == 'occupancy' and all(decimals(v) is not None for v in present):
        return encode_interval([float(v) for v in fill('0')], 0.0, 1.0, 101)
    if name.lower() == 'b_iso_or_equiv' and all(decimals(v) is not None for v in present):
        data, e = byte_array([float(v) for v in fill('0')], FLOAT32)
        return {'data': data, 'encoding': [e]}
    if present and all(as_int(v) is not None for v in present) and all(-2**31 < int(v) < 2**31 for v in present):
        return encode_ints([int(v) for v in fill('0')])
    decs = [decimals(v) for v in present]
    if present and all(d is not None and d <= 6 for d in decs):
        return encode_fixed([float(v) for v in fill('0')], 10 ** max(decs), use_delta=name.lower().startswith('cartn'))
    return encode_strings(fill(''))


def main():
    doc = gemmi.cif.read(sys.argv[1])
    block = doc[0]
    categories = []
    for cat in block.get_mmcif_category_names():
        table = block.find_mmcif_category(cat)
        tags = [t[len(cat):] for t in table.tags]
        columns = []
        nrows = len(table)
        for k, tag in enumerate(tags):
            raw = []
            for r in range(nrows):
                v = table[r][k]
                if v == '?':
                    raw.append((None, 2))
                elif v == '.':
                    raw.append((None, 1))
                else:
                    raw.append((gemmi.cif.as_string(v), 0))
            mask = [m for v, m in raw]
            col = {'name': tag, 'data': encode_column(cat, tag, raw), 'mask': None}
            if any(mask):
                data, e = byte_array(mask, UINT8)
                col['mask'] = {'data': data, 'encoding': [e]}
            columns.append(col)
        categories.append({'name': cat[:-1], 'rowCount': nrows, 'columns': columns})
    out = {'version': '0.3.0', 'encoder': 'foldsight-tests/bcif_encode.py',
           'dataBlocks': [{'header': block.name, 'categories': categories}]}
    with open(sys.argv[2], 'wb') as f:
        f.write(msgpack.packb(out, use_bin_type=True))


if __name__ == '__main__':
    main()
