#include "core/voices/voice_library.h"

#include <algorithm>

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QSaveFile>
#include <QStandardPaths>

#include "core/common/error.h"
#include "core/common/logging.h"
#include "core/voices/character_json.h"

namespace echoforge {
namespace {

QStringList characterFolders(const QString& root) {
    QStringList out;
    const QDir dir(root);
    for (const QString& name : dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name))
        out << dir.filePath(name);
    return out;
}

void sortByName(QList<Character>& list) {
    std::stable_sort(list.begin(), list.end(), [](const Character& a, const Character& b) {
        return QString::localeAwareCompare(a.name, b.name) < 0;
    });
}

void copyFolder(const QString& from, const QString& to) {
    if (!QDir().mkpath(to))
        throw Error(ErrorKind::Io, QStringLiteral("Cannot create the folder %1.").arg(to));
    const QDir source(from);
    for (const QFileInfo& entry : source.entryInfoList(QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot)) {
        const QString target = QDir(to).filePath(entry.fileName());
        if (entry.isDir())
            copyFolder(entry.filePath(), target);
        else if (!QFile::copy(entry.filePath(), target))
            throw Error(ErrorKind::Io, QStringLiteral("Cannot copy %1 to %2.").arg(entry.filePath(), target));
    }
}

// Copies `path` into `folder` as `baseName`.<its suffix> and returns the new path; a file already
// inside the folder is kept where it is.
QString adoptFile(const QString& path, const QString& folder, const QString& baseName) {
    if (path.isEmpty())
        return path;
    const QFileInfo info(path);
    if (!info.isFile())
        throw Error(ErrorKind::NotFound, QStringLiteral("The file %1 does not exist.").arg(path));
    const QString target = QDir(folder).filePath(baseName + "." + info.suffix().toLower());
    if (QFileInfo(target) == info)
        return target;
    QFile::remove(target);
    if (!QFile::copy(path, target))
        throw Error(ErrorKind::Io, QStringLiteral("Cannot copy %1 into %2.").arg(path, folder));
    return target;
}

void writeJsonFile(const QString& file, const QByteArray& json) {
    QSaveFile out(file);
    if (!out.open(QIODevice::WriteOnly) || out.write(json) != json.size() || !out.commit())
        throw Error(ErrorKind::Io, QStringLiteral("Cannot write %1: %2.").arg(file, out.errorString()));
}

} // namespace

QString builtInCharactersDir() {
    const QString fromEnv = qEnvironmentVariable("ECHOFORGE_CHARACTERS_DIR");
    if (!fromEnv.isEmpty())
        return QDir(fromEnv).absolutePath();
    if (QCoreApplication::instance()) {
        const QString installed = QDir(QCoreApplication::applicationDirPath()).absoluteFilePath("../share/echoforge/characters");
        if (QFileInfo(installed).isDir())
            return QDir::cleanPath(installed);
    }
    return QStringLiteral(ECHOFORGE_SOURCE_CHARACTERS_DIR);
}

VoiceLibrary::VoiceLibrary(QString builtInDir, QString userDir, QObject* parent)
    : QObject(parent), builtInDir_(std::move(builtInDir)), userDir_(std::move(userDir)) {
    reload();
}

void VoiceLibrary::reload() {
    QList<Character> builtIn, user;
    QStringList errors;
    QSet<QString> builtInIds;
    for (const QString& folder : characterFolders(builtInDir_)) {
        try {
            builtIn << readCharacterFolder(folder, true);
            builtInIds.insert(builtIn.back().id);
        } catch (const Error& e) {
            errors << e.sentence();
        }
    }
    // A plain file where the user's characters should be would otherwise list none, silently.
    if (!userDir_.isEmpty() && QFileInfo::exists(userDir_) && !QFileInfo(userDir_).isDir())
        errors << QStringLiteral("%1 is a file, not the folder of your characters; move the file away so that "
                                 "EchoForge can keep your voices there.").arg(userDir_);
    if (!userDir_.isEmpty()) {
        for (const QString& folder : characterFolders(userDir_)) {
            try {
                Character c = readCharacterFolder(folder, false);
                if (builtInIds.contains(c.id))
                    throw Error(QStringLiteral("%1: field 'id' is '%2', which is a built-in character's id; a user "
                                               "character cannot replace it, so rename the folder and its id.")
                                    .arg(QDir(folder).filePath("character.json"), c.id));
                user << c;
            } catch (const Error& e) {
                errors << e.sentence();
            }
        }
    }
    sortByName(builtIn);
    sortByName(user);
    characters_ = builtIn + user;
    loadErrors_ = errors;
    for (const QString& e : errors)
        logger(LogArea::Core)->warn("character skipped: {}", e);
    Q_EMIT changed();
}

