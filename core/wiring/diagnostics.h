#pragma once
// The diagnostic report: versions, CPU, memory, CUDA, paths and model files, as one JSON object.

#include <QJsonObject>

namespace echoforge {

struct AppPaths;
struct Settings;

QJsonObject diagnosticReport(const AppPaths& paths, const Settings& settings);

} // namespace echoforge
