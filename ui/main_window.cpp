#include "ui/main_window.h"

#include <QLabel>
#include <QSplitter>
#include <QStatusBar>
#include <QVBoxLayout>

namespace echoforge::ui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
    setWindowTitle(tr("EchoForge"));
    auto* splitter = new QSplitter(this);
    auto* gallery = new QLabel(tr("Characters"), splitter);
    gallery->setAccessibleName(tr("Character gallery"));
    auto* studio = new QLabel(tr("Studio"), splitter);
    studio->setAccessibleName(tr("Studio panel"));
    setCentralWidget(splitter);
    statusBar()->showMessage(tr("Ready"));
    resize(1280, 800);
}

} // namespace echoforge::ui
