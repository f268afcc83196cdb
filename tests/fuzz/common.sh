# Shared by scripts/fuzz_short and scripts/fuzz_long (sourced, from the repository root):
# building the libFuzzer targets, their seed corpora, dictionaries and per-target options.
#   FUZZ_CC / FUZZ_CXX   compilers (default clang-14 / clang++-14; libFuzzer comes with
#                        Debian's libclang-rt-14-dev)
#   FUZZ_BUILD_JOBS      parallel compile jobs (default 1)
FUZZ_ALL_TARGETS="pdb mmcif bcif fasta gzip selection library"
# The structure blob decoder (load worker -> app), where this tree has it.
[ -f src/core/structure_blob.h ] && FUZZ_ALL_TARGETS+=" structure_blob"
# Decoders that exist only in JavaScript (web/): Node harnesses tests/fuzz/js/fuzz_<t>.mjs.
FUZZ_JS_TARGETS="share sequence manifest"
FUZZ_BUILD=${FUZZ_BUILD:-build/fuzz}
FUZZ_CC_=${FUZZ_CC:-clang-14}
FUZZ_CXX_=${FUZZ_CXX:-clang++-14}
FUZZ_JOBS=${FUZZ_BUILD_JOBS:-1}
FUZZ_FLAGS="-fsanitize=fuzzer-no-link,address,undefined -g"

# Source of a target: tests/fuzz/fuzz_<t>.cpp (CMake builds these, linked with foldsight_core),
# or tests/fuzz/predict/fuzz_<t>.cpp (needs foldsight_predict: linked here).
fuzz_source() {
  if [ -f tests/fuzz/fuzz_$1.cpp ]; then echo tests/fuzz/fuzz_$1.cpp; else echo tests/fuzz/predict/fuzz_$1.cpp; fi
}

