#pragma once
// The model folder's one layout (docs/models.md):
//   csm/model.safetensors, csm/config.json
//   mimi/model.safetensors (or the published tokenizer-e351c8d8-checkpoint125.safetensors),
//   mimi/config.json (optional), tokenizer/tokenizer.json

#include <QList>
#include <QString>

namespace echoforge {

struct ModelFile {
    QString role;       // "csm_weights", "csm_config", "mimi_weights", "mimi_config", "tokenizer"
    QString path;       // the path looked at (the one found, or the preferred one when missing)
    bool found = false;
    bool optional = false;
};

struct ModelLayout {
    QString root;
    ModelFile csmWeights, csmConfig, mimiWeights, mimiConfig, tokenizer;

    static ModelLayout inspect(const QString& modelsDir);

    QList<ModelFile> files() const { return {csmWeights, csmConfig, mimiWeights, mimiConfig, tokenizer}; }
    // True when every required file is present.
    bool complete() const;
    // A sentence naming the missing files, empty when complete.
    QString missingSentence() const;
};

// The tokenizer.json to use: the model folder's, else the installed copy (share/echoforge/tokenizer
// beside the binary's folder, as the Debian package puts it), else the copy fetched into the build
// tree at set-up, else empty.
QString findTokenizerJson(const QString& modelsDir);

} // namespace echoforge
