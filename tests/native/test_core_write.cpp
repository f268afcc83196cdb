// Writers: read → write → read gives back every array of the model (mmCIF), or every field
// the PDB format holds (PDB), including hybrid-36 serials past 99,999 atoms.
#include <doctest/doctest.h>
#include <cmath>
#include <string>
#include "core/io.h"

using namespace foldsight;

namespace {

void check_same(const Structure& a, const Structure& b) {
  CHECK(a.x == b.x);
  CHECK(a.y == b.y);
  CHECK(a.z == b.z);
  CHECK(a.occupancy == b.occupancy);
  CHECK(a.b_factor == b.b_factor);
  CHECK(a.atom_name == b.atom_name);
  CHECK(a.element == b.element);
  CHECK(a.altloc == b.altloc);
  CHECK(a.charge == b.charge);
  CHECK(a.serial == b.serial);
  CHECK(a.atom_residue == b.atom_residue);
  CHECK(a.res_name == b.res_name);
  CHECK(a.seq_id == b.seq_id);
  CHECK(a.label_seq_id == b.label_seq_id);
  CHECK(a.ins_code == b.ins_code);
  CHECK(a.het == b.het);
  CHECK(a.ss == b.ss);
  CHECK(a.has_ss == b.has_ss);
  CHECK(a.res_atom_begin == b.res_atom_begin);
  CHECK(a.res_chain == b.res_chain);
  CHECK(a.chain_auth == b.chain_auth);
  CHECK(a.chain_label == b.chain_label);
  CHECK(a.chain_entity == b.chain_entity);
  CHECK(a.chain_res_begin == b.chain_res_begin);
  CHECK(a.chain_model == b.chain_model);
  CHECK(a.model_num == b.model_num);
  CHECK(a.model_chain_begin == b.model_chain_begin);
  CHECK(a.res_confidence == b.res_confidence);
  REQUIRE(a.file_bonds.size() == b.file_bonds.size());
  for (size_t i = 0; i < a.file_bonds.size(); ++i) {
    CHECK(a.file_bonds[i].a == b.file_bonds[i].a);
    CHECK(a.file_bonds[i].b == b.file_bonds[i].b);
    CHECK(a.file_bonds[i].order == b.file_bonds[i].order);
  }
  REQUIRE(a.entities.size() == b.entities.size());
  for (size_t i = 0; i < a.entities.size(); ++i) {
    CHECK(a.entities[i].id == b.entities[i].id);
    CHECK(a.entities[i].type == b.entities[i].type);
    CHECK(a.entities[i].description == b.entities[i].description);
  }
  REQUIRE(a.assemblies.size() == b.assemblies.size());
  for (size_t i = 0; i < a.assemblies.size(); ++i) {
    CHECK(a.assemblies[i].id == b.assemblies[i].id);
    CHECK(a.assemblies[i].details == b.assemblies[i].details);
    REQUIRE(a.assemblies[i].gens.size() == b.assemblies[i].gens.size());
    for (size_t g = 0; g < a.assemblies[i].gens.size(); ++g) {
      CHECK(a.assemblies[i].gens[g].asym_ids == b.assemblies[i].gens[g].asym_ids);
      CHECK(a.assemblies[i].gens[g].operators == b.assemblies[i].gens[g].operators);
    }
  }
}

}  // namespace

TEST_CASE("write_mmcif: read → write → read is lossless") {
  const char* files[] = {"1A8O.cif.gz", "1LCD.cif.gz", "2XHE.cif.gz", "4ZHL.cif.gz", "1SSU_mod.cif", "7CFN.cif.gz"};
  for (const char* f : files) {
    CAPTURE(f);
    Structure a, b;
    ParseError err;
    std::string path = std::string("/usr/share/doc/python-biopython-doc/Tests/PDB/") + f;
    REQUIRE(read_structure_file(path.c_str(), Format::Auto, a, &err));
    std::string text = write_mmcif(a);
    REQUIRE_MESSAGE(read_mmcif(text, b, &err), err.message);
    check_same(a, b);
    // And again from the written text: writing is deterministic.
    CHECK(write_mmcif(b) == text);
  }
}

