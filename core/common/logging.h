#pragma once
// One named spdlog logger per area; console plus a rotating file in the data folder.

#include <memory>

#include <QString>
#include <spdlog/spdlog.h>
#include <fmt/format.h>

namespace echoforge {

enum class LogArea { Core, Model, Audio, Tasks, Ui, Api, Security };

// Creates the loggers. Safe to call more than once (later calls change level and file).
// `level` is one of trace, debug, info, warn, error, critical, off; ECHOFORGE_LOG_LEVEL wins over it.
// An empty `logDir` logs to the console only.
void initLogging(const QString& logDir, const QString& level);

// The logger of an area. Works before initLogging (console only, level info).
std::shared_ptr<spdlog::logger> logger(LogArea area);

const char* logAreaName(LogArea area);

} // namespace echoforge

// Lets spdlog/fmt print QString directly: logger(LogArea::Core)->info("loaded {}", path);
template <>
struct fmt::formatter<QString> : fmt::formatter<std::string> {
    template <typename Ctx>
    auto format(const QString& s, Ctx& ctx) const {
        return fmt::formatter<std::string>::format(s.toStdString(), ctx);
    }
};
