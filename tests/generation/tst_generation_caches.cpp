// The finished-audio cache (LRU under a size cap) and the clone-codes cache.

#include <limits>
#include <thread>

#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>

#include "core/generation/audio_cache.h"
#include "core/generation/clone_codes_cache.h"

using namespace echoforge;

class TestGenerationCaches : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void keyDependsOnEveryInput() {
        GenerationParams p;
        const QString base = AudioCache::key("m1", "mara", "Hello", p, 1);
        QCOMPARE(AudioCache::key("m1", "mara", "Hello", p, 1), base);
        QVERIFY(AudioCache::key("m2", "mara", "Hello", p, 1) != base);
        QVERIFY(AudioCache::key("m1", "theo", "Hello", p, 1) != base);
        QVERIFY(AudioCache::key("m1", "mara", "Hello!", p, 1) != base);
        QVERIFY(AudioCache::key("m1", "mara", "Hello", p, 2) != base);
        GenerationParams q = p;
        q.temperature = 0.8;
        QVERIFY(AudioCache::key("m1", "mara", "Hello", q, 1) != base);
        q = p;
        q.topK = 10;
        QVERIFY(AudioCache::key("m1", "mara", "Hello", q, 1) != base);
    }

    void storeAndLookup() {
        QTemporaryDir dir;
        AudioCache cache(dir.path(), 1 << 20);
        const std::vector<float> audio{0.1f, -0.2f, 0.3f};
        QVERIFY(!cache.lookup("k").has_value());
        cache.store("k", audio, 24000);
        const auto hit = cache.lookup("k");
        QVERIFY(hit.has_value());
        QCOMPARE(hit->sampleRate, 24000);
        QCOMPARE(hit->samples, audio);
    }

    void evictsLeastRecentlyUsedUnderCap() {
        QTemporaryDir dir;
        const std::vector<float> audio(1000, 0.5f);  // ~4 KB an entry
        AudioCache cache(dir.path(), 10000);
        cache.store("a", audio, 24000);
        std::this_thread::sleep_for(std::chrono::milliseconds(20));  // file times order recency
        cache.store("b", audio, 24000);
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        QVERIFY(cache.lookup("a").has_value());  // a is now the most recent
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        cache.store("c", audio, 24000);
        QVERIFY(cache.sizeBytes() <= 10000);
        QVERIFY(cache.lookup("a").has_value());
        QVERIFY(!cache.lookup("b").has_value());
        QVERIFY(cache.lookup("c").has_value());
    }

    void damagedEntryIsDropped() {
        QTemporaryDir dir;
        AudioCache cache(dir.path(), 1 << 20);
        cache.store("k", std::vector<float>(10, 0.1f), 24000);
        QFile f(dir.filePath("k.efac"));
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write("EFAC\x01");
        f.close();
        QVERIFY(!cache.lookup("k").has_value());
        QVERIFY(!QFile::exists(dir.filePath("k.efac")));
    }

    // Damage that keeps the entry's size: a sample turned into NaN or infinity.
    void nonFiniteSamplesAreDropped_data() {
        QTest::addColumn<float>("bad");
        QTest::newRow("nan") << std::numeric_limits<float>::quiet_NaN();
        QTest::newRow("inf") << std::numeric_limits<float>::infinity();
    }
    void nonFiniteSamplesAreDropped() {
        QFETCH(float, bad);
        QTemporaryDir dir;
        AudioCache cache(dir.path(), 1 << 20);
        cache.store("k", std::vector<float>(10, 0.1f), 24000);
        QFile f(dir.filePath("k.efac"));
        const qint64 size = f.size();
        QVERIFY(f.open(QIODevice::ReadWrite));
        QVERIFY(f.seek(size - 4 * 3));   // the third sample from the end
        f.write(reinterpret_cast<const char*>(&bad), sizeof bad);
        f.close();
        QCOMPARE(QFileInfo(dir.filePath("k.efac")).size(), size);
        QVERIFY(!cache.lookup("k").has_value());
        QVERIFY(!QFile::exists(dir.filePath("k.efac")));
    }

    void cloneCodesOutOfRangeIgnored_data() {
        QTest::addColumn<int>("code");
        QTest::newRow("negative") << -1;
        QTest::newRow("2048") << 2048;
        QTest::newRow("32767") << 32767;
    }
    void cloneCodesOutOfRangeIgnored() {
        QFETCH(int, code);
        QTemporaryDir dir;
        CloneCodesCache cache(dir.path());
        cache.store("k", CodeMatrix{{1, 2, 3}, {4, 5, 6}});
        QFile f(dir.filePath("k.codes"));
        const qint64 size = f.size();
        QVERIFY(f.open(QIODevice::ReadWrite));
        QVERIFY(f.seek(size - 2));   // the last code, big-endian qint16 (QDataStream)
        const char bytes[2] = {char((code >> 8) & 0xff), char(code & 0xff)};
        f.write(bytes, 2);
        f.close();
        QVERIFY(!cache.lookup("k").has_value());
        cache.store("k", CodeMatrix{{1, 2, 3}, {4, 5, 2047}});   // 2047 is the last valid code
        QCOMPARE(*cache.lookup("k"), (CodeMatrix{{1, 2, 3}, {4, 5, 2047}}));
    }

    void cloneCodesRoundTrip() {
        QTemporaryDir dir;
        CloneCodesCache cache(dir.path());
        const std::vector<float> pcm{0.f, 0.5f, -0.5f};
        const QString key = CloneCodesCache::key(pcm, 24000, "mimi-abc");
        QVERIFY(key != CloneCodesCache::key(pcm, 24000, "mimi-def"));
        QVERIFY(key != CloneCodesCache::key(std::vector<float>{0.f, 0.5f, -0.4f}, 24000, "mimi-abc"));
        QVERIFY(!cache.lookup(key).has_value());
        const CodeMatrix codes{{1, 2, 2047}, {0, 5, 6}};
        cache.store(key, codes);
        const auto hit = cache.lookup(key);
        QVERIFY(hit.has_value());
        QCOMPARE(*hit, codes);
    }

    // Entries that are not this format: another version of it, other bytes, an empty file. Each
    // is a miss, and storing the codes again makes the entry good.
    void foreignCloneCodesAreAMissThenRebuilt_data() {
        QTest::addColumn<QString>("damage");
        QTest::newRow("version 2") << "version";
        QTest::newRow("garbage") << "garbage";
        QTest::newRow("empty") << "empty";
    }
    void foreignCloneCodesAreAMissThenRebuilt() {
        QFETCH(QString, damage);
        QTemporaryDir dir;
        CloneCodesCache cache(dir.path());
        const CodeMatrix codes{{1, 2, 3}, {4, 5, 6}};
        cache.store("k", codes);
        QFile f(dir.filePath("k.codes"));
        const qint64 size = f.size();
        QVERIFY(f.open(QIODevice::ReadWrite));
        if (damage == "version") {
            QVERIFY(f.seek(4));   // after the magic: the version, big-endian quint32 (QDataStream)
            f.write(QByteArray("\0\0\0\x02", 4));
        } else if (damage == "garbage") {
            f.write(QByteArray(int(size), '\x5a'));
        } else {
            QVERIFY(f.resize(0));
        }
        f.close();
        QVERIFY(!cache.lookup("k").has_value());
        cache.store("k", codes);
        QCOMPARE(*cache.lookup("k"), codes);
    }

    // A cached take of another format (its magic changed, as a future version would) or of
    // other bytes of the same size: dropped, and a take stored again is served.
    void foreignAudioEntryIsDroppedThenRebuilt_data() {
        QTest::addColumn<QByteArray>("head");
        QTest::newRow("another format") << QByteArray("EFA2");
        QTest::newRow("garbage") << QByteArray(16, '\xa5');
    }
    void foreignAudioEntryIsDroppedThenRebuilt() {
        QFETCH(QByteArray, head);
        QTemporaryDir dir;
        AudioCache cache(dir.path(), 1 << 20);
        const std::vector<float> take(10, 0.1f);
        cache.store("k", take, 24000);
        QFile f(dir.filePath("k.efac"));
        QVERIFY(f.open(QIODevice::ReadWrite));
        QCOMPARE(f.write(head), head.size());
        f.close();
        QVERIFY(!cache.lookup("k").has_value());
        QVERIFY(!QFile::exists(dir.filePath("k.efac")));
        cache.store("k", take, 24000);
        const auto hit = cache.lookup("k");
        QVERIFY(hit.has_value());
        QCOMPARE(hit->samples, take);
        QCOMPARE(hit->sampleRate, 24000);
    }

    void truncatedCloneCodesIgnored() {
        QTemporaryDir dir;
        CloneCodesCache cache(dir.path());
        cache.store("k", CodeMatrix{{1, 2, 3}, {4, 5, 6}});
        QFile f(dir.filePath("k.codes"));
        QVERIFY(f.resize(f.size() - 3));
        QVERIFY(!cache.lookup("k").has_value());
    }
};

QTEST_GUILESS_MAIN(TestGenerationCaches)
#include "tst_generation_caches.moc"
