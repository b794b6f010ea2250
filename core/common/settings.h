#pragma once
// Every user setting and its default, in one place. Stored with QSettings.

#include <QString>

class QSettings;

namespace echoforge {

struct Settings {
    // Engine and model
    QString modelDir;                 // empty: the data folder's models/ (or ECHOFORGE_MODEL_DIR)
    QString engine = "auto";          // auto | csm | espeak
    QString device = "auto";          // auto | cpu | cuda
    int threads = 0;                  // torch threads; 0 = every core
    QString precision = "auto";       // auto | fp32 | bf16
    int modelIdleUnloadMinutes = 15;  // unload CSM after this long unused; 0 = never
    QString hubToken;                 // Hugging Face access token for gated models; empty: HF_TOKEN

    // Generation defaults
    double temperature = 0.9;
    int topK = 50;
    double maxSeconds = 30.0;
    // Pieces of a long text CSM speaks side by side (1–8). 1: one after another, each with the
    // one before as context; more: each with the voice alone, that many in one batch (faster).
    int pieceStreams = 1;
    // Queued CSM jobs spoken at the same time (1–8), their frames made in one batch: each weight
    // read serves every job, so more finish per minute on a CPU. A job's audio does not depend on it.
    int jobStreams = 4;

    // Limits
    int queueLimit = 100;
    int textLimit = 10000;            // characters per request
    int audioLimitSeconds = 600;      // per request
    int cacheLimitMegabytes = 2048;   // finished-audio cache

    // Post-processing
    double loudnessTargetLufs = -16.0;

    // The local HTTP API served by the studio (docs/api.md); echoforge-server takes its own options
    bool apiEnabled = false;
    int apiPort = 8765;
    QString apiBind = "127.0.0.1";    // another address only when set here: other machines reach it

    // Look and output
    QString theme = "system";         // system | light | dark
    QString outputDir;                // empty: the user's Music folder
    QString logLevel = "info";

    static Settings load(QSettings& store);
    void save(QSettings& store) const;
    bool operator==(const Settings&) const = default;
};

} // namespace echoforge
