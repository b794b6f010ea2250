#pragma once
// Monochrome icons that follow the palette: our SVGs in resources/icons/ are drawn in black and
// tinted at paint time with the current palette's text colour (muted when disabled, highlighted
// text when selected), rendered at the device pixel ratio so they stay crisp at any scale.

#include <QIcon>
#include <QString>

namespace echoforge::ui {

// `name` is a file in resources/icons without ".svg" (play, pause, dice, ...).
QIcon themedIcon(const QString& name);

} // namespace echoforge::ui
