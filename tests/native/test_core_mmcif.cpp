// mmCIF reader on real PDB entries (Debian's biopython test data) and on crafted input for
// the syntax corners: quotes, ';' text fields, nulls, assemblies, struct_conn, ModelCIF pLDDT,
// chunked streaming, malformed input.
#include <doctest/doctest.h>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include "core/cif_model.h"
#include "core/io.h"

using namespace foldsight;

namespace {

const char* const kBio = "/usr/share/doc/python-biopython-doc/Tests/PDB/";

std::string inflate_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  std::string raw = ss.str();
  if (!is_gzip(reinterpret_cast<const uint8_t*>(raw.data()), raw.size())) return raw;
  std::vector<uint8_t> out;
  REQUIRE(gunzip(reinterpret_cast<const uint8_t*>(raw.data()), raw.size(), out, nullptr));
  return std::string(out.begin(), out.end());
}

// Chains as gemmi counts them: distinct auth_asym_id per model.
size_t auth_chains(const Structure& s) {
  size_t n = 0;
  for (size_t m = 0; m < s.model_count(); ++m) {
    std::set<std::string> ids;
    for (uint32_t c = s.model_chain_begin[m]; c < s.model_chain_begin[m + 1]; ++c) ids.insert(s.chain_auth[c]);
    n += ids.size();
  }
  return n;
}

