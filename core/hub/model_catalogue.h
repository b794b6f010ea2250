#pragma once
// The models EchoForge can fetch (core/hub/catalogue.json, built in as a resource): CSM-1B, Mimi
// and the tokenizer, each a hub repository, a revision and the files that go into one folder of
// the model folder (docs/models.md). A fine-tune in the transformers format is added by its
// repository name; its files are listed by the hub at download time.

#include <cstdint>

#include <QList>
#include <QString>

namespace echoforge {

struct CatalogueFile {
    QString name;              // in the repository (and in the model folder's subfolder)
    std::int64_t size = -1;    // -1: unknown until the hub says
    QString sha256;            // lower-case hex; empty: the hub's LFS metadata
};

struct CatalogueModel {
    QString id;                // "csm-1b", "mimi", "tokenizer", or the repository of a fine-tune
    QString title;
    QString repo;              // "ORG/NAME"
    QString revision = QStringLiteral("main");
    QString folder;            // subfolder of the model folder: csm, mimi, tokenizer
    QString licence;           // one sentence
    bool gated = false;
    bool optional = false;
    bool fineTune = false;     // files come from the hub's listing
    QList<CatalogueFile> files;

    std::int64_t knownBytes() const;   // sum of the known sizes
};

// The built-in catalogue. Throws echoforge::Error if the resource is unreadable (a build fault).
QList<CatalogueModel> builtInCatalogue();
// Parses a catalogue document (tests use their own).
QList<CatalogueModel> parseCatalogue(const QByteArray& json, const QString& source);

// A transformers-format fine-tune of CSM-1B: installed into csm/ in place of the weights there.
// Throws echoforge::Error when `repo` is not "ORG/NAME".
CatalogueModel fineTuneEntry(const QString& repo, const QString& revision = QStringLiteral("main"));

// The catalogue entry by id or repository, or a fine-tune entry for any other "ORG/NAME";
// throws a sentence listing the ids for anything else.
CatalogueModel findModel(const QList<CatalogueModel>& catalogue, const QString& idOrRepo);

} // namespace echoforge
