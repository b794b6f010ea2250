// docs/configuration.md names every setting and every environment variable EchoForge reads, and the
// server's example environment file lists every variable: a new one cannot go undocumented.
// Settings come from what Settings::save writes; variables from the names the sources pass to the
// environment functions (a quoted ECHOFORGE_* or XDG_* string).

#include <QDirIterator>
#include <QRegularExpression>
#include <QSet>
#include <QSettings>
#include <QTemporaryDir>
#include <QtTest>

#include "core/common/settings.h"

namespace {

QString readSource(const QString& relative) {
    QFile f(QStringLiteral(ECHOFORGE_SOURCE_DIR "/") + relative);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

QStringList environmentVariablesInSources() {
    static const QRegularExpression quoted(QStringLiteral(R"re("((?:ECHOFORGE|XDG)_[A-Z0-9_]+)")re"));
    QSet<QString> names;
    for (const char* area : {"core", "app", "ui"}) {
        QDirIterator it(QStringLiteral(ECHOFORGE_SOURCE_DIR "/") + area, {"*.cpp", "*.h"}, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            QFile f(it.next());
            if (!f.open(QIODevice::ReadOnly)) continue;
            const QString text = QString::fromUtf8(f.readAll());
            for (auto m = quoted.globalMatch(text); m.hasNext();) names.insert(m.next().captured(1));
        }
    }
    QStringList sorted(names.begin(), names.end());
    sorted.sort();
    return sorted;
}

} // namespace

class TestConfigurationDocs : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void everySettingIsDocumented() {
        QTemporaryDir dir;
        QStringList keys;
        {
            QSettings store(dir.filePath("s.ini"), QSettings::IniFormat);
            echoforge::Settings{}.save(store);
            keys = store.allKeys();
        }
        QVERIFY2(keys.size() >= 15, "Settings::save wrote fewer keys than the settings have");
        const QString doc = readSource("docs/configuration.md");
        QVERIFY2(!doc.isEmpty(), "docs/configuration.md is missing");
        QStringList missing;
        for (const QString& key : keys)
            if (!doc.contains('`' + key + '`')) missing << key;
        QVERIFY2(missing.isEmpty(), qPrintable("docs/configuration.md does not describe: " + missing.join(", ")));
    }

    void everyEnvironmentVariableIsDocumented() {
        const QStringList names = environmentVariablesInSources();
        // The sources read at least these; an empty list would mean the scan is broken.
        QVERIFY(names.contains("ECHOFORGE_DATA_DIR") && names.contains("ECHOFORGE_MODEL_DIR"));
        const QString doc = readSource("docs/configuration.md");
        const QString env = readSource("packaging/deploy/server.env.example");
        QStringList missingInDoc, missingInExample;
        for (const QString& name : names) {
            if (!doc.contains('`' + name + '`')) missingInDoc << name;
            if (!env.contains(name + '=')) missingInExample << name;
        }
        QVERIFY2(missingInDoc.isEmpty(), qPrintable("docs/configuration.md does not describe: " + missingInDoc.join(", ")));
        QVERIFY2(missingInExample.isEmpty(), qPrintable("packaging/deploy/server.env.example does not list: " + missingInExample.join(", ")));
    }
};

QTEST_GUILESS_MAIN(TestConfigurationDocs)
#include "tst_configuration_docs.moc"