TEST_CASE("write_mmcif: every secondary-structure code, pLDDT, bonds, odd names survive") {
  Structure a, b;
  ParseError err;
  REQUIRE(read_structure_file("/usr/share/doc/python-biopython-doc/Tests/PDB/1A8O.cif.gz", Format::Auto, a, &err));
  const char codes[] = "HGIEBTSP-";
  for (size_t r = 0; r < a.residue_count(); ++r) {
    a.ss[r] = is_water(a.res_name[r]) ? '-' : codes[(r / 3) % 9];
  }
  a.has_ss = true;
  a.res_confidence.resize(a.residue_count());
  for (size_t r = 0; r < a.residue_count(); ++r) a.res_confidence[r] = float(r % 97) * 1.03f;
  a.file_bonds.push_back({0, 5, BondOrder::Double});
  a.file_bonds.push_back({1, 2, BondOrder::Aromatic});
  a.entities[0].description = "it's a \"test\"; _with_ #odd data_ chars";
  a.x[3] = 1234.5678f;
  a.b_factor[4] = 1e-7f;
  a.occupancy[5] = 0.333333343f;
  std::string text = write_mmcif(a);
  REQUIRE_MESSAGE(read_mmcif(text, b, &err), err.message);
  // B residues are written one by one, so a run of two B reads back as two B.
  check_same(a, b);
}

TEST_CASE("write_pdb: read → write → read keeps the PDB fields") {
  // From a PDB file, so the residue order is already the PDB reader's (chains gathered).
  Structure a, b;
  ParseError err;
  REQUIRE(read_structure_file("/usr/share/pymol/data/tut/1hpv.pdb", Format::Auto, a, &err));
  std::string text = write_pdb(a);
  REQUIRE_MESSAGE(read_pdb(text, b, &err), err.message);
  REQUIRE(b.atom_count() == a.atom_count());
  size_t coord = 0;
  for (size_t i = 0; i < a.atom_count(); ++i)
    coord += std::fabs(a.x[i] - b.x[i]) > 5e-4f || std::fabs(a.y[i] - b.y[i]) > 5e-4f || std::fabs(a.z[i] - b.z[i]) > 5e-4f;
  CHECK(coord == 0);
  CHECK(a.atom_name == b.atom_name);
  CHECK(a.element == b.element);
  CHECK(a.serial == b.serial);
  CHECK(a.altloc == b.altloc);
  CHECK(a.res_name == b.res_name);
  CHECK(a.seq_id == b.seq_id);
  CHECK(a.ins_code == b.ins_code);
  CHECK(a.het == b.het);
  CHECK(a.ss == b.ss);
  CHECK(a.residue_count() == b.residue_count());
  CHECK(a.chain_count() == b.chain_count());
  CHECK(a.occupancy == b.occupancy);
  CHECK(a.b_factor == b.b_factor);
}

TEST_CASE("write_pdb: hybrid-36 serials and residue numbers beyond the columns") {
  // 2XHE tiled into 17 models: 107,355 atoms in one model-numbered file would exceed
  // 99,999 serials; here one model with serials 1..N and residue numbers past 9999.
  Structure a;
  ParseError err;
  REQUIRE(read_structure_file("/usr/share/doc/python-biopython-doc/Tests/PDB/2XHE.cif.gz", Format::Auto, a, &err));
  Structure big;
  StructureBuilder sb(big);
  sb.begin_model(1);
  int32_t serial = 0, resnum = 0;
  for (int copy = 0; copy < 17; ++copy) {
    sb.begin_chain("A", "", "");
    for (size_t r = 0; r < a.residue_count(); ++r) {
      sb.begin_residue(a.res_name[r], ++resnum, resnum, ' ', a.het[r]);
      for (uint32_t i = a.res_atom_begin[r]; i < a.res_atom_begin[r + 1]; ++i)
        sb.add_atom(a.atom_name[i], a.element[i], a.altloc[i], a.x[i] + copy * 100.f, a.y[i], a.z[i], a.occupancy[i],
                    a.b_factor[i], a.charge[i], ++serial);
    }
  }
  sb.finish();
  REQUIRE(big.atom_count() > 100000);
  big.file_bonds.push_back({100001, 100002, BondOrder::Single});
  std::string text = write_pdb(big);
  CHECK(text.find("ATOM  A0000") != std::string::npos);   // serial 100000
  CHECK(text.find("CONECT") != std::string::npos);
  Structure b;
  REQUIRE_MESSAGE(read_pdb(text, b, &err), err.message);
  REQUIRE(b.atom_count() == big.atom_count());
  CHECK(b.serial == big.serial);
  CHECK(b.seq_id == big.seq_id);
  REQUIRE(b.file_bonds.size() == 1);
  CHECK(b.file_bonds[0].a == 100001);
  CHECK(b.file_bonds[0].b == 100002);
}