const char* const kSmall =
    "data_TEST\n"
    "_entry.id TEST\n"
    "#\n"
    "loop_\n_entity.id\n_entity.type\n_entity.pdbx_description\n"
    "1 polymer 'Protein \"X\" kinase'\n2 non-polymer\n;ZINC ION\n;\n3 water WATER\n"
    "loop_\n"
    "_atom_site.group_PDB\n_atom_site.id\n_atom_site.type_symbol\n_atom_site.label_atom_id\n"
    "_atom_site.label_alt_id\n_atom_site.label_comp_id\n_atom_site.label_asym_id\n"
    "_atom_site.label_entity_id\n_atom_site.label_seq_id\n_atom_site.pdbx_PDB_ins_code\n"
    "_atom_site.Cartn_x\n_atom_site.Cartn_y\n_atom_site.Cartn_z\n_atom_site.occupancy\n"
    "_atom_site.B_iso_or_equiv\n_atom_site.pdbx_formal_charge\n_atom_site.auth_seq_id\n"
    "_atom_site.auth_asym_id\n_atom_site.pdbx_PDB_model_num\n"
    "ATOM 1 N N . CYS A 1 1 ? 1.000 2.000 3.000 1.00 10.00 ? 5 B 1\n"
    "ATOM 2 C CA . CYS A 1 1 ? 2.000 2.000 3.000 1.00 10.00 ? 5 B 1\n"
    "ATOM 3 S SG A CYS A 1 1 ? 3.000 2.000 3.000 0.50 11.50 ? 5 B 1\n"
    "ATOM 4 S SG B CYS A 1 1 ? 3.100 2.000 3.000 0.50 11.50 ? 5 B 1\n"
    "ATOM 5 N N . CYS A 1 2 A 4.000 2.000 3.000 1.00 10.00 ? 5 B 1\n"
    "ATOM 6 S SG . CYS A 1 2 A 5.000 2.000 3.000 1.00 10.00 ? 5 B 1\n"
    "ATOM 7 C \"C1'\" . CYS A 1 3 ? -6.5e0 2.000 3.000 1.00 10.00 ? 6 B 1\n"
    "HETATM 8 ZN ZN . ZN B 2 . ? 7.000 2.000 3.000 1.00 20.00 2 101 B 1\n"
    "HETATM 9 O O . HOH C 3 . ? 8.000 2.000 3.000 1.00 30.00 ? 201 B 1\n"
    "HETATM 10 O O . HOH C 3 . ? 9.000 2.000 3.000 1.00 30.00 ? 202 B 1\n"
    "#\n"
    "loop_\n_struct_conf.conf_type_id\n_struct_conf.id\n_struct_conf.beg_label_asym_id\n"
    "_struct_conf.beg_label_seq_id\n_struct_conf.end_label_asym_id\n_struct_conf.end_label_seq_id\n"
    "_struct_conf.pdbx_PDB_helix_class\n"
    "HELX_P HELX_P1 A 1 A 2 5\n"
    "#\n"
    "_struct_sheet_range.sheet_id A\n_struct_sheet_range.id 1\n_struct_sheet_range.beg_label_asym_id A\n"
    "_struct_sheet_range.beg_label_seq_id 3\n_struct_sheet_range.end_label_asym_id A\n"
    "_struct_sheet_range.end_label_seq_id 3\n"
    "#\n"
    "loop_\n_struct_conn.id\n_struct_conn.conn_type_id\n_struct_conn.ptnr1_label_asym_id\n"
    "_struct_conn.ptnr1_label_seq_id\n_struct_conn.ptnr1_label_atom_id\n_struct_conn.pdbx_ptnr1_label_alt_id\n"
    "_struct_conn.ptnr1_auth_seq_id\n_struct_conn.ptnr2_label_asym_id\n_struct_conn.ptnr2_label_seq_id\n"
    "_struct_conn.ptnr2_label_atom_id\n_struct_conn.pdbx_ptnr2_label_alt_id\n_struct_conn.ptnr2_auth_seq_id\n"
    "_struct_conn.pdbx_ptnr2_PDB_ins_code\n_struct_conn.ptnr1_symmetry\n_struct_conn.ptnr2_symmetry\n"
    "disulf1 disulf A 1 SG B 5 A 2 SG . 5 A 1_555 1_555\n"
    "metalc1 metalc B . ZN . 101 A 2 SG . 5 A 1_555 1_555\n"
    "hydrog1 hydrog A 1 N . 5 A 3 \"C1'\" . 6 ? 1_555 1_555\n"
    "#\n"
    "_pdbx_struct_assembly.id 1\n_pdbx_struct_assembly.details 'author_defined_assembly'\n"
    "_pdbx_struct_assembly_gen.assembly_id 1\n_pdbx_struct_assembly_gen.oper_expression '(1,2)(3,4)'\n"
    "_pdbx_struct_assembly_gen.asym_id_list A,B,C\n"
    "loop_\n_pdbx_struct_oper_list.id\n_pdbx_struct_oper_list.matrix[1][1]\n_pdbx_struct_oper_list.matrix[1][2]\n"
    "_pdbx_struct_oper_list.matrix[1][3]\n_pdbx_struct_oper_list.vector[1]\n_pdbx_struct_oper_list.matrix[2][1]\n"
    "_pdbx_struct_oper_list.matrix[2][2]\n_pdbx_struct_oper_list.matrix[2][3]\n_pdbx_struct_oper_list.vector[2]\n"
    "_pdbx_struct_oper_list.matrix[3][1]\n_pdbx_struct_oper_list.matrix[3][2]\n_pdbx_struct_oper_list.matrix[3][3]\n"
    "_pdbx_struct_oper_list.vector[3]\n"
    "1 1 0 0 0 0 1 0 0 0 0 1 0\n"
    "2 -1 0 0 10 0 -1 0 0 0 0 1 0\n"
    "3 1 0 0 0 0 1 0 0 0 0 1 5\n"
    "4 0 -1 0 0 1 0 0 0 0 0 1 0\n";

}  // namespace

