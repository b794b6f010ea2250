// echoforge-cli ends with the exit code of the error's kind: scripts can tell a wrong input from a
// missing file or a missing model without reading the sentence. The expected codes come from
// <sysexits.h>, the BSD convention the mapping follows, not from the mapping itself.

#include <sysexits.h>

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include "core/common/error.h"

class TestCliExitCodes : public QObject {
    Q_OBJECT

    QTemporaryDir m_data;

    struct Run {
        int exitCode = -1;
        QString err;
    };

    Run cli(const QStringList& args, const QString& modelDir = {}) {
        QProcess p;
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert("ECHOFORGE_DATA_DIR", m_data.path());
        env.insert("ECHOFORGE_MODEL_DIR", modelDir.isEmpty() ? m_data.filePath("no-models") : modelDir);
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(ECHOFORGE_BIN_DIR "/echoforge-cli"), args);
        if (!p.waitForFinished(60000) || p.exitStatus() != QProcess::NormalExit)
            return {};
        return {p.exitCode(), QString::fromUtf8(p.readAllStandardError())};
    }

private Q_SLOTS:
    void kindsFollowSysexits() {
        using echoforge::ErrorKind;
        QCOMPARE(echoforge::cliExitCode(ErrorKind::NotFound), EX_NOINPUT);
        QCOMPARE(echoforge::cliExitCode(ErrorKind::Limit), EX_DATAERR);
        QCOMPARE(echoforge::cliExitCode(ErrorKind::NotInstalled), EX_UNAVAILABLE);
        QCOMPARE(echoforge::cliExitCode(ErrorKind::Busy), EX_TEMPFAIL);
        QCOMPARE(echoforge::cliExitCode(ErrorKind::Io), EX_IOERR);
        QCOMPARE(echoforge::cliExitCode(ErrorKind::InvalidInput), 2);
        QCOMPARE(echoforge::cliExitCode(ErrorKind::Internal), 1);
        // A sentence thrown without a kind keeps the old meaning.
        QCOMPARE(echoforge::Error("x").kind(), ErrorKind::Internal);
    }

    void unknownCharacterIsNotFound() {
        const Run r = cli({"say", "--text", "Hello.", "--voice", "nobody-by-this-name", "--engine", "espeak",
                           "-o", m_data.filePath("x.wav")});
        QVERIFY2(r.err.contains("nobody-by-this-name"), qPrintable(r.err));
        QCOMPARE(r.exitCode, EX_NOINPUT);
    }

    void missingModelIsNotInstalled() {
        const Run r = cli({"say", "--text", "Hello.", "--voice", "ada", "--engine", "csm", "-o", m_data.filePath("x.wav")});
        QCOMPARE(r.exitCode, EX_UNAVAILABLE);
    }

    void textOverTheLimitIsLimit() {
        const Run r = cli({"say", "--text", QString(20000, 'a') + ".", "--voice", "ada", "--engine", "espeak",
                           "-o", m_data.filePath("x.wav")});
        QCOMPARE(r.exitCode, EX_DATAERR);
    }

    void emptyTextIsInvalidInput() {
        const Run r = cli({"say", "--text", "   ", "--voice", "ada", "--engine", "espeak", "-o", m_data.filePath("x.wav")});
        QCOMPARE(r.exitCode, 2);
    }
};

QTEST_GUILESS_MAIN(TestCliExitCodes)
#include "tst_cli_exit_codes.moc"
