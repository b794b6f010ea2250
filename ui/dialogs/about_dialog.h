#pragma once

#include <QDialog>

namespace echoforge::ui {

// The app's name, version, what it runs on and the licences of what it is built with.
class AboutDialog : public QDialog {
    Q_OBJECT
public:
    explicit AboutDialog(const QString& engineName, QWidget* parent = nullptr);
};

} // namespace echoforge::ui
