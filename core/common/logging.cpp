#include "core/common/logging.h"

#include <array>
#include <mutex>

#include <QDir>
#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>

namespace echoforge {
namespace {

constexpr std::array kAreas{LogArea::Core,  LogArea::Model, LogArea::Audio,   LogArea::Tasks,
                            LogArea::Ui,    LogArea::Api,   LogArea::Security};
constexpr std::size_t kLogFileBytes = 5 * 1024 * 1024;
constexpr std::size_t kLogFileCount = 3;

std::mutex& registryMutex() {
    static std::mutex m;
    return m;
}

spdlog::level::level_enum parseLevel(const QString& text) {
    const auto level = spdlog::level::from_str(text.trimmed().toLower().toStdString());
    // from_str answers "off" for anything it does not know; only take "off" when asked for.
    if (level == spdlog::level::off && text.trimmed().toLower() != "off")
        return spdlog::level::info;
    return level;
}

std::shared_ptr<spdlog::logger> makeLogger(LogArea area, std::vector<spdlog::sink_ptr> sinks) {
    auto log = std::make_shared<spdlog::logger>(logAreaName(area), sinks.begin(), sinks.end());
    spdlog::drop(logAreaName(area));
    spdlog::register_logger(log);
    return log;
}

std::shared_ptr<spdlog::sinks::stderr_color_sink_mt> consoleSink() {
    static auto sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
    return sink;
}

} // namespace

const char* logAreaName(LogArea area) {
    switch (area) {
    case LogArea::Core: return "core";
    case LogArea::Model: return "model";
    case LogArea::Audio: return "audio";
    case LogArea::Tasks: return "tasks";
    case LogArea::Ui: return "ui";
    case LogArea::Api: return "api";
    case LogArea::Security: return "security";
    }
    return "core";
}

void initLogging(const QString& logDir, const QString& level) {
    std::lock_guard lock(registryMutex());
    std::vector<spdlog::sink_ptr> sinks{consoleSink()};
    if (!logDir.isEmpty() && QDir().mkpath(logDir)) {
        try {
            const auto file = QDir(logDir).filePath("echoforge.log").toStdString();
            sinks.push_back(std::make_shared<spdlog::sinks::rotating_file_sink_mt>(
                file, kLogFileBytes, kLogFileCount));
        } catch (const spdlog::spdlog_ex&) {
            // An unwritable log folder must not stop the app; the console still logs.
        }
    }
    const QByteArray envLevel = qgetenv("ECHOFORGE_LOG_LEVEL");
    const auto chosen = parseLevel(envLevel.isEmpty() ? level : QString::fromLocal8Bit(envLevel));
    for (LogArea area : kAreas) {
        auto log = makeLogger(area, sinks);
        log->set_level(chosen);
        log->flush_on(spdlog::level::warn);
    }
}

std::shared_ptr<spdlog::logger> logger(LogArea area) {
    if (auto existing = spdlog::get(logAreaName(area)))
        return existing;
    std::lock_guard lock(registryMutex());
    if (auto existing = spdlog::get(logAreaName(area)))
        return existing;
    auto log = makeLogger(area, {consoleSink()});
    const QByteArray envLevel = qgetenv("ECHOFORGE_LOG_LEVEL");
    log->set_level(envLevel.isEmpty() ? spdlog::level::info
                                      : parseLevel(QString::fromLocal8Bit(envLevel)));
    return log;
}

} // namespace echoforge
