# The official `openai` npm package, for the test that calls echoforge-server the way existing
# tools do (tests/api/tst_api_clients.cpp: audio.speech.create). Fetched once at configure time
# with `npm pack` (like cmake/Tokenizer.cmake) into ${ECHOFORGE_DATA_BUILD_DIR}/node_modules/openai.
# Version 5 has no dependencies and runs on Node.js 18+, so the one tarball is all it needs.
# Not fatal when npm or the registry is missing: the test then skips, saying why.

set(ECHOFORGE_OPENAI_NPM_PACKAGE "openai@5.23.2" CACHE STRING "npm package of the OpenAI client used by the API tests")
# SHA-512 of that tarball (the registry's dist.integrity, in hex).
set(ECHOFORGE_OPENAI_SHA512
    "310073993ba58fe30ce4ef1228493f80bf1aeece6692d4bdcd4b40914db9ed68efa1b19cf6729c06e5708f210471bf5223c6bc6361bf9b39f7be6f67d499657a"
    CACHE STRING "Expected SHA-512 of the openai npm tarball (empty: not checked)")
set(ECHOFORGE_OPENAI_DIR ${ECHOFORGE_DATA_BUILD_DIR}/node_modules/openai)

function(echoforge_fetch_openai_client)
  if(EXISTS ${ECHOFORGE_OPENAI_DIR}/package.json)
    return()
  endif()
  find_program(ECHOFORGE_NPM npm)
  if(NOT ECHOFORGE_NPM)
    message(STATUS "npm not found: the OpenAI client test will be skipped")
    return()
  endif()
  set(work ${CMAKE_BINARY_DIR}/_openai_fetch)
  file(REMOVE_RECURSE ${work})
  file(MAKE_DIRECTORY ${work})
  message(STATUS "Fetching the OpenAI client: npm pack ${ECHOFORGE_OPENAI_NPM_PACKAGE}")
  execute_process(COMMAND ${ECHOFORGE_NPM} pack ${ECHOFORGE_OPENAI_NPM_PACKAGE}
                  WORKING_DIRECTORY ${work} RESULT_VARIABLE npm_status OUTPUT_QUIET ERROR_VARIABLE npm_err TIMEOUT 300)
  file(GLOB tarball ${work}/*.tgz)
  if(NOT npm_status EQUAL 0 OR NOT tarball)
    message(STATUS "Could not fetch ${ECHOFORGE_OPENAI_NPM_PACKAGE} (${npm_err}); the OpenAI client test will be skipped")
    return()
  endif()
  if(ECHOFORGE_OPENAI_SHA512)
    file(SHA512 ${tarball} fetched)
    if(NOT fetched STREQUAL ECHOFORGE_OPENAI_SHA512)
      message(FATAL_ERROR "${ECHOFORGE_OPENAI_NPM_PACKAGE} has SHA-512 ${fetched}, not ${ECHOFORGE_OPENAI_SHA512}.")
    endif()
  endif()
  file(ARCHIVE_EXTRACT INPUT ${tarball} DESTINATION ${work})
  file(MAKE_DIRECTORY ${ECHOFORGE_DATA_BUILD_DIR}/node_modules)
  file(RENAME ${work}/package ${ECHOFORGE_OPENAI_DIR})
  file(REMOVE_RECURSE ${work})
  message(STATUS "OpenAI client: ${ECHOFORGE_OPENAI_DIR}")
endfunction()

echoforge_fetch_openai_client()
