#include "core/wiring/model_runtime_loader.h"

#include <dlfcn.h>

#include <atomic>
#include <mutex>

#include <QFileInfo>
#include <QLibrary>

#include "core/common/error.h"
#include "core/common/logging.h"
#include "core/generation/model_runtime.h"

namespace echoforge {

namespace {

using RuntimeEntry = ModelRuntime* (*)();
constexpr const char* kEntryName = "echoforge_model_runtime_v1";

struct LoadState {
    std::mutex mutex;
    std::atomic<ModelRuntime*> runtime{nullptr};
    QString failure;   // the sentence of a failed open, repeated to later callers
};

LoadState& state() {
    static LoadState s;
    return s;
}

ModelRuntime* open(QString& failure) {
    const QString path = torchLibraryPath();
    // Never unloaded: libtorch registers operators and threads that outlive any unload.
    auto* library = new QLibrary(path);
    library->setLoadHints(QLibrary::PreventUnloadHint);
    if (!library->load()) {
        failure = QStringLiteral("EchoForge could not open its model library %1 (%2), so CSM-1B cannot run. Reinstall EchoForge, "
                                 "or speak with eSpeak NG.")
                      .arg(path, library->errorString());
        delete library;
        return nullptr;
    }
    auto entry = reinterpret_cast<RuntimeEntry>(library->resolve(kEntryName));
    if (!entry) {
        failure = QStringLiteral("The model library %1 is from another build of EchoForge (it has no %2), so CSM-1B cannot run. "
                                 "Reinstall EchoForge.")
                      .arg(path, QString::fromLatin1(kEntryName));
        return nullptr;
    }
    return entry();
}

} // namespace

QString torchLibraryPath() {
    const QByteArray overridden = qgetenv("ECHOFORGE_TORCH_LIBRARY");
    if (!overridden.isEmpty())
        return QString::fromLocal8Bit(overridden);
    // This function's own library: the torch library is installed beside it.
    Dl_info info{};
    if (dladdr(reinterpret_cast<void*>(&torchLibraryPath), &info) && info.dli_fname)
        return QFileInfo(QString::fromLocal8Bit(info.dli_fname)).absolutePath() + QStringLiteral("/libechoforge_torch.so");
    return QStringLiteral("libechoforge_torch.so");
}

ModelRuntime& modelRuntime() {
    LoadState& s = state();
    if (ModelRuntime* ready = s.runtime.load(std::memory_order_acquire))
        return *ready;
    std::lock_guard lock(s.mutex);
    if (ModelRuntime* ready = s.runtime.load(std::memory_order_relaxed))
        return *ready;
    if (s.failure.isEmpty()) {
        logger(LogArea::Model)->info("opening the model library {}", torchLibraryPath());
        if (ModelRuntime* opened = open(s.failure)) {
            s.runtime.store(opened, std::memory_order_release);
            return *opened;
        }
        logger(LogArea::Model)->error("{}", s.failure);
    }
    throw Error(ErrorKind::NotInstalled, s.failure);
}

ModelRuntime* loadedModelRuntime() { return state().runtime.load(std::memory_order_acquire); }

} // namespace echoforge