TEST_CASE("read_mmcif: 2XHE counts equal gemmi's, with categories") {
  Structure s;
  ParseError err;
  REQUIRE(read_structure_file((std::string(kBio) + "2XHE.cif.gz").c_str(), Format::Auto, s, &err));
  // gemmi.read_structure: 1 model, 2 chains, 835 residues, 6315 atoms.
  CHECK(s.model_count() == 1);
  CHECK(auth_chains(s) == 2);
  CHECK(s.residue_count() == 835);
  CHECK(s.atom_count() == 6315);
  CHECK(s.chain_count() == 4);   // label_asym_id A, B (protein) and C, D (water)
  CHECK(s.entities.size() == 3);
  CHECK(s.has_ss);
  size_t helix = 0, strand = 0;
  for (char c : s.ss) helix += c == 'H' || c == 'G' || c == 'I', strand += c == 'E';
  CHECK(helix == 471);
  CHECK(strand == 75);
  REQUIRE(s.assemblies.size() == 1);
  CHECK(s.assemblies[0].gens.size() >= 1);
  // First atom: HIS 1 N of chain A at (-16.300, -47.169, 4.756).
  CHECK(std::string(s.atom_name[0].data()) == "N");
  CHECK(std::string(s.res_name[0].data()) == "HIS");
  CHECK(s.x[0] == doctest::Approx(-16.300));
  CHECK(s.y[0] == doctest::Approx(-47.169));
  CHECK(s.z[0] == doctest::Approx(4.756));
  CHECK(s.element[0] == 7);
}

TEST_CASE("read_mmcif: every biopython mmCIF with atoms gives gemmi's counts") {
  // Reference counts from gemmi 0.5.7 (gemmi.read_structure): models, chains, residues, atoms.
  struct Ref { const char* file; size_t models, chains, residues, atoms; };
  const Ref refs[] = {
      {"1A7G.cif.gz", 1, 1, 158, 742},    {"1A8O.cif.gz", 1, 1, 158, 644},
      {"1AS5.cif.gz", 14, 14, 350, 4998}, {"1LCD.cif.gz", 3, 9, 360, 3384},
      {"1SSU_mod.cif", 2, 4, 4, 4},       {"2BEG.cif.gz", 10, 50, 1300, 18550},
      {"2OFG.cif.gz", 3, 3, 253, 3853},   {"3JQH.cif.gz", 1, 1, 47, 238},
      {"4CUP.cif.gz", 1, 1, 265, 1107},   {"4ZHL.cif.gz", 1, 2, 307, 2080},
      {"6WQA.cif.gz", 1, 1, 392, 3003},   {"7CFN.cif.gz", 1, 5, 1036, 8112}};
  for (const Ref& r : refs) {
    CAPTURE(r.file);
    Structure s;
    ParseError err;
    REQUIRE(read_structure_file((std::string(kBio) + r.file).c_str(), Format::Auto, s, &err));
    CHECK(s.model_count() == r.models);
    CHECK(auth_chains(s) == r.chains);
    CHECK(s.residue_count() == r.residues);
    CHECK(s.atom_count() == r.atoms);
  }
}

