// VoiceLibrary: the built-in characters all load, broken folders are skipped with their sentence,
// user characters are added, saved, duplicated, exported and removed.

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "core/common/error.h"
#include "core/voices/character_json.h"
#include "core/voices/voice_library.h"

using namespace echoforge;

namespace {

void writeFile(const QString& path, const QByteArray& bytes) {
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
}

QByteArray characterJson(const QString& id, const QString& name, const QString& gender = "female") {
    return QStringLiteral(R"({"schema": 1, "id": "%1", "name": "%2", "gender": "%3", "age_range": "30s",
        "sample_text": "Hello.", "espeak": {"voice": "en-us"}})").arg(id, name, gender).toUtf8();
}

} // namespace

class TestVoiceLibrary : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void everyBuiltInCharacterLoads() {
        const QString dir = builtInCharactersDir();
        QVERIFY2(QFileInfo(dir).isDir(), qPrintable(dir));
        VoiceLibrary library(dir, {});
        QVERIFY2(library.loadErrors().isEmpty(), qPrintable(library.loadErrors().join("\n")));
        const auto all = library.characters();
        const int folders = int(QDir(dir).entryList(QDir::Dirs | QDir::NoDotAndDotDot).size());
        QCOMPARE(all.size(), folders);
        QVERIFY(all.size() >= 12);

        QSet<QString> genders, ages, accents, styles;
        for (const Character& c : all) {
            QVERIFY(c.builtIn);
            QVERIFY2(!c.sampleText.isEmpty() && !c.description.isEmpty(), qPrintable(c.id));
            QVERIFY2(!c.espeak.voice.isEmpty(), qPrintable(c.id));   // every built-in speaks without CSM
            QFile avatar(c.avatarPath);
            QVERIFY2(avatar.open(QIODevice::ReadOnly), qPrintable(c.id));
            QVERIFY2(avatar.readAll().contains("<svg"), qPrintable(c.avatarPath));
            genders.insert(c.gender);
            ages.insert(c.ageRange);
            accents.insert(c.accent);
            for (const QString& s : c.styles)
                styles.insert(s);
        }
        // Varied: all three genders, several ages, accents and styles.
        QCOMPARE(genders.size(), 3);
        QVERIFY(ages.size() >= 5);
        QVERIFY(accents.size() >= 5);
        QVERIFY(styles.size() >= 10);
    }

    void brokenFolderIsSkippedOthersLoad() {
        QTemporaryDir builtIn, user;
        writeFile(builtIn.filePath("ana/character.json"), characterJson("ana", "Ana"));
        writeFile(builtIn.filePath("bad/character.json"), R"({"schema": 1, "id": "bad", "name": 5})");
        writeFile(user.filePath("cy/character.json"), characterJson("cy", "Cy", "male"));
        QDir().mkpath(user.filePath("empty-folder"));
        // A user folder may not take a built-in id.
        writeFile(user.filePath("ana/character.json"), characterJson("ana", "Impostor"));

        VoiceLibrary library(builtIn.path(), user.path());
        QStringList ids;
        for (const Character& c : library.characters())
            ids << c.id;
        QCOMPARE(ids, (QStringList{"ana", "cy"}));
        QCOMPARE(library.find("ana")->name, QStringLiteral("Ana"));
        QVERIFY(!library.find("cy")->builtIn);

        const QStringList errors = library.loadErrors();
        QCOMPARE(errors.size(), 3);
        QVERIFY(errors.join('\n').contains(builtIn.filePath("bad/character.json") + ": field 'name' must be a string"));
        QVERIFY(errors.join('\n').contains(user.filePath("empty-folder/character.json") + " is missing"));
        QVERIFY(errors.join('\n').contains("built-in character's id"));
    }

    void requireNamesUnknownVoice() {
        QTemporaryDir builtIn;
        VoiceLibrary library(builtIn.path(), {});
        QVERIFY(!library.find("nobody"));
        try {
            library.require("nobody");
            QFAIL("an unknown id must throw");
        } catch (const Error& e) {
            QVERIFY(e.sentence().contains("There is no character 'nobody'"));
        }
    }

    void addSaveDuplicateRemove() {
        QTemporaryDir builtIn, user, files;
        writeFile(builtIn.filePath("ana/character.json"), characterJson("ana", "Ana"));
        writeFile(files.filePath("face.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
        VoiceLibrary library(builtIn.path(), user.path());
        QSignalSpy changed(&library, &VoiceLibrary::changed);

        Character draft;
        draft.name = "Ana";   // taken by a built-in: the new id gets a suffix
        draft.gender = "female";
        draft.ageRange = "20s";
        draft.sampleText = "Hi.";
        draft.avatarPath = files.filePath("face.svg");
        const Character added = library.addUserCharacter(draft);
        QCOMPARE(added.id, QStringLiteral("ana-2"));
        QVERIFY(!added.builtIn);
        QCOMPARE(added.avatarPath, user.filePath("ana-2/avatar.svg"));
        QVERIFY(QFileInfo(added.avatarPath).isFile());
        QVERIFY(changed.count() >= 1);

        Character edited = added;
        edited.description = "Edited.";
        library.saveUserCharacter(edited);
        VoiceLibrary reread(builtIn.path(), user.path());
        QCOMPARE(reread.find("ana-2")->description, QStringLiteral("Edited."));

        const Character copy = library.duplicate("ana");
        QCOMPARE(copy.name, QStringLiteral("Ana (copy)"));
        QCOMPARE(copy.id, QStringLiteral("ana-copy"));
        QVERIFY(!copy.builtIn);

        QVERIFY_THROWS_EXCEPTION(Error, library.saveUserCharacter(*library.find("ana")));
        QVERIFY_THROWS_EXCEPTION(Error, library.removeUserCharacter("ana"));
        library.removeUserCharacter("ana-2");
        QVERIFY(!library.find("ana-2"));
        QVERIFY(!QFileInfo::exists(user.filePath("ana-2")));
    }

    void exportsFolderAndZip() {
        QTemporaryDir builtIn, out;
        writeFile(builtIn.filePath("ana/character.json"), characterJson("ana", "Ana"));
        VoiceLibrary library(builtIn.path(), {});
        library.exportCharacter("ana", out.filePath("ana-export"));
        QVERIFY(QFileInfo(out.filePath("ana-export/character.json")).isFile());
        QVERIFY_THROWS_EXCEPTION(Error, library.exportCharacter("ana", out.filePath("ana-export")));
        if (QStandardPaths::findExecutable("zip").isEmpty())
            QSKIP("no zip program on this machine");
        library.exportCharacter("ana", out.filePath("ana.zip"));
        QFile zip(out.filePath("ana.zip"));
        QVERIFY(zip.open(QIODevice::ReadOnly));
        const QByteArray bytes = zip.readAll();
        QVERIFY(bytes.startsWith("PK"));
        QVERIFY(bytes.contains("ana/character.json"));
    }
};

QTEST_GUILESS_MAIN(TestVoiceLibrary)
#include "tst_voice_library.moc"
