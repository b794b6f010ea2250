// echoforge-cli ends with the exit code of the error's kind: scripts can tell a wrong input from a
// missing file or a missing model without reading the sentence. The expected codes come from
// <sysexits.h>, the BSD convention the mapping follows, not from the mapping itself.

#include <sysexits.h>

#include <QDir>
#include <QProcess>
#include <QRandomGenerator>
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

    // `shellLimits`, when given, runs first in a shell that then becomes the CLI ("ulimit -f 1024").
    Run cli(const QStringList& args, const QString& modelDir = {}, const QString& shellLimits = {}) {
        return run(QStringLiteral("echoforge-cli"), args, modelDir, shellLimits);
    }

    // `programName` (echoforge-cli or echoforge-server) from the build, over the test's data folder.
    Run run(const QString& programName, const QStringList& args, const QString& modelDir = {}, const QString& shellLimits = {}) {
        QProcess p;
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert("ECHOFORGE_DATA_DIR", m_data.path());
        env.insert("ECHOFORGE_MODEL_DIR", modelDir.isEmpty() ? m_data.filePath("no-models") : modelDir);
        p.setProcessEnvironment(env);
        const QString program = QStringLiteral(ECHOFORGE_BIN_DIR "/") + programName;
        if (shellLimits.isEmpty())
            p.start(program, args);
        else
            p.start("/bin/sh", QStringList{"-c", shellLimits + "; exec \"$0\" \"$@\"", program} + args);
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
        QVERIFY2(r.err.contains("The CSM model is not installed") && r.err.contains("use the eSpeak NG engine"), qPrintable(r.err));
        QCOMPARE(r.exitCode, EX_UNAVAILABLE);
    }

    void textOverTheLimitIsLimit() {
        const Run r = cli({"say", "--text", QString(20000, 'a') + ".", "--voice", "ada", "--engine", "espeak",
                           "-o", m_data.filePath("x.wav")});
        QVERIFY2(r.err.contains("The text is 20001 characters long, over the limit of 10000"), qPrintable(r.err));
        QCOMPARE(r.exitCode, EX_DATAERR);
    }

    void emptyTextIsInvalidInput() {
        const Run r = cli({"say", "--text", "   ", "--voice", "ada", "--engine", "espeak", "-o", m_data.filePath("x.wav")});
        QCOMPARE(r.err.trimmed(), QStringLiteral("echoforge-cli say: There is no text to speak; type a sentence first."));
        QCOMPARE(r.exitCode, 2);
    }

    // Issue 18, point 6: every numeric option of every command, given NaN, an infinity, a number
    // too large for a double (1e999) or nothing, is refused with one sentence that names the option
    // and its range, and exit code 2 (InvalidInput; README and docs/characters.md). The rest of each
    // command line is valid, so only the value can be the cause.
    void nonFiniteNumbersAreInvalidInput_data() {
        QTest::addColumn<QString>("program");
        QTest::addColumn<QStringList>("args");     // the command line before the option
        QTest::addColumn<QString>("option");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("sentence");     // the whole line on standard error
        const QString out = m_data.filePath("x.wav");
        const QStringList say{"say", "--text", "Hello.", "--voice", "ada", "--engine", "espeak", "-o", out};
        struct Option {
            QString program;
            QStringList args;
            QString option;
            QString rule;
            QStringList values;
        };
        const QStringList bad{"nan", "inf", "-inf", "1e999", ""};
        const QString seedRule = "a whole number from 0 to 18446744073709551615";
        const QList<Option> options{
            {"echoforge-cli say", say, "--temperature", "a number from 0.01 to 2", bad},
            {"echoforge-cli say", say, "--topk", "a whole number from 1 to 2051", bad},
            {"echoforge-cli say", say, "--seed", seedRule, bad},
            {"echoforge-cli say", say, "--max-seconds", "a number from 0.5 to 600", bad},
            {"echoforge-cli say", say, "--threads", "a whole number from 0 to 1024", bad},
            {"echoforge-cli say", say, "--piece-streams", "a whole number from 1 to 8", bad + QStringList{"0", "9"}},
            {"echoforge-cli audition", {"audition", "--voice", "ada"}, "--count", "a whole number from 1 to 12", bad},
            {"echoforge-cli audition", {"audition", "--voice", "ada"}, "--round", "a whole number from 0 to 100000", bad},
            {"echoforge-cli anchor", {"anchor", "--voice", "ada", "--take", out}, "--seed", seedRule, bad},
            {"echoforge-cli quality", {"quality", "--precision", "bf16"}, "--frames", "a whole number from 1 to 100", bad},
            // 1e999 is a hexadecimal number (0x1E999), so a key after all.
            {"echoforge-cli watermark", {"watermark", "detect", out}, "--key-hex", "a 64-bit hexadecimal number",
             {"nan", "inf", "-inf", ""}},
            {"echoforge-server", {}, "--port", "a whole number from 0 to 65535", bad},
            {"echoforge-server", {}, "--threads", "a whole number from 0 to 1024", bad},
            {"echoforge-server", {}, "--piece-streams", "a whole number from 1 to 8", bad + QStringList{"0", "9"}},
            {"echoforge-server", {}, "--job-streams", "a whole number from 1 to 8", bad + QStringList{"0", "9"}},
        };
        for (const Option& o : options)
            for (const QString& value : o.values)
                QTest::addRow("%s %s '%s'", qPrintable(o.program), qPrintable(o.option), qPrintable(value))
                    << o.program.section(' ', 0, 0) << o.args << o.option << value
                    << QStringLiteral("%1: %2 must be %3, not '%4'.").arg(o.program, o.option, o.rule, value);
    }
    void nonFiniteNumbersAreInvalidInput() {
        QFETCH(QString, program);
        QFETCH(QStringList, args);
        QFETCH(QString, option);
        QFETCH(QString, value);
        QFETCH(QString, sentence);
        const Run r = run(program, args + QStringList{option, value});
        QCOMPARE(r.err.trimmed(), sentence);
        QCOMPARE(r.exitCode, 2);
    }

    // A weight format nobody makes is the user's mistake, named with the choices, for the CLI and
    // the server alike (both take --precision for one run).
    void unknownPrecisionIsInvalidInput_data() {
        QTest::addColumn<QString>("program");
        QTest::addColumn<QStringList>("args");
        QTest::newRow("say") << "echoforge-cli"
                             << QStringList{"say", "--text", "Hello.", "--voice", "ada", "--engine", "espeak",
                                            "-o", m_data.filePath("x.wav"), "--precision", "fp8"};
        QTest::newRow("server") << "echoforge-server" << QStringList{"--precision", "fp8"};
    }
    void unknownPrecisionIsInvalidInput() {
        QFETCH(QString, program);
        QFETCH(QStringList, args);
        const Run r = run(program, args);
        QVERIFY2(r.err.trimmed().endsWith(QStringLiteral("Unknown precision \"fp8\": choose auto, fp32, bf16, int8 or q4.")),
                 qPrintable(r.err));
        QCOMPARE(r.exitCode, 2);
    }

    // echoforge-cli backup when the disk fills part way (a 512 KB file-size limit on the process,
    // SIGXFSZ ignored so the write fails with EFBIG as on a full disk): EX_IOERR, the sentence,
    // and no archive or temporary left in the folder.
    void fullDiskWhileBackingUpIsIo() {
        QByteArray recording(2 << 20, Qt::Uninitialized);
        QRandomGenerator(9).fillRange(reinterpret_cast<quint32*>(recording.data()), recording.size() / 4);
        QVERIFY(QDir().mkpath(m_data.filePath("voices/mine")));
        QFile f(m_data.filePath("voices/mine/reference.wav"));
        QVERIFY(f.open(QIODevice::WriteOnly) && f.write(recording) == recording.size());
        f.close();
        QTemporaryDir out;
        const QString target = out.filePath("backup.tar.gz");
        const Run r = cli({"backup", target}, {}, "trap '' XFSZ; ulimit -f 1024");
        QCOMPARE(r.err.trimmed(), QStringLiteral("echoforge-cli backup: Cannot write the backup to %1 (File too large); "
                                                 "check that the disk has room.").arg(target));
        QCOMPARE(r.exitCode, EX_IOERR);
        QCOMPARE(QDir(out.path()).entryList(QDir::Files | QDir::Hidden), QStringList());
        QCOMPARE(cli({"backup", target}).exitCode, 0);   // without the limit it goes through
        QVERIFY(QFileInfo(target).size() > recording.size());
        QVERIFY(QFile::remove(m_data.filePath("voices/mine/reference.wav")));
    }
};

QTEST_GUILESS_MAIN(TestCliExitCodes)
#include "tst_cli_exit_codes.moc"
