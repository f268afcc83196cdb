// Bad-input cases for tests/e2e/bad_input.test.mjs, generated at run time into a temp dir
// (nothing large is committed). Each case is
//   { id, kind: 'url' | 'file' | 'bytes' | 'text' | 'api' | 'predict', ... , expect, mention }
// expect: 'reject' (readable Error), 'resolve' (valid but odd input: loads), or
//         { resolve: {atoms} } for an exact count; mention: a RegExp the message must match
// (the file name or the reason).
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';

const BIO = '/usr/share/doc/python-biopython-doc/Tests/PDB';
export const PDB_SRC = '/usr/share/pymol/data/tut/1hpv.pdb';
export const CIF_SRC = `${BIO}/1A8O.cif.gz`;

// Deterministic pseudo-random bytes (same cases every run).
function prng(seed) { let s = seed >>> 0; return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s; }; }
function randomBytes(n, seed) { const r = prng(seed), b = Buffer.alloc(n); for (let i = 0; i < n; ++i) b[i] = r() & 255; return b; }
// Cut at a byte offset, but inside a line (not on a line boundary), so a record is cut in half.
function cutMidLine(buf, frac) {
  let at = Math.floor(buf.length * frac);
  while (at < buf.length && buf[at] !== 10) ++at;   // end of that line
  return buf.subarray(0, Math.max(1, at - 20));      // 20 bytes before it: mid-record
}
function lineCount(buf) { let n = 0; for (const c of buf) if (c === 10) ++n; return n; }
export function pdbAtoms(text) {
  let n = 0;
  for (const line of text.split('\n')) { if (line.startsWith('ENDMDL')) break; if (/^(ATOM  |HETATM)/.test(line)) ++n; }
  return n;
}

// Streams an N-atom mmCIF (poly-Ala chains of 1,000 residues, 5 atoms each, on a grid) to `file`.
export function writeBigCif(file, atoms) {
  const fd = fs.openSync(file, 'w');
  const head = ['data_BIG', '#', '_entry.id BIG', '#', 'loop_'];
  for (const tag of ['group_PDB', 'id', 'type_symbol', 'label_atom_id', 'label_alt_id', 'label_comp_id',
    'label_asym_id', 'label_entity_id', 'label_seq_id', 'pdbx_PDB_ins_code', 'Cartn_x', 'Cartn_y', 'Cartn_z',
    'occupancy', 'B_iso_or_equiv', 'pdbx_formal_charge', 'auth_seq_id', 'auth_comp_id', 'auth_asym_id',
    'auth_atom_id', 'pdbx_PDB_model_num']) head.push('_atom_site.' + tag);
  fs.writeSync(fd, head.join('\n') + '\n');
  // One residue: N CA C O CB, offsets in Å along a straight strand (3.8 Å per residue).
  const res = [['N', 'N', -1.2, 0.4, 0.0], ['CA', 'C', 0.0, 0.0, 0.0], ['C', 'C', 1.2, 0.5, 0.3],
    ['O', 'O', 1.3, 1.7, 0.5], ['CB', 'C', 0.1, -1.2, -0.8]];
  const perChain = 1000, residues = Math.ceil(atoms / 5);
  let serial = 0, parts = [], size = 0;
  for (let r = 0; r < residues; ++r) {
    const chain = Math.floor(r / perChain), seq = (r % perChain) + 1;
    const cx = (chain % 40) * 12, cy = Math.floor(chain / 40) * 12, z0 = seq * 3.8 - 1900;
    const name = 'C' + chain;
    for (const [an, el, dx, dy, dz] of res) {
      if (serial >= atoms) break;
      ++serial;
      const line = `ATOM ${serial} ${el} ${an} . ALA ${name} 1 ${seq} ? ${(cx + dx).toFixed(3)} ${(cy + dy).toFixed(3)} ${(z0 + dz).toFixed(3)} 1.00 20.00 0 ${seq} ALA ${name} ${an} 1\n`;
      parts.push(line); size += line.length;
    }
    if (size > 4 << 20) { fs.writeSync(fd, parts.join('')); parts = []; size = 0; }
  }
  parts.push('#\n');
  fs.writeSync(fd, parts.join(''));
  fs.closeSync(fd);
  return fs.statSync(file).size;
}

