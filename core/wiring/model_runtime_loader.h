#pragma once
// Opens the torch library (libechoforge_torch.so, beside the layers' libraries) the first time a
// program needs CSM or Mimi, and hands out its ModelRuntime (core/generation/model_runtime.h).
// Until then libtorch is not in the process: `echoforge-cli --version`, `voices`, `tokenize` and
// the studio's first paint never pay for it. Thread-safe; the library stays open until exit
// (libtorch cannot be unloaded).

#include <QString>

namespace echoforge {

class ModelRuntime;

// Opens the library on the first call. Throws echoforge::Error (NotInstalled) with a sentence
// when it cannot: missing, unreadable, or from another build. A failure is remembered.
ModelRuntime& modelRuntime();

// The runtime when something has opened it already, else nullptr; never opens it.
ModelRuntime* loadedModelRuntime();

// The file modelRuntime() opens: $ECHOFORGE_TORCH_LIBRARY when set, else libechoforge_torch.so in
// the folder of the library that holds this function (build/lib, or /usr/lib/.../echoforge).
QString torchLibraryPath();

} // namespace echoforge
