# The layer check (cmake/check_layers.cmake) on the real tree and on a small made-up one:
#   - the real tree passes;
#   - in the made-up tree, exactly the four wrong includes are named (an upward one, a sibling
#     one, the studio and the task engine reaching into the torch side) and the allowed ones
#     (core/wiring making the CSM engine among them) are not.
#   cmake -DSOURCE_DIR=<tree> -DWORK_DIR=<scratch folder> -P tests/common/layer_rules_test.cmake

set(check ${SOURCE_DIR}/cmake/check_layers.cmake)
execute_process(COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${SOURCE_DIR} -P ${check}
                RESULT_VARIABLE real_result ERROR_VARIABLE real_errors)
if(NOT real_result EQUAL 0)
  message(FATAL_ERROR "The tree breaks its layers:\n${real_errors}")
endif()

set(fake ${WORK_DIR}/layers-fake-tree)
file(REMOVE_RECURSE ${fake})
file(WRITE ${fake}/core/common/upward.cpp "#include \"core/tasks/task_engine.h\"\n")
file(WRITE ${fake}/core/text/sibling.cpp "#include <vector>\n  #include \"core/audio/audio_buffer.h\"\n")
file(WRITE ${fake}/ui/window.cpp "#include \"core/tasks/task_engine.h\"\n#include \"core/model/precision.h\"\n")
file(WRITE ${fake}/core/tasks/engine_maker.cpp "#include \"core/generation/csm_engine.h\"\n")
file(WRITE ${fake}/core/wiring/maker.cpp "#include \"core/generation/csm_engine.h\"\n#include \"core/tasks/task_engine.h\"\n")
file(WRITE ${fake}/core/tasks/fine.cpp "#include \"core/engine/speech_engine.h\"\n#include \"core/common/error.h\"\n")
file(WRITE ${fake}/app/main.cpp "#include \"ui/window.h\"\n#include \"core/model/csm.h\"\n")
execute_process(COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${fake} -P ${check}
                RESULT_VARIABLE fake_result ERROR_VARIABLE fake_errors)
if(fake_result EQUAL 0)
  message(FATAL_ERROR "The check let wrong includes through")
endif()
string(REPLACE "\n" " " flat "${fake_errors}")
string(REGEX REPLACE " +" " " flat "${flat}")
foreach(expected "core/common/upward.cpp: includes core/tasks/task_engine.h"
                 "core/text/sibling.cpp: includes core/audio/audio_buffer.h"
                 "ui/window.cpp: includes core/model/precision.h"
                 "core/tasks/engine_maker.cpp: includes core/generation/csm_engine.h")
  string(FIND "${flat}" "${expected}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "The check did not name '${expected}':\n${fake_errors}")
  endif()
endforeach()
foreach(allowed "core/tasks/fine.cpp" "core/wiring/maker.cpp" "app/main.cpp" "ui/window.cpp: includes core/tasks")
  string(FIND "${flat}" "${allowed}" at)
  if(NOT at EQUAL -1)
    message(FATAL_ERROR "The check refused an allowed include (${allowed}):\n${fake_errors}")
  endif()
endforeach()
file(REMOVE_RECURSE ${fake})
message(STATUS "layers: the tree passes; the four wrong includes of the made-up tree are named")
