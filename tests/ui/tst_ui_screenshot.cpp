// The studio starts offscreen and --screenshot writes a non-blank PNG of the window's size,
// in both themes and at the smallest supported size.

#include <QImage>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

class TestUiScreenshot : public QObject {
    Q_OBJECT

    static QImage shoot(const QStringList& extra, const QString& path) {
        QProcess p;
        p.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        p.start(QStringLiteral(ECHOFORGE_BIN_DIR "/echoforge"), QStringList{"--screenshot", path} + extra);
        if (!p.waitForFinished(120000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
            qWarning() << "echoforge exited with" << p.exitCode();
            return {};
        }
        return QImage(path);
    }

    // Distinct colours in a coarse grid: a blank or single-colour image has one or two.
    static int distinctColours(const QImage& image) {
        QSet<QRgb> seen;
        for (int y = 0; y < image.height(); y += 7)
            for (int x = 0; x < image.width(); x += 7) seen.insert(image.pixel(x, y));
        return int(seen.size());
    }

private Q_SLOTS:
    void screenshot_data() {
        QTest::addColumn<QString>("theme");
        QTest::addColumn<QSize>("size");
        QTest::newRow("light-1024x640") << "light" << QSize(1024, 640);
        QTest::newRow("dark-1600x1000") << "dark" << QSize(1600, 1000);
    }

    void screenshot() {
        QFETCH(QString, theme);
        QFETCH(QSize, size);
        QTemporaryDir dir;
        const QString path = dir.filePath("shot.png");
        const QImage image = shoot({"--theme", theme, "--size", QStringLiteral("%1x%2").arg(size.width()).arg(size.height())}, path);
        QVERIFY2(!image.isNull(), "no PNG written");
        QCOMPARE(image.size(), size);
        QVERIFY2(distinctColours(image) > 20, "the screenshot looks blank");
        // The theme shows: a dark window is mostly dark, a light one mostly light.
        const QColor corner = image.pixelColor(image.width() / 3, image.height() - 60);
        QCOMPARE(corner.lightness() < 128, theme == QLatin1String("dark"));
    }

    void rejectsBadSize() {
        QProcess p;
        p.start(QStringLiteral(ECHOFORGE_BIN_DIR "/echoforge"), {"--size", "huge"});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 2);
        QVERIFY(p.readAllStandardError().contains("--size"));
    }
};

QTEST_GUILESS_MAIN(TestUiScreenshot)
#include "tst_ui_screenshot.moc"
