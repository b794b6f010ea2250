// echoforge-cli models list|get|verify|import|remove: the model manager (core/hub) on the
// command line. `get` shows bytes, speed and time left on standard error; Ctrl+C cancels and
// keeps the part for a resume.

#include <atomic>
#include <csignal>
#include <cstdio>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QTimer>

#include "app/cli/command.h"
#include "core/common/error.h"
#include "core/common/paths.h"
#include "core/common/settings.h"
#include "core/hub/model_installer.h"
#include "core/hub/model_store.h"

namespace {

using namespace echoforge;

std::atomic<bool> interrupted{false};

QString modelsDirFrom(const QCommandLineParser& parser, const QCommandLineOption& option, const Settings& settings) {
    return parser.isSet(option) ? QDir(parser.value(option)).absolutePath() : AppPaths::resolve(settings).modelsDir;
}

QJsonObject listEntry(const CatalogueModel& m, const ModelStore& store) {
    QJsonArray files;
    for (const LocalFile& f : store.files(m))
        files.append(QJsonObject{{"name", f.name}, {"path", f.path}, {"state", fileStateName(f.state)}, {"bytes", double(f.bytes)}});
    return {{"id", m.id}, {"title", m.title}, {"repo", m.repo}, {"revision", m.revision}, {"gated", m.gated},
            {"optional", m.optional}, {"licence", m.licence}, {"installed", store.installed(m)}, {"files", files}};
}

int list(ModelStore& store, const QList<CatalogueModel>& catalogue, bool json) {
    QJsonArray all;
    for (const auto& m : catalogue)
        all.append(listEntry(m, store));
    if (json) {
        std::fputs(QJsonDocument(all).toJson().constData(), stdout);
        return 0;
    }
    std::printf("Model folder: %s\n", qPrintable(store.modelsDir()));
    for (const auto& v : all) {
        const QJsonObject o = v.toObject();
        std::printf("\n%-10s %s (%s)%s: %s\n  %s\n", qPrintable(o["id"].toString()), qPrintable(o["title"].toString()),
                    qPrintable(o["repo"].toString()), o["gated"].toBool() ? ", gated" : "",
                    o["installed"].toBool() ? "installed" : "not installed", qPrintable(o["licence"].toString()));
        for (const QJsonValue& fv : o["files"].toArray()) {
            const QJsonObject f = fv.toObject();
            const double bytes = f["bytes"].toDouble();
            std::printf("    %-48s %-13s %s\n", qPrintable(f["name"].toString()), qPrintable(f["state"].toString()),
                        bytes > 0 ? qPrintable(byteText(std::int64_t(bytes))) : "");
        }
    }
    return 0;
}

int get(ModelStore& store, const CatalogueModel& model, const Settings& settings) {
    std::printf("%s from %s: %s\n", qPrintable(model.title), qPrintable(model.repo), qPrintable(model.licence));
    QNetworkAccessManager network;
    ModelInstaller installer(&network, HubEndpoint::fromEnvironment(settings.hubToken), &store);
    QString error;
    QObject::connect(&installer, &ModelInstaller::progress, [](int file, int files, const QString& name, const DownloadProgress& p) {
        std::fprintf(stderr, "\r[%d/%d] %s: %s\033[K", file + 1, files, qPrintable(name), qPrintable(progressText(p)));
    });
    QObject::connect(&installer, &ModelInstaller::finished, [&](const QString& e) {
        error = e;
        QCoreApplication::exit(0);
    });
    std::signal(SIGINT, [](int) { interrupted = true; });
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, [&] {
        if (interrupted.exchange(false))
            installer.cancel();
    });
    poll.start(200);
    installer.install(model);
    if (installer.isRunning())
        QCoreApplication::exec();
    std::fputs("\n", stderr);
    if (!error.isEmpty())
        throw Error(error);
    std::printf("%s is in place and verified in %s.\n", qPrintable(model.title), qPrintable(QDir(store.modelsDir()).filePath(model.folder)));
    return 0;
}

int verify(ModelStore& store, const QList<CatalogueModel>& models) {
    int damaged = 0;
    for (const auto& m : models)
        for (const LocalFile& f : store.verify(m, [](const QString& path) { std::fprintf(stderr, "Checking %s…\n", qPrintable(path)); })) {
            std::printf("%-10s %-48s %s%s\n", qPrintable(m.id), qPrintable(f.name), qPrintable(fileStateName(f.state)),
                        f.sha256.isEmpty() ? "" : qPrintable(" sha256:" + f.sha256));
            damaged += f.state == FileState::Damaged ? 1 : 0;
        }
    return damaged == 0 ? 0 : 1;
}

int runModels(const QStringList& args) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        "Manage the model folder.\n"
        "  list                      the catalogue and what the folder holds\n"
        "  get ID|ORG/NAME           download a model (csm-1b, mimi, tokenizer) or a CSM fine-tune\n"
        "  verify [ID]               check the SHA-256 of the files\n"
        "  import DIR                take the models from a folder or the Hugging Face cache\n"
        "  remove ID                 delete a model's files\n"
        "The hub is https://huggingface.co unless HF_ENDPOINT names another; the token comes from Settings or HF_TOKEN.");
    parser.addHelpOption();
    parser.addPositionalArgument("action", "list, get, verify, import or remove.");
    QCommandLineOption modelDir("model-dir", "Model folder to use.", "DIR");
    QCommandLineOption json("json", "list: print JSON.");
    QCommandLineOption copy("copy", "import: copy the files instead of linking to them.");
    QCommandLineOption revision("revision", "get: the branch, tag or commit of a fine-tune.", "REV", "main");
    parser.addOptions({modelDir, json, copy, revision});
    parser.process(args);
    const QStringList pos = parser.positionalArguments();
    if (pos.isEmpty()) {
        std::fputs(qPrintable(parser.helpText()), stderr);
        return 2;
    }
    const Settings settings = loadSettings(AppPaths::resolveDefault());
    ModelStore store(modelsDirFrom(parser, modelDir, settings));
    const QList<CatalogueModel> catalogue = builtInCatalogue();
    const QString action = pos.first();
    const QString what = pos.value(1);
    if (action == QLatin1String("list"))
        return list(store, catalogue, parser.isSet(json));
    if (action == QLatin1String("get") && !what.isEmpty()) {
        CatalogueModel model = findModel(catalogue, what);
        if (model.fineTune)
            model.revision = parser.value(revision);
        return get(store, model, settings);
    }
    if (action == QLatin1String("verify"))
        return verify(store, what.isEmpty() ? catalogue : QList<CatalogueModel>{findModel(catalogue, what)});
    if (action == QLatin1String("import") && !what.isEmpty()) {
        const ImportResult r = store.import(what, parser.isSet(copy) ? ImportMode::Copy : ImportMode::Link);
        for (const QString& note : r.notes)
            std::printf("%s\n", qPrintable(note));
        for (const QString& placed : r.placed)
            std::printf("%s %s\n", parser.isSet(copy) ? "copied" : "linked", qPrintable(placed));
        return 0;
    }
    if (action == QLatin1String("remove") && !what.isEmpty()) {
        const QStringList removed = store.remove(findModel(catalogue, what));
        for (const QString& path : removed)
            std::printf("removed %s\n", qPrintable(path));
        if (removed.isEmpty())
            std::printf("Nothing of %s was in %s.\n", qPrintable(what), qPrintable(store.modelsDir()));
        return 0;
    }
    std::fputs(qPrintable(parser.helpText()), stderr);
    return 2;
}

} // namespace

ECHOFORGE_CLI_COMMAND(models, "models", "List, download, verify, import or remove models", runModels)
