#include "ui/theme/theme.h"

#include <QApplication>
#include <QStyleFactory>

namespace echoforge::ui {
namespace {

struct PaletteColors {
    QColor window, base, alternateBase, text, mutedText, button, buttonText, highlight, highlightedText,
        link, toolTipBase, toolTipText, mid, dark, light, shadow, placeholder;
};

QPalette makePalette(const PaletteColors& c) {
    QPalette p;
    p.setColor(QPalette::Window, c.window);
    p.setColor(QPalette::WindowText, c.text);
    p.setColor(QPalette::Base, c.base);
    p.setColor(QPalette::AlternateBase, c.alternateBase);
    p.setColor(QPalette::Text, c.text);
    p.setColor(QPalette::Button, c.button);
    p.setColor(QPalette::ButtonText, c.buttonText);
    p.setColor(QPalette::BrightText, Qt::white);
    p.setColor(QPalette::Highlight, c.highlight);
    p.setColor(QPalette::HighlightedText, c.highlightedText);
    p.setColor(QPalette::Link, c.link);
    p.setColor(QPalette::LinkVisited, c.link);
    p.setColor(QPalette::ToolTipBase, c.toolTipBase);
    p.setColor(QPalette::ToolTipText, c.toolTipText);
    p.setColor(QPalette::PlaceholderText, c.placeholder);
    p.setColor(QPalette::Light, c.light);
    p.setColor(QPalette::Midlight, c.light);
    p.setColor(QPalette::Mid, c.mid);
    p.setColor(QPalette::Dark, c.dark);
    p.setColor(QPalette::Shadow, c.shadow);
    for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, c.mutedText);
    p.setColor(QPalette::Disabled, QPalette::Highlight, c.mid);
    return p;
}

const char* const kThemeRoleProperty = "echoforgeThemeRole";

void retint(QWidget* w) {
    const QString role = w->property(kThemeRoleProperty).toString();
    if (role.isEmpty())
        return;
    QPalette p = QApplication::palette(w);
    if (role == QLatin1String("muted")) {
        p.setColor(QPalette::WindowText, mutedTextColor(p));
        p.setColor(QPalette::Text, mutedTextColor(p));
    } else {
        p.setColor(QPalette::Button, accentColor(p));
        p.setColor(QPalette::ButtonText, p.color(QPalette::HighlightedText));
    }
    w->setPalette(p);
}

} // namespace

void markMuted(QWidget* widget) {
    widget->setProperty(kThemeRoleProperty, QStringLiteral("muted"));
    retint(widget);
}

void markAccent(QWidget* widget) {
    widget->setProperty(kThemeRoleProperty, QStringLiteral("accent"));
    retint(widget);
}

ThemeChoice themeFromName(const QString& name) {
    if (name == QLatin1String("light")) return ThemeChoice::Light;
    if (name == QLatin1String("dark")) return ThemeChoice::Dark;
    return ThemeChoice::System;
}

QString themeName(ThemeChoice choice) {
    switch (choice) {
    case ThemeChoice::Light: return QStringLiteral("light");
    case ThemeChoice::Dark: return QStringLiteral("dark");
    case ThemeChoice::System: break;
    }
    return QStringLiteral("system");
}

// Greys chosen so text on Window and Base keeps a contrast ratio of at least 4.5:1 (WCAG AA),
// muted text included; the accent is a blue that passes with white text on it.
QPalette lightPalette() {
    return makePalette({.window = QColor(0xf4, 0xf5, 0xf7), .base = QColor(0xff, 0xff, 0xff),
                        .alternateBase = QColor(0xee, 0xf0, 0xf3), .text = QColor(0x1d, 0x20, 0x24),
                        .mutedText = QColor(0x5f, 0x66, 0x70), .button = QColor(0xfb, 0xfb, 0xfc),
                        .buttonText = QColor(0x1d, 0x20, 0x24), .highlight = QColor(0x25, 0x63, 0xc9),
                        .highlightedText = Qt::white, .link = QColor(0x1f, 0x56, 0xb0),
                        .toolTipBase = QColor(0x2b, 0x2f, 0x35), .toolTipText = Qt::white,
                        .mid = QColor(0xc9, 0xcd, 0xd3), .dark = QColor(0x9a, 0xa0, 0xa8),
                        .light = Qt::white, .shadow = QColor(0x70, 0x76, 0x7e),
                        .placeholder = QColor(0x6b, 0x72, 0x7c)});
}

QPalette darkPalette() {
    return makePalette({.window = QColor(0x1e, 0x20, 0x24), .base = QColor(0x26, 0x29, 0x2e),
                        .alternateBase = QColor(0x2c, 0x30, 0x36), .text = QColor(0xe8, 0xea, 0xed),
                        .mutedText = QColor(0xa3, 0xa9, 0xb2), .button = QColor(0x2e, 0x32, 0x38),
                        .buttonText = QColor(0xe8, 0xea, 0xed), .highlight = QColor(0x4c, 0x8d, 0xf0),
                        .highlightedText = QColor(0x0c, 0x12, 0x1c), .link = QColor(0x7d, 0xb0, 0xff),
                        .toolTipBase = QColor(0xe8, 0xea, 0xed), .toolTipText = QColor(0x1d, 0x20, 0x24),
                        .mid = QColor(0x46, 0x4b, 0x53), .dark = QColor(0x14, 0x16, 0x19),
                        .light = QColor(0x3a, 0x3f, 0x46), .shadow = Qt::black,
                        .placeholder = QColor(0x8f, 0x96, 0xa0)});
}

QColor accentColor(const QPalette& palette) {
    return palette.color(QPalette::Active, QPalette::Highlight);
}

QColor mutedTextColor(const QPalette& palette) {
    return palette.color(QPalette::Disabled, QPalette::WindowText);
}

QColor errorColor(const QPalette& palette) {
    return isDark(palette) ? QColor(0xff, 0x8a, 0x80) : QColor(0xc6, 0x28, 0x28);
}

bool isDark(const QPalette& palette) {
    return palette.color(QPalette::Window).lightness() < 128;
}

ThemeManager::ThemeManager(QApplication& app) : app_(app), platformPalette_(app.palette()) {
    app_.setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
}

bool ThemeManager::dark() const {
    switch (choice_) {
    case ThemeChoice::Light: return false;
    case ThemeChoice::Dark: return true;
    case ThemeChoice::System: break;
    }
    return isDark(platformPalette_);
}

void ThemeManager::apply(ThemeChoice choice) {
    choice_ = choice;
    // Follow the system: our palette of the platform's brightness, so muted text and the accent
    // keep their tested contrast whatever the desktop's own colours are.
    app_.setPalette(dark() ? darkPalette() : lightPalette());
    for (QWidget* w : QApplication::allWidgets())
        retint(w);
}

} // namespace echoforge::ui
