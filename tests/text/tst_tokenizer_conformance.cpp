// The Llama 3 tokenizer gives the reference ids, id for id, on every line of the conformance
// corpus (tests/data/tokenizer/README.md) and on any corpus named by ECHOFORGE_TOKENIZER_CORPUS.

#include <optional>

#include <QtTest>

#include "core/text/llama3_tokenizer.h"
#include "tests/text/tokenizer_test_support.h"

using namespace echoforge;
using namespace echoforge::testing;

class TestTokenizerConformance : public QObject {
    Q_OBJECT

    std::optional<Llama3Tokenizer> tokenizer_;

    void checkCorpus(const QString& path) {
        const std::vector<CorpusLine> corpus = readCorpus(path);
        QVERIFY2(!corpus.empty(), qPrintable(path + " holds no line"));
        int mismatches = 0;
        for (const CorpusLine& line : corpus) {
            const std::vector<int32_t> ids = tokenizer_->encode(line.text);
            if (ids != line.ids) {
                if (++mismatches <= 10)
                    qWarning("%s line %d: text %s\n  expected %s\n  got      %s", qPrintable(path), line.lineNumber,
                             nlohmann::json(line.text).dump().c_str(), qPrintable(idsToString(line.ids)),
                             qPrintable(idsToString(ids)));
                continue;
            }
            QCOMPARE(tokenizer_->decode(ids), line.text);
        }
        QVERIFY2(mismatches == 0, qPrintable(QStringLiteral("%1 of %2 lines of %3 differ from the reference ids")
                                                 .arg(mismatches)
                                                 .arg(corpus.size())
                                                 .arg(path)));
    }

private Q_SLOTS:
    void initTestCase() { tokenizer_ = Llama3Tokenizer::load(fetchedTokenizerJson()); }

    void vocabularyIsLlama3() {
        QCOMPARE(tokenizer_->vocabSize(), 128256);
        QCOMPARE(tokenizer_->beginOfTextId(), 128000);
        QCOMPARE(tokenizer_->endOfTextId(), 128001);
    }

    void corpusA() { checkCorpus(QStringLiteral(ECHOFORGE_TEST_DATA_DIR "/tokenizer/llama3-corpus-A.jsonl")); }

    void corpusFromEnvironment() {
        const QString path = qEnvironmentVariable("ECHOFORGE_TOKENIZER_CORPUS");
        if (path.isEmpty())
            QSKIP("ECHOFORGE_TOKENIZER_CORPUS is not set");
        checkCorpus(path);
    }
};

QTEST_GUILESS_MAIN(TestTokenizerConformance)
#include "tst_tokenizer_conformance.moc"
