#pragma once
// The bearer token: ECHOFORGE_API_TOKEN when set, else the one in <data folder>/api-token, made
// at first start from 256 random bits (64 hex digits) and readable by its owner alone (0600).

#include <QString>

namespace echoforge::api {

// Throws Error (Io) when the file can be neither read nor made.
QString resolveApiToken(const QString& dataDir);
// A fresh token written over the file (Settings → API → Regenerate); the old one stops working.
QString regenerateApiToken(const QString& dataDir);
QString apiTokenPath(const QString& dataDir);

} // namespace echoforge::api
