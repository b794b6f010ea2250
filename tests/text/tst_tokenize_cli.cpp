// echoforge-cli tokenize: the conformance corpus piped through the command gives the reference ids,
// one output line per input line and in order; a bad line is refused naming its number.

#include <QProcess>
#include <QtTest>

#include "tests/text/tokenizer_test_support.h"

using namespace echoforge::testing;

class TestTokenizeCli : public QObject {
    Q_OBJECT

    // Runs the command with `input` on standard input.
    static QProcess* run(QObject* parent, const QByteArray& input) {
        auto* process = new QProcess(parent);
        process->start(QStringLiteral(ECHOFORGE_BIN_DIR "/echoforge-cli"),
                       {"tokenize", "--tokenizer", fetchedTokenizerJson()});
        if (!process->waitForStarted())
            qFatal("echoforge-cli did not start: %s", qPrintable(process->errorString()));
        process->write(input);
        process->closeWriteChannel();
        if (!process->waitForFinished(120000))
            qFatal("echoforge-cli tokenize did not finish");
        return process;
    }

private Q_SLOTS:
    void corpusThroughTheCommand() {
        const std::vector<CorpusLine> corpus =
            readCorpus(QStringLiteral(ECHOFORGE_TEST_DATA_DIR "/tokenizer/llama3-corpus-A.jsonl"));
        QByteArray input;
        for (const CorpusLine& line : corpus)
            input += QByteArray::fromStdString(nlohmann::json{{"text", line.text}}.dump()) + '\n';

        QProcess* process = run(this, input);
        QCOMPARE(process->exitCode(), 0);
        const QList<QByteArray> lines = process->readAllStandardOutput().split('\n');
        QCOMPARE(lines.size(), qsizetype(corpus.size() + 1));  // the last line ends with '\n' too
        QVERIFY(lines.last().isEmpty());
        for (size_t i = 0; i < corpus.size(); ++i) {
            const auto out = nlohmann::json::parse(lines[qsizetype(i)].toStdString());
            QVERIFY2(lines[qsizetype(i)].startsWith("{\"text\":"), lines[qsizetype(i)].constData());
            QCOMPARE(out.at("text").get<std::string>(), corpus[i].text);
            const auto ids = out.at("ids").get<std::vector<int32_t>>();
            QVERIFY2(ids == corpus[i].ids, qPrintable(QStringLiteral("line %1: expected %2, got %3")
                                                          .arg(corpus[i].lineNumber)
                                                          .arg(idsToString(corpus[i].ids), idsToString(ids))));
        }
    }

    void badLineIsNamed_data() {
        QTest::addColumn<QByteArray>("badLine");
        QTest::addColumn<QString>("message");
        QTest::newRow("not JSON") << QByteArray("hello") << "Line 3 of standard input is not valid JSON";
        QTest::newRow("no text") << QByteArray("{\"txt\": \"a\"}") << "Line 3 of standard input is not an object";
        QTest::newRow("text not a string") << QByteArray("{\"text\": 5}") << "Line 3 of standard input is not an object";
        QTest::newRow("empty line") << QByteArray("") << "Line 3 of standard input is not valid JSON";
    }
    void badLineIsNamed() {
        QFETCH(QByteArray, badLine);
        QFETCH(QString, message);
        QProcess* process = run(this, "{\"text\": \"one\"}\n{\"text\": \"two\"}\n" + badLine + "\n{\"text\": \"four\"}\n");
        QCOMPARE(process->exitCode(), 1);
        const QString err = QString::fromUtf8(process->readAllStandardError());
        QVERIFY2(err.contains(message), qPrintable(err));
        // The lines before the bad one were answered.
        QCOMPARE(process->readAllStandardOutput().count('\n'), 2);
    }
};

QTEST_GUILESS_MAIN(TestTokenizeCli)
#include "tst_tokenize_cli.moc"
