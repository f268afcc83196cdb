# The prediction module (Emscripten): template search + folding from src/predict and src/core,
# no GPU and no UI, so the same .wasm runs in the browser's prediction Web Worker and under
# Node for `foldsight predict` / `foldsight search`. Included from wasm_app.cmake.
file(GLOB FOLDSIGHT_PREDICT_API_SRC CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/predict_api/*.cpp)
if(FOLDSIGHT_PREDICT_API_SRC)
  add_executable(foldsight_predict_module ${FOLDSIGHT_PREDICT_API_SRC})
  target_compile_options(foldsight_predict_module PRIVATE -Wall -msimd128)
  target_link_libraries(foldsight_predict_module PRIVATE foldsight_predict foldsight_core)
  target_link_options(foldsight_predict_module PRIVATE
    -O3 -msimd128 -sMODULARIZE=1 -sEXPORT_NAME=createFoldsightPredict
    -sENVIRONMENT=web,worker,node -sALLOW_MEMORY_GROWTH=1 -sMAXIMUM_MEMORY=4GB
    -sNO_FILESYSTEM=1 -sDISABLE_EXCEPTION_CATCHING=1
    "-sEXPORTED_FUNCTIONS=_malloc,_free"
    "-sEXPORTED_RUNTIME_METHODS=UTF8ToString,stringToUTF8,lengthBytesUTF8,HEAPU8,HEAPF32")
  set_target_properties(foldsight_predict_module PROPERTIES OUTPUT_NAME foldsight_predict SUFFIX ".js")
endif()
