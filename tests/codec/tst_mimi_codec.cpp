// The torch-free MimiCodec API on golden set A: plain vectors in and out, streaming decode one
// frame per call, streaming encode from pushes of any length, and bad input refused.

// torch before any Qt header: Qt's `slots` macro breaks torch headers included after it.
#include <torch/torch.h>

#include "core/codec/mimi/mimi_codec.h"
#include "core/common/error.h"
#include "core/model/tensor_loading.h"

#include <QtTest>

using namespace echoforge;

namespace {

const QString kSetA = QStringLiteral(ECHOFORGE_TEST_DATA_DIR "/golden/A");

std::vector<float> floatsOf(const torch::Tensor& t) {
    const torch::Tensor c = t.reshape({-1}).to(torch::kFloat).contiguous();
    return {c.data_ptr<float>(), c.data_ptr<float>() + c.numel()};
}

MimiCodec::Codes codesOf(const torch::Tensor& t) {   // [1, K, F] → [K][F]
    MimiCodec::Codes codes(static_cast<size_t>(t.size(1)));
    for (int64_t k = 0; k < t.size(1); ++k)
        for (int64_t f = 0; f < t.size(2); ++f)
            codes[static_cast<size_t>(k)].push_back(t[0][k][f].item<int64_t>());
    return codes;
}

double maxAbsDiff(const std::vector<float>& a, const std::vector<float>& b) {
    double worst = 0;
    for (size_t i = 0; i < std::min(a.size(), b.size()); ++i)
        worst = std::max(worst, double(std::abs(a[i] - b[i])));
    return worst;
}

} // namespace

class TestMimiCodec : public QObject {
    Q_OBJECT

    std::unordered_map<std::string, torch::Tensor> cases_;
    std::optional<MimiCodec> codec_;

private Q_SLOTS:
    void initTestCase() {
        cases_ = loadTensors(kSetA + "/mimi_cases.safetensors");
        codec_ = MimiCodec::load(kSetA + "/mimi_model.safetensors", kSetA + "/mimi_config.json");
    }

    void describesItself() {
        QCOMPARE(codec_->sampleRate(), 200);
        QCOMPARE(codec_->samplesPerFrame(), 16);
        QCOMPARE(codec_->numCodebooks(), 8);
        QCOMPARE(codec_->cardinality(), 32);
    }

    void decodeMatchesReference() {
        const std::vector<float> audio = codec_->decode(codesOf(cases_.at("decode_codes")));
        const std::vector<float> reference = floatsOf(cases_.at("decode_waveform"));
        QCOMPARE(audio.size(), reference.size());
        QVERIFY(maxAbsDiff(audio, reference) <= 1e-4);
    }

    void streamingDecodeGivesOneFrameAtATime() {
        const MimiCodec::Codes codes = codesOf(cases_.at("decode_codes"));
        const std::vector<float> reference = floatsOf(cases_.at("stream_decode_waveform"));
        MimiCodec::StreamingDecoder stream = codec_->streamingDecoder();
        std::vector<float> first;
        for (size_t f = 0; f < codes.front().size(); ++f) {
            std::vector<int64_t> frame;
            for (const auto& row : codes)
                frame.push_back(row[f]);
            const std::vector<float> chunk = stream.decodeFrame(frame);
            QCOMPARE(chunk.size(), size_t(16));
            const std::vector<float> expected(reference.begin() + long(16 * f), reference.begin() + long(16 * (f + 1)));
            QVERIFY2(maxAbsDiff(chunk, expected) <= 1e-4, qPrintable(QString("frame %1").arg(f)));
            if (f == 0)
                first = chunk;
        }
        QCOMPARE(stream.framesDecoded(), int64_t(codes.front().size()));

        // After reset the decoder starts over: frame 0 again gives frame 0's samples.
        stream.reset();
        QCOMPARE(stream.framesDecoded(), int64_t(0));
        std::vector<int64_t> frame0;
        for (const auto& row : codes)
            frame0.push_back(row[0]);
        QCOMPARE(stream.decodeFrame(frame0), first);
    }

    void encodeMatchesReference() {
        const std::vector<float> pcm = floatsOf(cases_.at("encode_waveform"));
        QCOMPARE(codec_->encode(pcm), codesOf(cases_.at("encode_codes")));
    }

    // A partial last frame is padded with silence; the causal codec's earlier frames are unchanged.
    void encodePadsToWholeFrames() {
        const std::vector<float> pcm = floatsOf(cases_.at("encode_waveform"));   // 400 samples = 25 frames
        const MimiCodec::Codes whole = codesOf(cases_.at("encode_codes"));
        const MimiCodec::Codes shorter = codec_->encode(std::span(pcm).first(395));
        QCOMPARE(shorter.size(), whole.size());
        for (size_t k = 0; k < whole.size(); ++k) {
            QCOMPARE(shorter[k].size(), size_t(25));
            QVERIFY(std::equal(whole[k].begin(), whole[k].begin() + 24, shorter[k].begin()));
        }
    }

    void streamingEncodeTakesAnyPushes() {
        const std::vector<float> pcm = floatsOf(cases_.at("encode_waveform"));
        const MimiCodec::Codes reference = codesOf(cases_.at("stream_encode_codes"));
        MimiCodec::StreamingEncoder stream = codec_->streamingEncoder();
        MimiCodec::Codes got(reference.size());
        size_t at = 0;
        for (size_t length : {7, 9, 50, 1, 100, 233}) {
            const MimiCodec::Codes part = stream.push(std::span(pcm).subspan(at, length));
            at += length;
            QCOMPARE(part.size(), reference.size());
            QCOMPARE(part.front().size(), at / 16 - got.front().size());   // whole frames only
            for (size_t k = 0; k < part.size(); ++k)
                got[k].insert(got[k].end(), part[k].begin(), part[k].end());
        }
        QCOMPARE(at, pcm.size());
        QCOMPARE(got, reference);
    }

    void fewerCodebooksDecode() {
        MimiCodec::Codes codes = codesOf(cases_.at("decode_codes"));
        codes.resize(1);   // the semantic codebook alone
        QCOMPARE(codec_->decode(codes).size(), size_t(16 * 12));
    }

    void badCodesAreRefused_data() {
        QTest::addColumn<int>("codebooks");
        QTest::addColumn<int64_t>("code");
        QTest::addColumn<bool>("ragged");
        QTest::newRow("code too large") << 8 << int64_t(32) << false;
        QTest::newRow("negative code") << 8 << int64_t(-1) << false;
        QTest::newRow("too many codebooks") << 9 << int64_t(3) << false;
        QTest::newRow("no codebook") << 0 << int64_t(3) << false;
        QTest::newRow("ragged rows") << 8 << int64_t(3) << true;
    }

    void badCodesAreRefused() {
        QFETCH(int, codebooks);
        QFETCH(int64_t, code);
        QFETCH(bool, ragged);
        MimiCodec::Codes codes(static_cast<size_t>(codebooks), std::vector<int64_t>(4, code));
        if (ragged)
            codes.back().pop_back();
        QVERIFY_THROWS_EXCEPTION(Error, codec_->decode(codes));
        if (!ragged) {
            MimiCodec::StreamingDecoder stream = codec_->streamingDecoder();
            QVERIFY_THROWS_EXCEPTION(Error, stream.decodeFrame(std::vector<int64_t>(size_t(codebooks), code)));
        }
    }

    void emptyAudioIsRefused() {
        QVERIFY_THROWS_EXCEPTION(Error, codec_->encode({}));
    }
};

QTEST_GUILESS_MAIN(TestMimiCodec)
#include "tst_mimi_codec.moc"