# fuzz_build "t1 t2 ...": builds $FUZZ_BUILD/fuzz_<t>; returns non-zero (log in $FUZZ_BUILD.log) on failure.
fuzz_build() {
  local targets=$1 cmake_targets="" predict_targets="" t
  mkdir -p "$FUZZ_BUILD"
  for t in $targets; do
    if [ -f tests/fuzz/fuzz_$t.cpp ]; then cmake_targets+="fuzz_$t "; else predict_targets+="$t "; fi
  done
  local built=0
  if CC=$FUZZ_CC_ CXX=$FUZZ_CXX_ cmake -S . -B "$FUZZ_BUILD" -DFOLDSIGHT_FUZZ=ON -DCMAKE_BUILD_TYPE=Release \
       -DCMAKE_C_FLAGS="$FUZZ_FLAGS" -DCMAKE_CXX_FLAGS="$FUZZ_FLAGS" >"$FUZZ_BUILD.log" 2>&1; then
    local need=$cmake_targets
    [ -n "$predict_targets" ] && need+="foldsight_predict foldsight_core"
    if [ -z "$need" ] || cmake --build "$FUZZ_BUILD" -j"$FUZZ_JOBS" --target $need >>"$FUZZ_BUILD.log" 2>&1; then
      built=1
      for t in $predict_targets; do
        local bin=$FUZZ_BUILD/fuzz_$t src
        src=$(fuzz_source "$t")
        if [ ! -x "$bin" ] || [ "$src" -nt "$bin" ] || [ "$FUZZ_BUILD/libfoldsight_predict.a" -nt "$bin" ] ||
           [ "$FUZZ_BUILD/libfoldsight_core.a" -nt "$bin" ] || [ tests/fuzz/fuzz_invariants.h -nt "$bin" ]; then
          $FUZZ_CXX_ -std=c++17 -O2 -g -fsanitize=fuzzer,address,undefined -Isrc -isystem /usr/include/eigen3 "$src" \
            "$FUZZ_BUILD/libfoldsight_predict.a" "$FUZZ_BUILD/libfoldsight_core.a" -lz -o "$bin" >>"$FUZZ_BUILD.log" 2>&1 || built=0
        fi
      done
    fi
  fi
  [ $built = 1 ] && return 0
  # The CMake targets link every library; when another part of the tree does not build,
  # build the fuzzers from the core (and predict) sources alone so the readers are still tested.
  echo "fuzz: CMake build failed (see $FUZZ_BUILD.log); building from src/ directly" >&2
  mkdir -p "$FUZZ_BUILD/core_obj" "$FUZZ_BUILD/predict_obj"
  local core_objs=() predict_objs=() src o
  for src in src/core/*.cpp; do
    o=$FUZZ_BUILD/core_obj/$(basename "$src" .cpp).o
    if [ ! -f "$o" ] || [ "$src" -nt "$o" ] || [ -n "$(find src/core -name '*.h' -newer "$o")" ]; then
      $FUZZ_CXX_ -std=c++17 -O1 $FUZZ_FLAGS -Isrc -c "$src" -o "$o" >>"$FUZZ_BUILD.log" 2>&1 \
        || { echo "fuzz: cannot compile $src" >&2; tail -20 "$FUZZ_BUILD.log" >&2; return 2; }
    fi
    core_objs+=("$o")
  done
  if [ -n "$predict_targets" ]; then
    for src in src/predict/*.cpp; do
      o=$FUZZ_BUILD/predict_obj/$(basename "$src" .cpp).o
      if [ ! -f "$o" ] || [ "$src" -nt "$o" ] || [ -n "$(find src/core src/predict -name '*.h' -newer "$o")" ]; then
        $FUZZ_CXX_ -std=c++17 -O1 $FUZZ_FLAGS -Isrc -isystem /usr/include/eigen3 -c "$src" -o "$o" >>"$FUZZ_BUILD.log" 2>&1 \
          || { echo "fuzz: cannot compile $src" >&2; tail -20 "$FUZZ_BUILD.log" >&2; return 2; }
      fi
      predict_objs+=("$o")
    done
  fi
  for t in $targets; do
    local objs=("${core_objs[@]}")
    [ -f tests/fuzz/fuzz_$t.cpp ] || objs=("${predict_objs[@]}" "${core_objs[@]}")
    $FUZZ_CXX_ -std=c++17 -O1 -g -fsanitize=fuzzer,address,undefined -Isrc -isystem /usr/include/eigen3 "$(fuzz_source "$t")" \
      "${objs[@]}" -lz -o "$FUZZ_BUILD/fuzz_$t" >>"$FUZZ_BUILD.log" 2>&1 \
      || { echo "fuzz: cannot build fuzz_$t" >&2; tail -20 "$FUZZ_BUILD.log" >&2; return 2; }
  done
  return 0
}

# fuzz_seeds DIR: seed corpora (DIR/<target>/) and dictionaries (DIR/<target>.dict).
fuzz_seeds() {
  local dir=$1
  /usr/bin/python3 tests/fuzz/make_seeds.py "$dir" | sed 's/^/fuzz: /'
  mkdir -p "$dir/structure_blob"
  if [ -x "$FUZZ_BUILD/fuzz_structure_blob" ]; then
    FOLDSIGHT_BLOB_SEEDS_FROM="$dir/structure_blob_src" FOLDSIGHT_BLOB_SEEDS_TO="$dir/structure_blob" \
      "$FUZZ_BUILD/fuzz_structure_blob" 2>/dev/null | sed 's/^/fuzz: /'
  fi
  rm -rf "$dir/structure_blob_src"
  # Dictionaries of the formats' keywords help the mutator reach record/category code.
  printf '"ATOM  "\n"HETATM"\n"MODEL "\n"ENDMDL"\n"TER   "\n"END"\n"HELIX "\n"SHEET "\n"CONECT"\n"ANISOU"\n' > "$dir/pdb.dict"
  printf '"data_"\n"loop_"\n"_atom_site."\n"_struct_conf."\n"_struct_sheet_range."\n"_struct_conn."\n"_entity."\n"_pdbx_struct_assembly_gen."\n"_pdbx_struct_oper_list."\n"_ma_qa_metric_local."\n";"\n"save_"\n"global_"\n' > "$dir/mmcif.dict"
  printf '">"\n";"\n"*"\n"-"\n' > "$dir/fasta.dict"
  printf '"\\x1f\\x8b\\x08"\n"\\x78\\x9c"\n"\\x78\\x01"\n"\\x78\\xda"\n"data_"\n"ATOM  "\n"HETATM"\n' > "$dir/gzip.dict"
  printf '%s\n' '"and"' '"or"' '"not"' '"within"' '"of"' '"byres"' '"("' '")"' '"&"' '"|"' '"!"' '"+"' '","' '"-"' \
    '"all"' '"none"' '"protein"' '"nucleic"' '"polymer"' '"ligand"' '"water"' '"hydrogen"' '"backbone"' \
    '"sidechain"' '"hetatm"' '"chain"' '"resi"' '"resn"' '"name"' '"elem"' '"element"' '"model"' '"altloc"' \
    '"b"' '"q"' '"<"' '">"' '"<="' '">="' '"="' '"!="' '"*"' '"1e30"' '"nan"' '"inf"' '"-0"' > "$dir/selection.dict"
  printf '"FSTPLLIB"\n"\\x01\\x00\\x00\\x00"\n"\\x14\\x00\\x00\\x00"\n"\\x00\\x00\\x00\\x00"\n"\\xff\\xff\\xff\\xff"\n"_A\\x0a"\n' > "$dir/library.dict"
}

# fuzz_max_len TARGET: the input size limit each target is run with.
fuzz_max_len() {
  case $1 in
    pdb|mmcif|bcif) echo "${FUZZ_MAX_LEN:-65536}" ;;
    gzip|library) echo "${FUZZ_MAX_LEN:-8192}" ;;
    structure_blob) echo "${FUZZ_MAX_LEN:-16384}" ;;
    selection) echo "${FUZZ_MAX_LEN:-512}" ;;
    *) echo "${FUZZ_MAX_LEN:-16384}" ;;
  esac
}

# Sanitizer settings every run uses.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
