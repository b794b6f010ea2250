# The layers point one way (docs/architecture.md):
#
#   app -> ui -> api, backup -> wiring -> tasks -> generation, hub -> engine -> codec, voices -> text, audio, model -> common
#
# A file may include its own area and any area of a lower rank, never one of its own rank or
# above. The task engine, the engine interface and the studio never include core/model, codec or
# generation: core/wiring, above the task engine, is the one place that makes the CSM engine.
# Run before anything compiles (the build depends on it), so a wrong include stops the build
# with the file, the line and the rule:
#
#   cmake -DSOURCE_DIR=<tree> [-DSTAMP=<file touched on success>] -P cmake/check_layers.cmake
#
# tests/ are free to include anything.

cmake_minimum_required(VERSION 3.20)
if(NOT SOURCE_DIR)
  message(FATAL_ERROR "check_layers: pass -DSOURCE_DIR=<the source tree>")
endif()

# area -> rank. Areas of one rank are siblings: neither may include the other.
set(rank_common 0)
set(rank_text 1)
set(rank_audio 1)
set(rank_model 1)
set(rank_codec 2)
set(rank_voices 2)
set(rank_engine 3)
set(rank_generation 4)
set(rank_hub 4)
set(rank_tasks 5)
set(rank_wiring 6)
set(rank_backup 7)
set(rank_api 7)
set(rank_ui 8)
set(rank_app 9)
# The torch side of the product (model, codec, generation) is reached only from the CSM engine
# itself (generation) and from core/wiring, which makes the engines: never from the task engine,
# the engine interface or the studio.
set(torch_side model codec generation)
set(torch_free tasks engine ui)

# The area of a path relative to the tree: core/<area>/..., ui/..., app/...
function(area_of path out)
  if(path MATCHES "^core/([a-z_]+)/")
    set(${out} ${CMAKE_MATCH_1} PARENT_SCOPE)
  elseif(path MATCHES "^(ui|app)/")
    set(${out} ${CMAKE_MATCH_1} PARENT_SCOPE)
  else()
    set(${out} "" PARENT_SCOPE)
  endif()
endfunction()

file(GLOB_RECURSE files RELATIVE ${SOURCE_DIR}
     ${SOURCE_DIR}/core/*.h ${SOURCE_DIR}/core/*.cpp
     ${SOURCE_DIR}/ui/*.h ${SOURCE_DIR}/ui/*.cpp
     ${SOURCE_DIR}/app/*.h ${SOURCE_DIR}/app/*.cpp)
set(violations "")
foreach(file IN LISTS files)
  area_of(${file} from)
  if(NOT DEFINED rank_${from})
    string(APPEND violations "${file}: the area '${from}' has no place in the layers; add it to cmake/check_layers.cmake\n")
    continue()
  endif()
  file(STRINGS ${SOURCE_DIR}/${file} includes REGEX "^[ \t]*#[ \t]*include[ \t]*\"(core/[a-z_]+|ui|app)/")
  foreach(line IN LISTS includes)
    string(REGEX MATCH "\"([^\"]+)\"" _ "${line}")
    set(included ${CMAKE_MATCH_1})
    area_of(${included} to)
    if(to STREQUAL from)
      continue()
    endif()
    if(NOT DEFINED rank_${to})
      string(APPEND violations "${file}: includes ${included}, whose area '${to}' has no place in the layers\n")
    elseif(NOT rank_${to} LESS rank_${from})
      string(APPEND violations "${file}: includes ${included}, but ${from} (rank ${rank_${from}}) may only include lower layers, and ${to} has rank ${rank_${to}}\n")
    elseif(from IN_LIST torch_free AND to IN_LIST torch_side)
      string(APPEND violations "${file}: includes ${included}; ${from} reaches ${to} only through core/wiring\n")
    endif()
  endforeach()
endforeach()

if(violations)
  message(FATAL_ERROR "Includes that go against the layers (cmake/check_layers.cmake):\n${violations}")
endif()
if(STAMP)
  file(TOUCH ${STAMP})
endif()
