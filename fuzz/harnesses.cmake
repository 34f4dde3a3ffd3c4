# The libFuzzer harnesses and what each links. Included by fuzz/CMakeLists.txt
# (libFuzzer builds, SQUATGUARD_FUZZ=ON) and by tests/hardening (replay of
# fuzz/regressions/ and fuzz/seeds/ in every build).
set(SQUATGUARD_FUZZ_HARNESSES
  normalize protected_list feed engine_check output
  hf_response pypi_response npm_response mlflow_response cloud_response)

set(SQUATGUARD_FUZZ_DIR ${CMAKE_CURRENT_LIST_DIR})

# squatguard_fuzz_executable(target harness driver...): the harness source,
# its support files and libraries, plus `driver` sources or link options.
function(squatguard_fuzz_executable target harness)
  set(sources ${SQUATGUARD_FUZZ_DIR}/${harness}_fuzzer.cc)
  if(harness STREQUAL "normalize")
    set(libs squatguard_confusables)
  elseif(harness STREQUAL "protected_list" OR harness STREQUAL "engine_check")
    set(libs squatguard_engine squatguard_confusables)
  elseif(harness STREQUAL "feed")
    set(libs squatguard_crawlers squatguard_engine)
  elseif(harness STREQUAL "output")
    set(libs squatguard_cli)
  else()  # a crawler's response parser, served by the loopback server
    list(APPEND sources ${SQUATGUARD_FUZZ_DIR}/loopback_server.cc)
    set(libs squatguard_crawlers Threads::Threads)
  endif()
  add_executable(${target} ${sources} ${ARGN})
  target_include_directories(${target} PRIVATE ${CMAKE_SOURCE_DIR})
  target_link_libraries(${target} PRIVATE ${libs} absl::strings absl::str_format
                        nlohmann_json::nlohmann_json)
  target_compile_definitions(${target} PRIVATE
    SQUATGUARD_SOURCE_DIR="${CMAKE_SOURCE_DIR}"
    SQUATGUARD_FUZZ_DATA_DIR="${SQUATGUARD_FUZZ_DIR}/data")
endfunction()
