// CSM prompts are laid out as the reference generator lays them out.

#include <QtTest>

#include "core/common/error.h"
#include "core/generation/csm_prompt.h"

using namespace echoforge;

class TestCsmPrompt : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void textFramesHoldIdsInLastColumn() {
        CsmPromptBuilder p(3);
        const std::vector<std::int32_t> ids{128000, 58, 128001};
        p.appendText(ids);
        QCOMPARE(p.frames(), 3);
        QCOMPARE(p.width(), 4);
        for (int f = 0; f < 3; ++f) {
            for (int k = 0; k < 3; ++k) {
                QCOMPARE(p.tokens()[f * 4 + k], 0);
                QCOMPARE(p.mask()[f * 4 + k], 0);
            }
            QCOMPARE(p.tokens()[f * 4 + 3], ids[f]);
            QCOMPARE(p.mask()[f * 4 + 3], 1);
        }
    }

    void audioFramesEndWithZeroFrame() {
        CsmPromptBuilder p(2);
        p.appendAudio(CodeMatrix{{5, 6}, {7, 8}});
        QCOMPARE(p.frames(), 3);
        const std::vector<std::int64_t> tokens{5, 7, 0, 6, 8, 0, 0, 0, 0};
        const std::vector<std::uint8_t> mask{1, 1, 0, 1, 1, 0, 1, 1, 0};
        QCOMPARE(p.tokens(), tokens);
        QCOMPARE(p.mask(), mask);
    }

    void wrongCodebookCountRefused() {
        CsmPromptBuilder p(2);
        QVERIFY_THROWS_EXCEPTION(Error, p.appendAudio(CodeMatrix{{1, 2}}));
        QVERIFY_THROWS_EXCEPTION(Error, p.appendAudio(CodeMatrix{{1, 2}, {3}}));
    }

    void windowCheckMatchesReference() {
        // generator.py raises when prompt_frames >= 2048 - max_frames.
        QCOMPARE(maxPromptFrames(2048, 1125), 922);
    }
};

QTEST_GUILESS_MAIN(TestCsmPrompt)
#include "tst_csm_prompt.moc"
