#pragma once
// Light, dark and follow-the-system palettes over Qt's Fusion style. One accent colour marks the
// primary action, the playhead and the selection; everything else is neutral grey.

#include <QColor>
#include <QPalette>
#include <QString>

class QApplication;
class QWidget;

namespace echoforge::ui {

enum class ThemeChoice { System, Light, Dark };

// "system" | "light" | "dark" (the settings' words); anything else is System.
ThemeChoice themeFromName(const QString& name);
QString themeName(ThemeChoice choice);

QPalette lightPalette();
QPalette darkPalette();

// The accent of a palette (its Highlight colour).
QColor accentColor(const QPalette& palette);
// Secondary text: one step quieter than WindowText, still WCAG AA on Window and Base.
QColor mutedTextColor(const QPalette& palette);
// Error text and marks: a red that keeps AA contrast on the palette's Window and Base.
QColor errorColor(const QPalette& palette);
// True when the palette is a dark one.
bool isDark(const QPalette& palette);

// Widgets whose colours come from the theme beyond the palette: they are re-tinted whenever the
// theme changes. Muted: secondary text. Accent: the filled primary button.
void markMuted(QWidget* widget);
void markAccent(QWidget* widget);

// Owns the application's look: sets Fusion once, remembers the platform's own palette (for
// "follow the system") and applies a choice. One per application, made in main().
class ThemeManager {
public:
    explicit ThemeManager(QApplication& app);

    void apply(ThemeChoice choice);
    ThemeChoice choice() const { return choice_; }
    // Whether the palette in use is dark (for System: what the platform prefers).
    bool dark() const;

private:
    QApplication& app_;
    QPalette platformPalette_;
    ThemeChoice choice_ = ThemeChoice::System;
};

} // namespace echoforge::ui
