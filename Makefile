# Thin wrapper over CMake and scripts/. See README.md.
SHELL := /bin/bash
PORT ?= 8080
export NODE_PATH := /usr/share/nodejs
export EMSDK_PYTHON := /usr/bin/python3
DEMO_PDB := /usr/share/pymol/data/tut/1hpv.pdb
EXAMPLES := /usr/share/doc/python-biopython-doc/Tests/PDB
EXAMPLE_FILES := 1A8O.cif.gz 4ZHL.cif.gz 2XHE.cif.gz 1LCD.cif.gz 2BEG.cif.gz

.PHONY: all setup library build native wasm dist run test test-native test-ref test-e2e test-train test-sanitize test-fuzz fuzz bench clean

all: build

setup:
	bash scripts/setup

native: setup
	cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build build/native -j2

wasm: setup
	emcmake cmake -S . -B build/wasm -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build build/wasm -j2 --target foldsight foldsight_predict_module foldsight_cli_node

# The template library: every StructureDB chain not in the benchmark's excluded list.
LIBRARY := build/library/templates.fslib
$(LIBRARY): scripts/data/export_library.py
	/usr/bin/python3 scripts/data/export_library.py --out $@

library: setup $(LIBRARY)

# dist/: a plain static site.
dist: wasm library
	rm -rf dist && mkdir -p dist/demo dist/shaders dist/models
	cp web/index.html web/app.css web/recent_files.js web/foldsight_api.js web/predict_worker.js web/predict_core.mjs web/model_manifest.mjs web/load_worker.js dist/
	cp build/wasm/foldsight.js build/wasm/foldsight.wasm dist/
	cp build/wasm/foldsight_predict.js build/wasm/foldsight_predict.wasm dist/
	mkdir -p dist/ort dist/library
	cp node_modules/onnxruntime-web/dist/ort.webgpu.min.mjs node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.asyncify.mjs \
	   node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.asyncify.wasm dist/ort/
	cp $(LIBRARY).gz dist/library/   # ~35 MB download; the worker inflates it (DecompressionStream)
	cp shaders/*.wgsl dist/shaders/
	cp $(DEMO_PDB) dist/demo/1hpv.pdb
	# The Open window's gallery (src/ui/open_panel.cpp): files from Debian's python-biopython-doc.
	cp $(addprefix $(EXAMPLES)/,$(EXAMPLE_FILES)) dist/demo/
	if ls models/* >/dev/null 2>&1; then cp -r models/* dist/models/; fi
	cp web/share.mjs web/boot.js web/embed-example.html web/embed-example.js dist/
	# The service worker's cache version is a hash of everything it serves (copied last).
	sed "s/@VERSION@/0.1.0-$$(cd dist && find . -type f ! -name sw.js | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -c1-12)/" web/sw.js > dist/sw.js

build: native dist

run: build
	PORT=$(PORT) python3 scripts/serve dist $(PORT)

test-native: native
	build/native/foldsight_tests

test-e2e: dist
	node --test tests/e2e/*.test.mjs

# Comparisons with reference tools (gemmi, mkdssp, TMscore, ...): each tests/ref/check_* script
# prints its measured figure and fails below the acceptance threshold.
test-ref: native library
	@fail=0; for t in tests/ref/check_*; do [ -x "$$t" ] || continue; \
	  echo "== $$t"; FOLDSIGHT_CLI=build/native/foldsight_cli "$$t" || { echo "FAILED: $$t"; fail=1; }; \
	done; exit $$fail

# Training is reproducible from a clean checkout: the smoke configuration exports a tiny dataset,
# trains a few steps, exports ONNX and checks ONNX Runtime (Node, wasm) against torch.
test-train: setup
	/usr/bin/python3 scripts/train/export_dataset.py --limit 40 --out build/train/smoke-data
	/usr/bin/python3 scripts/train/train.py --config smoke --data build/train/smoke-data
	# the last stage alone: the second-stage secondary structure head on the frozen model
	/usr/bin/python3 scripts/train/train.py --config smoke --data build/train/smoke-data --init build/train/ckpt-smoke.pt --stage ss_refine
	FOLDSIGHT_MODEL_DIR=build/train/smoke node --test tests/model/*.test.mjs
	# the committed model: ONNX Runtime (wasm, Node) matches torch within 1e-3
	node --test tests/model/*.test.mjs

# The native tests again under AddressSanitizer + UBSan, and each parser's libFuzzer target for a
# short run (FUZZ_SECONDS each; the long runs are documented in docs/TESTING.md).
test-sanitize: setup
	cmake -S . -B build/asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFOLDSIGHT_SANITIZE=ON >/dev/null
	cmake --build build/asan -j2 --target foldsight_tests
	ASAN_OPTIONS=detect_leaks=1 build/asan/foldsight_tests

test-fuzz: setup
	if [ -x scripts/fuzz_short ]; then scripts/fuzz_short; fi

# The long campaign: every fuzz target to FUZZ_RUNS executions (default 10 M), one at a time,
# niced; figures per target and findings as in docs/TESTING.md.
fuzz: setup
	scripts/fuzz_long

test: test-native test-ref test-e2e test-train test-sanitize test-fuzz

bench: build
	@for b in scripts/bench/*; do [ -x "$$b" ] && "$$b"; done; true

clean:
	rm -rf build dist
