#!/usr/bin/python3
"""Writes a >= N-atom mmCIF by tiling a real structure: each copy is translated on a grid and
its chains get new names (auth "A" -> "A12", label likewise), as the PDB's big assemblies do.
Usage: make_big_cif.py OUT.cif [MIN_ATOMS] [SOURCE]   (source read with gemmi)"""
import sys
import gemmi

out = sys.argv[1]
min_atoms = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
src = sys.argv[3] if len(sys.argv) > 3 else '/usr/share/doc/python-biopython-doc/Tests/PDB/2XHE.cif.gz'

st = gemmi.read_structure(src)
st.setup_entities()
st.remove_empty_chains()
model = st[0]
rows = []  # per atom of one copy: fields except chain ids and coordinates
for ch in model:
    for res in ch:
        for at in res:
            rows.append(('HETATM' if res.het_flag == 'H' else 'ATOM', at.element.name, at.name,
                         at.altloc if at.altloc != '\0' else '.', res.name, res.subchain or ch.name,
                         res.entity_id or '1', str(res.label_seq) if res.label_seq is not None else '.',
                         res.seqid.icode if res.seqid.icode != ' ' else '?', at.pos.x, at.pos.y, at.pos.z,
                         at.occ, at.b_iso, at.charge, res.seqid.num, ch.name))
copies = -(-min_atoms // len(rows))
side = int(round(copies ** (1 / 3))) + 1
ext = [max(r[9 + i] for r in rows) - min(r[9 + i] for r in rows) + 5 for i in range(3)]
with open(out, 'w') as f:
    f.write('data_BIG\n#\n_entry.id BIG\n#\nloop_\n')
    for tag in ('group_PDB', 'id', 'type_symbol', 'label_atom_id', 'label_alt_id', 'label_comp_id',
                'label_asym_id', 'label_entity_id', 'label_seq_id', 'pdbx_PDB_ins_code', 'Cartn_x',
                'Cartn_y', 'Cartn_z', 'occupancy', 'B_iso_or_equiv', 'pdbx_formal_charge',
                'auth_seq_id', 'auth_comp_id', 'auth_asym_id', 'auth_atom_id', 'pdbx_PDB_model_num'):
        f.write('_atom_site.%s\n' % tag)
    serial = 0
    for k in range(copies):
        dx, dy, dz = (k % side) * ext[0], (k // side % side) * ext[1], (k // side // side) * ext[2]
        lines = []
        for (g, el, name, alt, resn, sub, ent, lseq, ins, x, y, z, occ, b, chg, seq, chain) in rows:
            serial += 1
            qname = '"%s"' % name if "'" in name else name
            lines.append('%s %d %s %s %s %s %s%d %s %s %s %.3f %.3f %.3f %.2f %.2f %d %d %s %s%d %s 1\n' % (
                g, serial, el, qname, alt, resn, sub, k, ent, lseq, ins, x + dx, y + dy, z + dz, occ, b, chg,
                seq, resn, chain, k, qname))
        f.write(''.join(lines))
    f.write('#\n')
print(serial)