QList<Character> VoiceLibrary::characters() const {
    return characters_;
}

std::optional<Character> VoiceLibrary::find(const QString& id) const {
    for (const Character& c : characters_)
        if (c.id == id)
            return c;
    return std::nullopt;
}

Character VoiceLibrary::require(const QString& id) const {
    if (auto c = find(id))
        return *c;
    throw Error(ErrorKind::NotFound, QStringLiteral("There is no character '%1'; run 'echoforge-cli voices' to list them.").arg(id));
}

QStringList VoiceLibrary::loadErrors() const {
    return loadErrors_;
}

Character VoiceLibrary::addUserCharacter(Character draft) {
    if (userDir_.isEmpty())
        throw Error("There is no folder for user characters.");
    if (draft.name.trimmed().isEmpty())
        throw Error(ErrorKind::InvalidInput, "A character needs a name.");
    draft.name = draft.name.trimmed();
    const QString base = characterIdFromName(draft.name);
    QString id = base;
    for (int n = 2; find(id) || QFileInfo::exists(QDir(userDir_).filePath(id)); ++n)
        id = QStringLiteral("%1-%2").arg(base).arg(n);

    const QString folder = QDir(userDir_).filePath(id);
    if (!QDir().mkpath(folder))
        throw Error(ErrorKind::Io, QStringLiteral("Cannot create the folder %1; check that it is writable.").arg(folder));
    try {
        draft.id = id;
        draft.folder = QDir::cleanPath(QDir(folder).absolutePath());
        draft.builtIn = false;
        draft.avatarPath = adoptFile(draft.avatarPath, folder, "avatar");
        for (qsizetype i = 0; i < draft.segments.size(); ++i)
            draft.segments[i].audioPath = adoptFile(draft.segments[i].audioPath, folder, QStringLiteral("reference-%1").arg(i + 1));
        const QByteArray json = characterToJson(draft);
        // Refuse to store what we could not read back.
        parseCharacterJson(json, folder, QDir(folder).filePath("character.json"), false);
        writeJsonFile(QDir(folder).filePath("character.json"), json);
    } catch (...) {
        QDir(folder).removeRecursively();
        throw;
    }
    logger(LogArea::Core)->info("added user character {} in {}", id, folder);
    reload();
    return require(id);
}

void VoiceLibrary::saveUserCharacter(const Character& character) {
    const Character stored = require(character.id);
    if (stored.builtIn)
        throw Error(ErrorKind::InvalidInput, QStringLiteral("'%1' is a built-in character and cannot be changed; duplicate it first.").arg(stored.name));
    Character updated = character;
    updated.folder = stored.folder;
    updated.builtIn = false;
    updated.avatarPath = adoptFile(updated.avatarPath, stored.folder, "avatar");
    const QByteArray json = characterToJson(updated);
    const QString file = QDir(stored.folder).filePath("character.json");
    parseCharacterJson(json, stored.folder, file, false);
    writeJsonFile(file, json);
    reload();
}

void VoiceLibrary::removeUserCharacter(const QString& id) {
    const Character stored = require(id);
    if (stored.builtIn)
        throw Error(ErrorKind::InvalidInput, QStringLiteral("'%1' is a built-in character and cannot be removed.").arg(stored.name));
    if (!QDir(stored.folder).removeRecursively())
        throw Error(ErrorKind::Io, QStringLiteral("Cannot remove the folder %1.").arg(stored.folder));
    reload();
}

Character VoiceLibrary::duplicate(const QString& id) {
    Character copy = require(id);
    copy.name = QStringLiteral("%1 (copy)").arg(copy.name);
    return addUserCharacter(copy);
}

void VoiceLibrary::exportCharacter(const QString& id, const QString& destination) const {
    const Character c = require(id);
    const QString target = QFileInfo(destination).absoluteFilePath();
    if (QFileInfo(target).suffix().toLower() != "zip") {
        if (QFileInfo::exists(target))
            throw Error(QStringLiteral("%1 already exists; choose a new folder to export to.").arg(target));
        copyFolder(c.folder, target);
        return;
    }
    const QString zip = QStandardPaths::findExecutable("zip");
    if (zip.isEmpty())
        throw Error("Exporting to .zip needs the 'zip' program; install it (apt install zip) or export to a folder.");
    QFile::remove(target);
    QProcess process;
    process.setWorkingDirectory(QFileInfo(c.folder).absolutePath());
    process.start(zip, {"-r", "-q", target, QFileInfo(c.folder).fileName()});
    if (!process.waitForFinished(60000) || process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0)
        throw Error(QStringLiteral("Cannot write %1: zip failed (%2).")
                        .arg(target, QString::fromLocal8Bit(process.readAllStandardError()).trimmed()));
}

} // namespace echoforge
