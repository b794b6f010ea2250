// Themes: light and dark palettes keep text readable (WCAG AA), switching changes the
// application's palette, and widgets marked muted or accent follow the switch.

#include <cmath>

#include <QApplication>
#include <QLabel>
#include <QPushButton>
#include <QStyle>
#include <QtTest>

#include "ui/theme/icons.h"
#include "ui/theme/theme.h"

using namespace echoforge::ui;

namespace {

double luminance(const QColor& c) {
    auto channel = [](double v) { return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF());
}

double contrast(const QColor& a, const QColor& b) {
    const double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

} // namespace

class TestTheme : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void palettesMeetWcagAA_data() {
        QTest::addColumn<QPalette>("palette");
        QTest::newRow("light") << lightPalette();
        QTest::newRow("dark") << darkPalette();
    }
    void palettesMeetWcagAA() {
        QFETCH(QPalette, palette);
        for (auto background : {QPalette::Window, QPalette::Base, QPalette::AlternateBase}) {
            const QColor bg = palette.color(background);
            QVERIFY2(contrast(palette.color(QPalette::WindowText), bg) >= 4.5, "text");
            QVERIFY2(contrast(mutedTextColor(palette), bg) >= 4.5, "muted text");
            QVERIFY2(contrast(errorColor(palette), bg) >= 4.5, "error text");
        }
        QVERIFY2(contrast(palette.color(QPalette::HighlightedText), accentColor(palette)) >= 4.5, "text on accent");
        QVERIFY2(contrast(palette.color(QPalette::ButtonText), palette.color(QPalette::Button)) >= 4.5, "buttons");
    }

    void namesRoundTrip() {
        for (auto c : {ThemeChoice::System, ThemeChoice::Light, ThemeChoice::Dark})
            QCOMPARE(themeFromName(themeName(c)), c);
        QCOMPARE(themeFromName("purple"), ThemeChoice::System);
    }

    void switchingChangesTheApplicationAndMarkedWidgets() {
        auto* app = qobject_cast<QApplication*>(QCoreApplication::instance());
        ThemeManager theme(*app);
        QLabel muted("secondary");
        markMuted(&muted);
        QPushButton primary("Generate");
        markAccent(&primary);

        theme.apply(ThemeChoice::Dark);
        QVERIFY(theme.dark());
        QVERIFY(isDark(QApplication::palette()));
        QCOMPARE(muted.palette().color(QPalette::WindowText), mutedTextColor(darkPalette()));
        QCOMPARE(primary.palette().color(QPalette::Button), accentColor(darkPalette()));

        theme.apply(ThemeChoice::Light);
        QVERIFY(!theme.dark());
        QVERIFY(!isDark(QApplication::palette()));
        QCOMPARE(muted.palette().color(QPalette::WindowText), mutedTextColor(lightPalette()));
        QCOMPARE(primary.palette().color(QPalette::Button), accentColor(lightPalette()));
        QCOMPARE(QApplication::style()->name().toLower(), QStringLiteral("fusion"));
    }

    // Icons are drawn in the palette's text colour, so they follow the theme.
    void iconsFollowThePalette() {
        auto* app = qobject_cast<QApplication*>(QCoreApplication::instance());
        ThemeManager theme(*app);
        for (auto choice : {ThemeChoice::Light, ThemeChoice::Dark}) {
            theme.apply(choice);
            const QImage image = themedIcon("stop").pixmap(QSize(48, 48)).toImage();
            QVERIFY(!image.isNull());
            const QColor centre = image.pixelColor(24, 24);
            QCOMPARE(centre.rgb(), QApplication::palette().color(QPalette::ButtonText).rgb());
        }
    }
};

QTEST_MAIN(TestTheme)
#include "tst_theme.moc"
