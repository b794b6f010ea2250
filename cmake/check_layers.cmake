# The layers point one way (docs/architecture.md):
#
#   app -> ui -> api, backup -> tasks -> generation, hub -> engine -> codec, voices -> text, audio, model -> common
#
# A file may include its own area and any area of a lower rank, never one of its own rank or
# above; the studio (ui/) reaches the model only through core/tasks, never core/model, codec or
# generation directly. Run before anything compiles (the build depends on it), so a wrong include
# stops the build with the file, the line and the rule:
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
set(rank_backup 6)
set(rank_api 6)
set(rank_ui 7)
set(rank_app 8)
# What the studio must reach only through core/tasks: the torch side of the product.
set(ui_forbidden model codec generation)

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
    elseif(from STREQUAL "ui" AND to IN_LIST ui_forbidden)
      string(APPEND violations "${file}: includes ${included}; the studio reaches ${to} only through core/tasks\n")
    endif()
  endforeach()
endforeach()

if(violations)
  message(FATAL_ERROR "Includes that go against the layers (cmake/check_layers.cmake):\n${violations}")
endif()
if(STAMP)
  file(TOUCH ${STAMP})
endif()
