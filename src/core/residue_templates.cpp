#include "residue_templates.h"
#include <algorithm>
#include <string>
#include <utility>

namespace foldsight {

namespace {

// Templates are written as bond lists: "A-B" single, "A=B" double, "A:B" aromatic.
// Hydrogen names are those of the PDB chemical component dictionary (v3 names); other
// hydrogen spellings (HN, HB1/HB2, 1HB ...) are attached by compute_bonds to their nearest
// heavy atom instead.
const char kBackbone[] = "N-CA CA-C C=O C-OXT OXT-HXT N-H N-H1 N-H2 N-H3 ";
const char kHA[] = "CA-HA ";
const char kCB2[] = "CA-CB CB-HB2 CB-HB3 ";

const char kAla[] = "CA-CB CB-HB1 CB-HB2 CB-HB3 ";
const char kArg[] = "CB-CG CG-CD CD-NE NE-CZ CZ-NH1 CZ=NH2 CG-HG2 CG-HG3 CD-HD2 CD-HD3 NE-HE "
                    "NH1-HH11 NH1-HH12 NH2-HH21 NH2-HH22 ";
const char kAsn[] = "CB-CG CG=OD1 CG-ND2 ND2-HD21 ND2-HD22 ";
const char kAsp[] = "CB-CG CG=OD1 CG-OD2 OD2-HD2 ";
const char kCys[] = "CB-SG SG-HG ";
const char kGln[] = "CB-CG CG-CD CD=OE1 CD-NE2 CG-HG2 CG-HG3 NE2-HE21 NE2-HE22 ";
const char kGlu[] = "CB-CG CG-CD CD=OE1 CD-OE2 CG-HG2 CG-HG3 OE2-HE2 ";
const char kGly[] = "CA-HA2 CA-HA3 ";
const char kHis[] = "CB-CG CG:ND1 CG:CD2 ND1:CE1 CE1:NE2 NE2:CD2 ND1-HD1 CD2-HD2 CE1-HE1 NE2-HE2 ";
const char kIle[] = "CA-CB CB-CG1 CB-CG2 CG1-CD1 CB-HB CG1-HG12 CG1-HG13 CG2-HG21 CG2-HG22 CG2-HG23 "
                    "CD1-HD11 CD1-HD12 CD1-HD13 ";
const char kLeu[] = "CB-CG CG-CD1 CG-CD2 CG-HG CD1-HD11 CD1-HD12 CD1-HD13 CD2-HD21 CD2-HD22 CD2-HD23 ";
const char kLys[] = "CB-CG CG-CD CD-CE CE-NZ CG-HG2 CG-HG3 CD-HD2 CD-HD3 CE-HE2 CE-HE3 NZ-HZ1 NZ-HZ2 NZ-HZ3 ";
const char kMet[] = "CB-CG CG-SD SD-CE CG-HG2 CG-HG3 CE-HE1 CE-HE2 CE-HE3 ";
const char kMse[] = "CB-CG CG-SE SE-CE CG-HG2 CG-HG3 CE-HE1 CE-HE2 CE-HE3 ";
const char kPhe[] = "CB-CG CG:CD1 CG:CD2 CD1:CE1 CD2:CE2 CE1:CZ CE2:CZ CD1-HD1 CD2-HD2 CE1-HE1 CE2-HE2 CZ-HZ ";
const char kPro[] = "CB-CG CG-CD CD-N CG-HG2 CG-HG3 CD-HD2 CD-HD3 ";
const char kSer[] = "CB-OG OG-HG ";
const char kThr[] = "CA-CB CB-OG1 CB-CG2 CB-HB OG1-HG1 CG2-HG21 CG2-HG22 CG2-HG23 ";
const char kTrp[] = "CB-CG CG:CD1 CG:CD2 CD1:NE1 NE1:CE2 CD2:CE2 CE2:CZ2 CZ2:CH2 CH2:CZ3 CZ3:CE3 CE3:CD2 "
                    "CD1-HD1 NE1-HE1 CE3-HE3 CZ2-HZ2 CZ3-HZ3 CH2-HH2 ";
const char kTyrRing[] = "CB-CG CG:CD1 CG:CD2 CD1:CE1 CD2:CE2 CE1:CZ CE2:CZ CZ-OH CD1-HD1 CD2-HD2 CE1-HE1 CE2-HE2 ";
const char kVal[] = "CA-CB CB-CG1 CB-CG2 CB-HB CG1-HG11 CG1-HG12 CG1-HG13 CG2-HG21 CG2-HG22 CG2-HG23 ";
const char kPhosphate[] = "P-O1P P=O2P P-O3P ";  // phosphoserine/threonine/tyrosine

// Nucleotides: phosphate (current OP1/OP2/OP3 and older O1P/O2P/O3P names) and sugar.
const char kNucBackbone[] =
    "OP3-P P=OP1 P-OP2 P-O1P P=O2P P-O3P P-O5' O5'-C5' C5'-C4' C4'-O4' C4'-C3' C3'-O3' C3'-C2' C2'-C1' "
    "C1'-O4' C5'-H5' C5'-H5'' C4'-H4' C3'-H3' C2'-H2' C1'-H1' O3'-HO3' O5'-HO5' OP3-HOP3 OP2-HOP2 ";
const char kRibose[] = "C2'-O2' O2'-HO2' ";
const char kDeoxy[] = "C2'-H2'' ";
const char kAdenine[] = "C1'-N9 N9:C8 C8:N7 N7:C5 C5:C6 C6-N6 C6:N1 N1:C2 C2:N3 N3:C4 C4:C5 C4:N9 "
                        "C8-H8 N6-H61 N6-H62 C2-H2 ";
const char kGuanine[] = "C1'-N9 N9:C8 C8:N7 N7:C5 C5:C6 C6=O6 C6:N1 N1:C2 C2-N2 C2:N3 N3:C4 C4:C5 C4:N9 "
                        "C8-H8 N1-H1 N2-H21 N2-H22 ";
const char kCytosine[] = "C1'-N1 N1:C2 C2=O2 C2:N3 N3:C4 C4-N4 C4:C5 C5:C6 C6:N1 N4-H41 N4-H42 C5-H5 C6-H6 ";
const char kUracil[] = "C1'-N1 N1:C2 C2=O2 C2:N3 N3:C4 C4=O4 C4:C5 C5:C6 C6:N1 N3-H3 C5-H5 C6-H6 ";
const char kThymine[] = "C1'-N1 N1:C2 C2=O2 C2:N3 N3:C4 C4=O4 C4:C5 C5:C6 C6:N1 C5-C7 C5-C5M N3-H3 C6-H6 "
                        "C7-H71 C7-H72 C7-H73 ";

struct Spec {
  const char* names;  // residue names sharing the template, space separated
  std::string bonds;
};

std::vector<Spec> specs() {
  const std::string bb = std::string(kBackbone) + kHA;
  const std::string aa = bb + kCB2;  // residues with CB and two beta hydrogens
  const std::string nuc = kNucBackbone;
  return {
      {"ALA", bb + kAla},
      {"ARG", aa + kArg},
      {"ASN", aa + kAsn},
      {"ASP", aa + kAsp},
      {"CYS CYX", aa + kCys},
      {"GLN", aa + kGln},
      {"GLU", aa + kGlu},
      {"GLY", std::string(kBackbone) + kGly},
      {"HIS HID HIE HIP HSD HSE HSP", aa + kHis},
      {"ILE", bb + kIle},
      {"LEU", aa + kLeu},
      {"LYS", aa + kLys},
      {"MET", aa + kMet},
      {"PHE", aa + kPhe},
      {"PRO", aa + kPro},
      {"SER", aa + kSer},
      {"THR", bb + kThr},
      {"TRP", aa + kTrp},
      {"TYR", aa + kTyrRing + "OH-HH "},
      {"VAL", bb + kVal},
      // Modified amino acids.
      {"MSE", aa + kMse},
      {"SEC", aa + "CB-SE SE-HSE "},
      {"SEP", aa + "CB-OG OG-P " + kPhosphate},
      {"TPO", bb + "CA-CB CB-OG1 CB-CG2 CB-HB CG2-HG21 CG2-HG22 CG2-HG23 OG1-P " + kPhosphate},
      {"PTR", aa + kTyrRing + "OH-P " + kPhosphate},
      {"HYP", aa + kPro + "CG-OD1 OD1-HD1 CG-HG "},
      {"MLY", aa + kLys + "NZ-CH1 NZ-CH2 "},
      {"CSO", aa + "CB-SG SG-OD OD-HD "},
      {"CME", aa + "CB-SG SG-SD SD-CE CE-CZ CZ-OH "},
      {"KCX", aa + kLys + "NZ-CX CX=OQ1 CX-OQ2 "},
      {"PCA", aa + "CB-CG CG-CD CD-N CD=OE CG-HG2 CG-HG3 "},
      {"UNK", aa},
      {"ACE", "C=O C-CH3 CH3-H1 CH3-H2 CH3-H3 C-H "},
      // Nucleotides.
      {"A", nuc + kRibose + kAdenine},
      {"G", nuc + kRibose + kGuanine},
      {"C", nuc + kRibose + kCytosine},
      {"U", nuc + kRibose + kUracil},
      {"DA", nuc + kDeoxy + kAdenine},
      {"DG", nuc + kDeoxy + kGuanine},
      {"DC", nuc + kDeoxy + kCytosine},
      {"DT", nuc + kDeoxy + kThymine},
      {"DU", nuc + kDeoxy + kUracil},
      // Water: no heavy-atom bonds; its hydrogens belong to the oxygen.
      {"HOH WAT H2O SOL", "O-H1 O-H2 OW-HW1 OW-HW2 "},
      {"DOD", "O-D1 O-D2 "},
  };
}

int atom_index(ResidueTemplate& t, const std::string& name) {
  // Not make_name4, which drops quote characters: nucleotide names carry primes (C1', H5'').
  Name4 n{};
  for (size_t i = 0; i < name.size() && i < 4; ++i) n[i] = name[i];
  const uint32_t key = atom_name_key(n);
  int i = t.find_atom(key);
  if (i >= 0) return i;
  t.atom_keys.push_back(key);
  return int(t.atom_keys.size() - 1);
}

ResidueTemplate parse_template(const std::string& text) {
  ResidueTemplate t;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find(' ', pos);
    if (end == std::string::npos) end = text.size();
    const std::string tok = text.substr(pos, end - pos);
    pos = end + 1;
    const size_t sep = tok.find_first_of("-=:");
    if (tok.empty() || sep == std::string::npos) continue;
    const BondOrder order = tok[sep] == '=' ? BondOrder::Double : tok[sep] == ':' ? BondOrder::Aromatic : BondOrder::Single;
    const int a = atom_index(t, tok.substr(0, sep));
    const int b = atom_index(t, tok.substr(sep + 1));
    bool dup = false;
    for (const ResidueTemplate::Bond& e : t.bonds)
      dup |= (e.a == a && e.b == b) || (e.a == b && e.b == a);
    if (!dup) t.bonds.push_back({uint8_t(a), uint8_t(b), order});
  }
  // Euler: rings = bonds - atoms + connected components.
  std::vector<int> parent(t.atom_keys.size());
  for (size_t i = 0; i < parent.size(); ++i) parent[i] = int(i);
  auto find = [&parent](int i) {
    while (parent[i] != i) i = parent[i] = parent[parent[i]];
    return i;
  };
  int components = int(parent.size());
  for (const ResidueTemplate::Bond& e : t.bonds) {
    int ra = find(e.a), rb = find(e.b);
    if (ra != rb) parent[ra] = rb, --components;
  }
  t.rings = int(t.bonds.size()) - int(t.atom_keys.size()) + components;
  return t;
}

struct Table {
  std::vector<std::pair<ResName, ResidueTemplate>> entries;  // sorted by name
};

const Table& table() {
  static const Table t = [] {
    Table out;
    for (const Spec& spec : specs()) {
      ResidueTemplate tmpl = parse_template(spec.bonds);
      std::string names = spec.names;
      size_t pos = 0;
      while (pos < names.size()) {
        size_t end = names.find(' ', pos);
        if (end == std::string::npos) end = names.size();
        out.entries.emplace_back(make_resname(names.data() + pos, end - pos), tmpl);
        pos = end + 1;
      }
    }
    std::sort(out.entries.begin(), out.entries.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    return out;
  }();
  return t;
}

}  // namespace

const ResidueTemplate* find_residue_template(const ResName& res_name) {
  const auto& e = table().entries;
  auto it = std::lower_bound(e.begin(), e.end(), res_name,
                             [](const auto& entry, const ResName& n) { return entry.first < n; });
  if (it == e.end() || it->first != res_name) return nullptr;
  return &it->second;
}

}  // namespace foldsight
