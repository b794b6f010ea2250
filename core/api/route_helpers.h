#pragma once
// Small pieces several route files share.

#include <memory>

#include <QByteArray>

#include "core/api/route.h"
#include "core/voices/character.h"

namespace echoforge {
class TaskEngine;
class VoiceLibrary;
}

namespace echoforge::api {

// Answers `bytes` whole (200) or the part a Range header asks for (206, 416), with Accept-Ranges.
void respondWithRange(const std::shared_ptr<Exchange>& x, const QByteArray& bytes, const QByteArray& mime);

// "csm" when CSM serves auto requests now, else "espeak".
QString activeEngineId(const TaskEngine& tasks);

// The character an API request names by id or name; 404 (or 422 for a voice field) otherwise.
Character requireVoice(const VoiceLibrary& library, const QString& idOrName);

// 429 when the client already has as many unfinished tasks as it may.
void checkJobsPerClient(ApiServer& server, const QString& client);

} // namespace echoforge::api
