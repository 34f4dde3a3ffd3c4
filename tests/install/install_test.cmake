# cmake -P script run by CTest (see CMakeLists.txt). Fails with a message
# that says which step broke: install, the installed files, configuring the
# consumer (find_package), building it (headers, link), or running it.

foreach(var SQUATGUARD_BUILD_DIR CONSUMER_SOURCE_DIR WORK_DIR GENERATOR BUILD_TYPE)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "install_test.cmake: ${var} is not set")
  endif()
endforeach()

set(prefix "${WORK_DIR}/prefix")
set(consumer_build "${WORK_DIR}/consumer-build")
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")

function(run step)
  execute_process(COMMAND ${ARGN}
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    string(JOIN " " cmd ${ARGN})
    message(FATAL_ERROR "${step} failed (exit ${rc})\n  command: ${cmd}\n--- stdout\n${out}\n--- stderr\n${err}")
  endif()
  set(run_output "${out}" PARENT_SCOPE)
endfunction()

# 1. Install the build.
run("cmake --install" "${CMAKE_COMMAND}" --install "${SQUATGUARD_BUILD_DIR}" --prefix "${prefix}"
    --config "${BUILD_TYPE}")

# 2. What the package must contain.
set(missing "")
foreach(header engine.h candidate.h finding.h protected_list.h ecosystem.h)
  if(NOT EXISTS "${prefix}/include/squatguard/${header}")
    list(APPEND missing "include/squatguard/${header}")
  endif()
endforeach()
file(GLOB_RECURSE config_files "${prefix}/*/squatguardConfig.cmake")
if(NOT config_files)
  list(APPEND missing "lib*/cmake/squatguard/squatguardConfig.cmake")
endif()
file(GLOB_RECURSE target_files "${prefix}/*/squatguardTargets.cmake")
if(NOT target_files)
  list(APPEND missing "lib*/cmake/squatguard/squatguardTargets.cmake")
endif()
file(GLOB_RECURSE libraries "${prefix}/*/libsquatguard.a" "${prefix}/*/libsquatguard.so")
if(NOT libraries)
  list(APPEND missing "lib*/libsquatguard.{a,so}")
endif()
set(data_dir "${prefix}/share/squatguard/protected")
file(GLOB lists "${data_dir}/*.jsonl")
if(NOT lists)
  list(APPEND missing "share/squatguard/protected/*.jsonl")
endif()
if(missing)
  file(GLOB_RECURSE installed RELATIVE "${prefix}" "${prefix}/*")
  string(JOIN "\n  " installed_list ${installed})
  message(FATAL_ERROR "cmake --install did not install: ${missing}\ninstalled:\n  ${installed_list}")
endif()

# 3. Configure and build the consumer against the prefix only.
set(configure_args -S "${CONSUMER_SOURCE_DIR}" -B "${consumer_build}" -G "${GENERATOR}"
    "-DCMAKE_PREFIX_PATH=${prefix}" "-DCMAKE_BUILD_TYPE=${BUILD_TYPE}")
if(CXX_COMPILER)
  list(APPEND configure_args "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}")
endif()
if(SANITIZE)
  # The installed static libraries carry sanitizer calls; the consumer links the runtime.
  list(APPEND configure_args "-DCMAKE_CXX_FLAGS=-fsanitize=address,undefined"
       "-DCMAKE_EXE_LINKER_FLAGS=-fsanitize=address,undefined")
endif()
run("configuring the consumer (find_package(squatguard))" "${CMAKE_COMMAND}" ${configure_args})
run("building the consumer (headers and squatguard::engine link)" "${CMAKE_COMMAND}" --build "${consumer_build}"
    --config "${BUILD_TYPE}")

# 4. Run it on the installed lists.
set(app "${consumer_build}/app")
if(NOT EXISTS "${app}")
  file(GLOB_RECURSE app "${consumer_build}/app" "${consumer_build}/*/app")
endif()
run("running the consumer" "${app}" "${data_dir}")
if(NOT run_output MATCHES "meta-Ilama -> meta-llama")
  message(FATAL_ERROR "the consumer ran but did not report meta-Ilama -> meta-llama:\n${run_output}")
endif()
message(STATUS "installed package works:\n${run_output}")
