# The browser app (Emscripten). Included from CMakeLists.txt when EMSCRIPTEN is set.
set(IMGUI_DIR ${CMAKE_SOURCE_DIR}/third_party/imgui)
if(NOT EXISTS ${IMGUI_DIR}/imgui.cpp)
  message(FATAL_ERROR "Dear ImGui source missing: run scripts/setup")
endif()

# WGSL shaders are embedded as strings so pipelines can be built synchronously at start-up.
file(GLOB FOLDSIGHT_SHADERS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/shaders/*.wgsl)
set(SHADER_HEADER ${CMAKE_BINARY_DIR}/generated/embedded_shaders.h)
add_custom_command(
  OUTPUT ${SHADER_HEADER}
  COMMAND ${CMAKE_COMMAND} -DOUT=${SHADER_HEADER} -DSHADER_DIR=${CMAKE_SOURCE_DIR}/shaders
          -P ${CMAKE_SOURCE_DIR}/cmake/embed_shaders.cmake
  DEPENDS ${FOLDSIGHT_SHADERS} ${CMAKE_SOURCE_DIR}/cmake/embed_shaders.cmake)

add_library(imgui STATIC
  ${IMGUI_DIR}/imgui.cpp ${IMGUI_DIR}/imgui_draw.cpp ${IMGUI_DIR}/imgui_tables.cpp
  ${IMGUI_DIR}/imgui_widgets.cpp ${IMGUI_DIR}/imgui_demo.cpp ${IMGUI_DIR}/backends/imgui_impl_glfw.cpp)
target_include_directories(imgui PUBLIC ${IMGUI_DIR} ${IMGUI_DIR}/backends)
target_compile_definitions(imgui PUBLIC IMGUI_DISABLE_FILE_FUNCTIONS)
target_compile_options(imgui PRIVATE -sUSE_GLFW=3)

file(GLOB FOLDSIGHT_APP_SRC CONFIGURE_DEPENDS src/render/*.cpp src/ui/*.cpp src/app/*.cpp)
add_executable(foldsight ${FOLDSIGHT_APP_SRC} ${SHADER_HEADER})
target_include_directories(foldsight PRIVATE ${CMAKE_BINARY_DIR}/generated)
target_compile_options(foldsight PRIVATE -sUSE_GLFW=3 -sUSE_WEBGPU=1 -Wall)
target_link_libraries(foldsight PRIVATE foldsight_predict foldsight_geometry foldsight_core imgui)
set(WEB ${CMAKE_SOURCE_DIR}/web)
target_link_options(foldsight PRIVATE
  -sUSE_GLFW=3 -sUSE_WEBGPU=1 -sALLOW_MEMORY_GROWTH=1 -sMAXIMUM_MEMORY=4GB -sNO_EXIT_RUNTIME=1
  -sENVIRONMENT=web -sNO_FILESYSTEM=1 -sDISABLE_EXCEPTION_CATCHING=1 -sMINIFY_HTML=0
  "-sEXPORTED_FUNCTIONS=_main,_malloc,_free"
  "-sEXPORTED_RUNTIME_METHODS=UTF8ToString,stringToUTF8,lengthBytesUTF8"
  --pre-js ${WEB}/pre.js --js-library ${WEB}/webgpu_compat.js)
set_target_properties(foldsight PROPERTIES LINK_DEPENDS "${WEB}/pre.js;${WEB}/webgpu_compat.js" SUFFIX ".js")
include(${CMAKE_SOURCE_DIR}/cmake/wasm_predict.cmake)
