#pragma once

#include <QMainWindow>

namespace echoforge::ui {

// The studio window: gallery left, studio panel right, player bar and status bar below.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
};

} // namespace echoforge::ui