TEST_CASE("read_mmcif: quotes, text fields, nulls, altlocs, insertion codes") {
  Structure s;
  ParseError err;
  REQUIRE(read_mmcif(kSmall, s, &err));
  CHECK(s.atom_count() == 10);
  CHECK(s.residue_count() == 6);   // CYS 5, CYS 5A, CYS 6, ZN, HOH 201, HOH 202
  CHECK(s.chain_count() == 3);     // label A, B, C all under auth B
  CHECK(auth_chains(s) == 1);
  CHECK(s.chain_auth[0] == "B");
  CHECK(s.chain_label[2] == "C");
  CHECK(s.chain_entity[1] == "2");
  CHECK(s.altloc[2] == 'A');
  CHECK(s.altloc[3] == 'B');
  CHECK(s.altloc[0] == ' ');
  CHECK(s.ins_code[1] == 'A');
  CHECK(s.seq_id[1] == 5);
  CHECK(s.label_seq_id[1] == 2);
  CHECK(std::string(s.atom_name[6].data()) == "C1'");
  CHECK(s.x[6] == doctest::Approx(-6.5));
  CHECK(s.het[3] == 1);
  CHECK(s.element[7] == 30);
  CHECK(s.charge[7] == 2);
  CHECK(s.occupancy[2] == doctest::Approx(0.5));
  CHECK(s.b_factor[2] == doctest::Approx(11.5));
  REQUIRE(s.entities.size() == 3);
  CHECK(s.entities[0].description == "Protein \"X\" kinase");
  CHECK(s.entities[1].description == "ZINC ION");
  CHECK(s.entities[2].type == "water");
  // Helix class 5 → 3-10 over label_seq 1..2; a one-residue sheet range → E.
  CHECK(s.ss[0] == 'G');
  CHECK(s.ss[1] == 'G');
  CHECK(s.ss[2] == 'E');
  CHECK(s.ss[3] == '-');
  // struct_conn: disulf (altloc B of residue 1 SG → atom 4) and metalc; hydrog is skipped.
  REQUIRE(s.file_bonds.size() == 2);
  CHECK(s.file_bonds[0].a == 3);
  CHECK(s.file_bonds[0].b == 5);
  CHECK(s.file_bonds[1].a == 7);
  CHECK(s.file_bonds[1].b == 5);
  // (1,2)(3,4): four products, each op_i * op_j.
  REQUIRE(s.assemblies.size() == 1);
  REQUIRE(s.assemblies[0].gens.size() == 1);
  const auto& g = s.assemblies[0].gens[0];
  CHECK(g.asym_ids == std::vector<std::string>{"A", "B", "C"});
  REQUIRE(g.operators.size() == 4);
  // op2 * op3: rotation diag(-1,-1,1), translation op2 applied to (0,0,5) plus (10,0,0).
  const auto& m = g.operators[2];
  CHECK(m[0] == -1.f);
  CHECK(m[5] == -1.f);
  CHECK(m[3] == 10.f);
  CHECK(m[11] == 5.f);
  // op2 * op4: R = diag(-1,-1,1) * [[0,-1,0],[1,0,0],[0,0,1]] = [[0,1,0],[-1,0,0],[0,0,1]].
  const auto& q = g.operators[3];
  CHECK(q[1] == 1.f);
  CHECK(q[4] == -1.f);
  CHECK(q[3] == 10.f);
}

TEST_CASE("parse_oper_expression: ranges, lists and products") {
  std::vector<std::vector<std::string>> gs;
  REQUIRE(parse_oper_expression("(1-60)", gs));
  REQUIRE(gs.size() == 1);
  CHECK(gs[0].size() == 60);
  CHECK(gs[0][59] == "60");
  REQUIRE(parse_oper_expression("(1,2)(3-5)", gs));
  REQUIRE(gs.size() == 2);
  CHECK(gs[1] == std::vector<std::string>{"3", "4", "5"});
  REQUIRE(parse_oper_expression("1,5-6,P", gs));
  CHECK(gs[0] == std::vector<std::string>{"1", "5", "6", "P"});
  CHECK(!parse_oper_expression("(1,2", gs));
  CHECK(!parse_oper_expression("", gs));
}

TEST_CASE("read_mmcif: ModelCIF pLDDT from ma_qa_metric_local") {
  std::string t =
      "data_model\n"
      "loop_\n_atom_site.group_PDB\n_atom_site.type_symbol\n_atom_site.label_atom_id\n_atom_site.label_comp_id\n"
      "_atom_site.label_asym_id\n_atom_site.label_seq_id\n_atom_site.Cartn_x\n_atom_site.Cartn_y\n"
      "_atom_site.Cartn_z\n_atom_site.B_iso_or_equiv\n_atom_site.auth_asym_id\n"
      "ATOM C CA MET A 1 0 0 0 91.2 A\nATOM C CA LYS A 2 3.8 0 0 45.0 A\nATOM C CA GLY A 3 7.6 0 0 12.5 A\n"
      "loop_\n_ma_qa_metric.id\n_ma_qa_metric.name\n_ma_qa_metric.mode\n_ma_qa_metric.type\n"
      "1 pLDDT global pLDDT\n2 pLDDT local pLDDT\n3 PAE local-pairwise PAE\n"
      "loop_\n_ma_qa_metric_local.ordinal_id\n_ma_qa_metric_local.label_asym_id\n"
      "_ma_qa_metric_local.label_seq_id\n_ma_qa_metric_local.metric_id\n_ma_qa_metric_local.metric_value\n"
      "1 A 1 2 91.25\n2 A 2 2 45.5\n3 A 3 2 12.75\n4 A 3 3 99.0\n";
  Structure s;
  ParseError err;
  REQUIRE(read_mmcif(t, s, &err));
  REQUIRE(s.res_confidence.size() == 3);
  CHECK(s.res_confidence[0] == doctest::Approx(91.25));
  CHECK(s.res_confidence[1] == doctest::Approx(45.5));
  CHECK(s.res_confidence[2] == doctest::Approx(12.75));
}

