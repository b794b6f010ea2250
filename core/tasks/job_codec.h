#pragma once
// A request and its options as JSON, so queued jobs survive a restart in the history database
// and a history entry can be spoken again with the same parameters.

#include <QJsonObject>

#include "core/tasks/job.h"

namespace echoforge {

QJsonObject requestToJson(const SpeechRequest& request);
// Reads what requestToJson wrote; missing fields keep their defaults.
SpeechRequest requestFromJson(const QJsonObject& json);

QJsonObject optionsToJson(const JobOptions& options);
JobOptions optionsFromJson(const QJsonObject& json);

// The generation parameters alone (temperature, topK, maxSeconds, seed when set).
QJsonObject paramsToJson(const GenerationParams& params);
GenerationParams paramsFromJson(const QJsonObject& json);

} // namespace echoforge
