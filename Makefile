# Thin wrapper over CMake and scripts/. See README.md.
SHELL := /bin/bash
PORT ?= 8080
export NODE_PATH := /usr/share/nodejs
export EMSDK_PYTHON := /usr/bin/python3
DEMO_PDB := /usr/share/pymol/data/tut/1hpv.pdb

.PHONY: all setup library build native wasm dist run test test-native test-ref test-e2e test-train bench clean

all: build

setup:
	bash scripts/setup

native: setup
	cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build build/native -j2

wasm: setup
	emcmake cmake -S . -B build/wasm -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build build/wasm -j2 --target foldsight foldsight_predict_module

# The template library: every StructureDB chain not in the benchmark's excluded list.
LIBRARY := build/library/templates.fslib
$(LIBRARY): scripts/data/export_library.py
	/usr/bin/python3 scripts/data/export_library.py --out $@

library: setup $(LIBRARY)

# dist/: a plain static site.
dist: wasm library
	rm -rf dist && mkdir -p dist/demo dist/shaders dist/models
	cp web/index.html web/app.css web/foldsight_api.js web/predict_worker.js web/predict_core.mjs dist/
	cp build/wasm/foldsight.js build/wasm/foldsight.wasm dist/
	cp build/wasm/foldsight_predict.js build/wasm/foldsight_predict.wasm dist/
	mkdir -p dist/ort dist/library
	cp node_modules/onnxruntime-web/dist/ort.webgpu.min.mjs node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.asyncify.mjs \
	   node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.asyncify.wasm dist/ort/
	cp $(LIBRARY) dist/library/
	cp shaders/*.wgsl dist/shaders/
	cp $(DEMO_PDB) dist/demo/1hpv.pdb
	if ls models/* >/dev/null 2>&1; then cp -r models/* dist/models/; fi

build: native dist

run: build
	PORT=$(PORT) python3 scripts/serve dist $(PORT)

test-native: native
	build/native/foldsight_tests

test-e2e: dist
	node --test tests/e2e/*.test.mjs

# Comparisons with reference tools (gemmi, mkdssp, TMscore, ...): each tests/ref/check_* script
# prints its measured figure and fails below the acceptance threshold.
test-ref: native
	@fail=0; for t in tests/ref/check_*; do [ -x "$$t" ] || continue; \
	  echo "== $$t"; FOLDSIGHT_CLI=build/native/foldsight_cli "$$t" || { echo "FAILED: $$t"; fail=1; }; \
	done; exit $$fail

# Training is reproducible from a clean checkout: the smoke configuration exports a tiny dataset,
# trains a few steps, exports ONNX and checks ONNX Runtime (Node, wasm) against torch.
test-train: setup
	/usr/bin/python3 scripts/train/export_dataset.py --limit 40 --out build/train/smoke-data
	/usr/bin/python3 scripts/train/train.py --config smoke --data build/train/smoke-data
	FOLDSIGHT_MODEL_DIR=build/train/smoke node --test tests/model/*.test.mjs

test: test-native test-ref test-e2e test-train

bench: build
	@for b in scripts/bench/*; do [ -x "$$b" ] && "$$b"; done; true

clean:
	rm -rf build dist