TEST_CASE("read_mmcif_stream: tiny chunks give the same structure as one view") {
  std::string text = inflate_file(std::string(kBio) + "1LCD.cif.gz");
  text += kSmall;  // a second data block is ignored; its quotes and text fields still tokenize
  Structure whole, chunked;
  ParseError err;
  REQUIRE(read_mmcif(text, whole, &err));
  size_t pos = 0;
  auto read = [&](char* dst, size_t cap) -> long {
    size_t k = std::min<size_t>({cap, 7, text.size() - pos});
    std::memcpy(dst, text.data() + pos, k);
    pos += k;
    return long(k);
  };
  REQUIRE(read_mmcif_stream(read, text.size(), chunked, &err));
  CHECK(chunked.atom_count() == whole.atom_count());
  CHECK(chunked.x == whole.x);
  CHECK(chunked.atom_name == whole.atom_name);
  CHECK(chunked.res_name == whole.res_name);
  CHECK(chunked.chain_label == whole.chain_label);
  CHECK(chunked.ss == whole.ss);
  CHECK(chunked.file_bonds.size() == whole.file_bonds.size());
  // kSmall's text fields, chunked too.
  std::string small = kSmall;
  pos = 0;
  text = small;
  REQUIRE(read_mmcif_stream(read, text.size(), chunked, &err));
  REQUIRE(chunked.entities.size() == 3);
  CHECK(chunked.entities[1].description == "ZINC ION");
  CHECK(std::string(chunked.atom_name[6].data()) == "C1'");
}

TEST_CASE("read_mmcif: malformed input gives an error naming the line") {
  std::string good = kSmall;
  Structure s;
  ParseError err;
  auto line_of = [&](size_t pos) { return 1 + int(std::count(good.begin(), good.begin() + long(pos), '\n')); };
  // Truncated in the middle of an atom_site row.
  size_t cut = good.find("ATOM 5 N");
  REQUIRE(cut != std::string::npos);
  CHECK(!read_mmcif(good.substr(0, cut + 20), s, &err));
  CHECK(err.line == line_of(cut));
  CHECK(err.message.find("truncated") != std::string::npos);
  // Bad coordinate.
  std::string bad = good;
  bad.replace(bad.find("4.000 2.000"), 5, "4.x00");
  CHECK(!read_mmcif(bad, s, &err));
  CHECK(err.line == line_of(cut));
  CHECK(err.message.find("coordinate") != std::string::npos);
  // Unterminated text field.
  bad = good.substr(0, good.find(";\n3 water"));
  CHECK(!read_mmcif(bad, s, &err));
  CHECK(err.line == line_of(good.find(";ZINC")));
  CHECK(err.message.find("text field") != std::string::npos);
  // Binary junk and a very long line.
  std::string junk = "data_x\n";
  for (int i = 0; i < 4096; ++i) junk += char((i * 7919) & 0xff);
  CHECK(!read_mmcif(junk, s, &err));
  CHECK(err.line >= 1);
  std::string long_line = "data_x\n" + std::string(20'000'000, 'a') + "\n";
  CHECK(!read_mmcif(long_line, s, &err));
  CHECK(err.line == 2);
  CHECK(!read_mmcif("", s, &err));
  CHECK(!read_mmcif("data_x\nloop_\n_atom_site.id\n1\n", s, &err));
  CHECK(err.message.find("Cartn") != std::string::npos);
}