// Writes every file case into `dir` (served at `cases/`) and returns the case list.
export function buildCases(dir, { root, bigAtoms = 5_000_000 } = {}) {
  fs.mkdirSync(dir, { recursive: true });
  const pdb = fs.readFileSync(PDB_SRC);
  const pdbText = pdb.toString('latin1');
  const pdbAll = pdbAtoms(pdbText);
  const cif = zlib.gunzipSync(fs.readFileSync(CIF_SRC));
  const cifText = cif.toString('latin1');
  const gz = zlib.gzipSync(pdb);
  let bcif = null;
  try {
    const out = path.join(dir, '_src.bcif');
    execFileSync('/usr/bin/python3', [path.join(root, 'tests/bcif_encode.py'), CIF_SRC, out], { stdio: 'ignore' });
    bcif = fs.readFileSync(out);
  } catch (e) { bcif = null; }
  const png = (() => {   // a real 1×1 PNG
    const chunk = (type, data) => { const b = Buffer.alloc(12 + data.length); b.writeUInt32BE(data.length, 0); b.write(type, 4, 'ascii'); data.copy(b, 8); b.writeUInt32BE(zlib.crc32 ? zlib.crc32(Buffer.concat([Buffer.from(type), data])) : 0, 8 + data.length); return b; };
    const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0]);
    return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(Buffer.from([0, 255, 0, 0, 255]))), chunk('IEND', Buffer.alloc(0))]);
  })();
  const fasta = Buffer.from('>sp|P69905|HBA_HUMAN Hemoglobin subunit alpha\nMVLSPADKTNVKAAWGKVGAHAGEYGAEALERMFLSFPTTKTYFPHFDLSHGSAQVKGHGKKVADALTNAVAHV\nDDMPNALSALSDLHAHKLRVDPVNFKLLSHCLLVTLAAHLPAEFTPAVHASLDKFLASVSTVLTSKYR\n');
  const html404 = Buffer.from('<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head>\n<body><h1>Not Found</h1>\n<p>The requested URL /files/1abc.cif was not found on this server.</p>\n</body></html>\n');
  const cases = [];
  const file = (id, bytes, expect, o = {}) => {
    fs.writeFileSync(path.join(dir, id), bytes);
    cases.push({ id, kind: o.kind || 'url', name: id, size: bytes.length, expect, mention: o.mention || new RegExp(id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), note: o.note || '' });
  };

  // --- truncated PDB (1HPV, 1,631 atoms): a cut file still holds whole records before the cut.
  // Policy checked here: the complete records load (fewer atoms), a half record is dropped or
  // refused, never half-read.
  const hdrEnd = pdbText.indexOf('\nATOM') + 1;
  file('trunc_pdb_header.pdb', pdb.subarray(0, Math.floor(hdrEnd / 2)), 'reject', { note: 'cut inside the header: 0 atoms' });
  for (const f of [0.25, 0.5, 0.75]) file(`trunc_pdb_${f * 100}pct.pdb`, cutMidLine(pdb, f), 'resolve-fewer', { note: `cut mid-record at ${f * 100} %` });
  file('trunc_pdb_last_byte.pdb', pdb.subarray(0, pdb.length - 1), { atoms: pdbAll }, { note: 'last byte (newline) missing' });
  // --- truncated mmCIF (1A8O)
  const loopAt = cifText.indexOf('_atom_site.group_PDB');
  file('trunc_cif_head.cif', cif.subarray(0, 100), 'reject', { note: 'cut in the first categories' });
  file('trunc_cif_tags.cif', cif.subarray(0, loopAt + 60), 'reject', { note: 'cut inside the atom_site tag list' });
  for (const f of [0.5, 0.8]) file(`trunc_cif_${f * 100}pct.cif`, cutMidLine(cif, f), 'either', { note: `cut mid-row at ${f * 100} %` });
  // --- truncated BinaryCIF (msgpack): no partial read is possible
  if (bcif) {
    for (const [tag, n] of [['16b', 16], ['10pct', Math.floor(bcif.length * 0.1)], ['50pct', Math.floor(bcif.length * 0.5)], ['90pct', Math.floor(bcif.length * 0.9)], ['last_byte', bcif.length - 1]])
      file(`trunc_bcif_${tag}.bcif`, bcif.subarray(0, n), 'reject', { note: 'truncated msgpack' });
  }
  // --- truncated / corrupt gzip (of 1HPV)
  file('trunc_gz_header.pdb.gz', gz.subarray(0, 10), 'reject', { note: 'gzip header only' });
  file('trunc_gz_30pct.pdb.gz', gz.subarray(0, Math.floor(gz.length * 0.3)), 'reject', { note: 'deflate stream cut' });
  file('trunc_gz_70pct.pdb.gz', gz.subarray(0, Math.floor(gz.length * 0.7)), 'reject', { note: 'deflate stream cut' });
  file('trunc_gz_no_trailer.pdb.gz', gz.subarray(0, gz.length - 8), 'either', { note: 'CRC/size trailer missing' });
  const badCrc = Buffer.from(gz); badCrc[badCrc.length - 6] ^= 0xff;
  file('gz_bad_crc.pdb.gz', badCrc, 'either', { note: 'CRC mismatch' });
  const badDeflate = Buffer.from(gz); for (let i = 200; i < 260; ++i) badDeflate[i] ^= 0x5a;
  file('gz_corrupt_body.pdb.gz', badDeflate, 'reject', { note: 'corrupt deflate data' });

  // --- wrong format behind the right extension
  file('pdb_named.cif', pdb, 'either', { note: 'PDB text named .cif (content sniffed or refused)' });
  file('cif_named.pdb', cif, 'either', { note: 'mmCIF text named .pdb' });
  file('png_named.pdb', png, 'reject');
  file('png_named.cif', png, 'reject');
  file('fasta_named.cif', fasta, 'reject');
  file('fasta_named.pdb', fasta, 'reject');
  file('json_named.pdb', Buffer.from(JSON.stringify({ atoms: [{ x: 1, y: 2, z: 3 }], note: 'not a structure' })), 'reject');
  file('html404_named.cif', html404, 'reject', { note: 'a server error page saved as .cif' });
  file('html404_named.pdb', html404, 'reject');
  file('dssp_named.pdb', zlib.gunzipSync(fs.readFileSync(`${BIO}/2BEG.dssp.gz`)), 'reject');
  file('mmtf_named.bcif', zlib.gunzipSync(fs.readFileSync(`${BIO}/1A8O.mmtf.gz`)), 'reject', { note: 'MMTF (msgpack, other schema) named .bcif' });
  file('pdb_named.bcif', pdb, 'either', { note: 'text named .bcif' });
  if (bcif) file('bcif_named.pdb', bcif, 'either', { note: 'BinaryCIF bytes named .pdb' });
  file('zip_named.cif.gz', Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), randomBytes(2000, 7)]), 'reject', { note: 'a zip archive named .cif.gz' });
  file('gzip_of_png.pdb.gz', zlib.gzipSync(png), 'reject');
  file('gzip_of_gzip.pdb.gz', zlib.gzipSync(gz), 'either', { note: 'double gzip' });

  // --- binary, NUL bytes, encodings
  file('random_100k.pdb', randomBytes(100_000, 1), 'reject', { note: 'main-thread parse' });
  file('random_1m.pdb', randomBytes(1_000_000, 2), 'reject', { note: 'worker parse' });
  file('random_1m.cif', randomBytes(1_000_000, 3), 'reject');
  file('random_300k.bcif', randomBytes(300_000, 4), 'reject');
  file('random.cif.gz', zlib.gzipSync(randomBytes(400_000, 5)), 'reject');
  file('nul_1m.pdb', Buffer.alloc(1_000_000), 'reject', { note: '1 MB of NUL bytes' });
  file('nul_1m.cif', Buffer.alloc(1_000_000), 'reject');
  const nulInside = Buffer.from(pdb); for (let i = hdrEnd + 30; i < nulInside.length; i += 811) nulInside[i] = 0;
  file('nul_in_records.pdb', nulInside, 'either', { note: 'NUL bytes inside ATOM records' });
  file('utf16_named.pdb', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(pdbText, 'utf16le')]), 'reject', { note: 'UTF-16 text' });
  file('latin1_names.cif', Buffer.from(cifText.replace('_struct.title', '_struct.title \xe9\xff\xfe\n_struct.pdbx_x').replace(/\n_struct.pdbx_x[^\n]*/, ''), 'latin1'), 'either', { note: 'invalid UTF-8 in a header field' });
  file('crlf.pdb', Buffer.from(pdbText.replace(/\n/g, '\r\n'), 'latin1'), { atoms: pdbAll }, { note: 'Windows line ends' });

  // --- enormous lines
  const big = Buffer.alloc(50 * 1024 * 1024, 'A');
  file('line_50mb.pdb', big, 'reject', { note: '50 MB single line, no newline' });
  const bigCif = Buffer.alloc(50 * 1024 * 1024, 'x'); bigCif.write('data_x\n_a ', 0);
  file('line_50mb.cif', bigCif, 'reject', { note: '50 MB single value' });
  const longAtom = Buffer.from(pdbText.slice(0, hdrEnd) + 'ATOM      1  N   PRO A   1       8.316  21.206  21.530  1.00 17.44           N' + ' '.repeat(1_000_000) + 'X\nEND\n', 'latin1');
  file('atom_line_1mb.pdb', longAtom, 'either', { note: 'one ATOM record 1 MB long' });

  // --- 0 atoms
  file('empty.pdb', Buffer.alloc(0), 'reject', { note: '0 bytes' });
  file('empty.cif', Buffer.alloc(0), 'reject');
  file('whitespace.pdb', Buffer.from(' \n\t\n   \r\n'), 'reject');
  file('header_only.pdb', Buffer.from(pdbText.slice(0, hdrEnd) + 'END\n', 'latin1'), 'reject', { note: 'header, no atoms' });
  file('no_atom_site.cif', Buffer.from(cifText.slice(0, cifText.indexOf('loop_\n_atom_site')), 'latin1'), 'reject', { note: 'mmCIF with no atom_site' });
  file('empty_atom_loop.cif', Buffer.from('data_X\nloop_\n_atom_site.group_PDB\n_atom_site.id\n_atom_site.type_symbol\n_atom_site.label_atom_id\n_atom_site.Cartn_x\n_atom_site.Cartn_y\n_atom_site.Cartn_z\n#\n'), 'reject', { note: 'atom_site loop with no rows' });
  // --- odd but valid, and malformed records
  file('one_atom.pdb', Buffer.from('ATOM      1  CA  GLY A   1       1.000   2.000   3.000  1.00 10.00           C\nEND\n'), { atoms: 1 });
  file('water_only.pdb', fs.readFileSync('/usr/share/pymol/data/chempy/water.pdb'), 'resolve');
  file('nan_coords.pdb', Buffer.from('ATOM      1  CA  GLY A   1         nan     inf    -inf  1.00 10.00           C\nATOM      2  CA  GLY A   2       4.000   2.000   3.000  1.00 10.00           C\nEND\n'), 'either', { note: 'nan/inf coordinates' });
  file('letters_in_coords.pdb', Buffer.from('ATOM      1  CA  GLY A   1       1.0x0   2.000   3.000  1.00 10.00           C\nEND\n'), 'either', { note: 'a letter inside a coordinate' });
  file('cif_bad_column_count.cif', Buffer.from('data_X\nloop_\n_atom_site.group_PDB\n_atom_site.id\n_atom_site.type_symbol\n_atom_site.label_atom_id\n_atom_site.label_comp_id\n_atom_site.label_asym_id\n_atom_site.label_seq_id\n_atom_site.Cartn_x\n_atom_site.Cartn_y\n_atom_site.Cartn_z\nATOM 1 C CA GLY A 1 1.0 2.0 3.0\nATOM 2 C CA GLY A\n#\n'), 'reject', { note: 'values not a multiple of the tags' });
  file('cif_unterminated_text.cif', Buffer.from('data_X\n_struct.title\n;never closed\n' + cifText.slice(loopAt - 6), 'latin1'), 'reject', { note: 'unterminated ;-text field' });
  file('cif_unterminated_quote.cif', Buffer.from(cifText.replace(/ATOM   1 /, "ATOM   1 'unclosed "), 'latin1'), 'either', { note: 'unterminated quote in a row' });
  // --- File objects (the drop / picker path) and raw bytes
  cases.push({ id: 'file:random.pdb', kind: 'file', name: 'random_file.pdb', src: 'random_100k.pdb', expect: 'reject', mention: /random_file\.pdb/ });
  cases.push({ id: 'file:trunc_bcif', kind: 'file', name: 'cut_file.bcif', src: bcif ? 'trunc_bcif_50pct.bcif' : 'random_300k.bcif', expect: 'reject', mention: /cut_file\.bcif/ });
  cases.push({ id: 'bytes:png(no name)', kind: 'bytes', name: null, src: 'png_named.pdb', expect: 'reject', mention: /structure\.pdb|PNG|not/i });
  cases.push({ id: 'text:html', kind: 'text', text: html404.toString(), expect: 'reject', mention: /text\.pdb/ });
  // --- API misuse, URLs
  cases.push({ id: 'api:undefined', kind: 'api', arg: 'undefined', expect: 'reject', mention: /source must be/ });
  cases.push({ id: 'api:number', kind: 'api', arg: '42', expect: 'reject', mention: /source must be/ });
  cases.push({ id: 'api:object', kind: 'api', arg: '({})', expect: 'reject', mention: /source must be/ });
  cases.push({ id: 'url:404', kind: 'url', name: 'no/such/file.pdb', expect: 'reject', mention: /file\.pdb.*404|404.*file\.pdb/ });
  cases.push({ id: 'url:unreachable', kind: 'url', name: 'http://127.0.0.1:9/x.cif', absolute: true, expect: 'reject', mention: /x\.cif/ });
  cases.push({ id: 'url:directory', kind: 'url', name: 'cases/', expect: 'reject', mention: /cases|structure/ });
  cases.push({ id: 'url:index.html', kind: 'url', name: 'index.html', expect: 'reject', mention: /index\.html/ });

  // --- sequences (predict)
  const seq = (id, s, expect, mention) => cases.push({ id: 'seq:' + id, kind: 'predict', seq: s, expect, mention, note: s.length > 60 ? `${s.length} chars` : JSON.stringify(s) });
  seq('non_protein_letters', 'MKTAYBJOUZ', 'reject', /'B' at position 6/);
  seq('digits', 'MKT1AYIAK', 'reject', /'1' at position 4/);
  seq('genbank_numbers', '        1 mvlspadktn vkaawgkvga', 'reject', /'1' at position/);
  seq('empty', '', 'reject', /empty/);
  seq('whitespace_only', '   \n\t  \n', 'reject', /empty/);
  seq('fasta_header_only', '>sp|X|Y no sequence\n', 'reject', /empty/);
  seq('gaps', 'MKTA--YIAK', 'reject', /'-' at position 5/);
  seq('rna', 'ACGUACGUAC', 'reject', /'U' at position 4/);
  seq('accented', 'MKTAÉYIAK', 'reject', /'É' at position 5/);
  seq('emoji', 'MKTA🧬YIAK', 'reject', /position 5/);
  seq('smiles', 'CC(=O)Oc1ccccc1C(=O)O', 'reject', /'\(' at position 3/);
  seq('residues_10000', 'ACDEFGHIKLMNPQRSTVWY'.repeat(500), 'reject', /10000 residues.*limit is 1000/);
  seq('residues_1001', 'A'.repeat(1001), 'reject', /1001 residues/);
  seq('lowercase_valid', 'mktayiakqrqisfvkshfsrqleerlglie', 'resolve', null);
  seq('multi_record_fasta', '>one\nMKTAYIAKQRQISFVKSHFSRQ\nLEERLGLIE\n>two\nGGGGSGGGGS\n>three\nPPPP\n', 'resolve', null);
  return { cases, pdbAll, bigAtoms };
}
