// echoforge: the desktop studio.

#include <cstdio>

#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>

#include "core/common/logging.h"
#include "core/common/paths.h"
#include "core/common/settings.h"
#include "ui/main_window.h"

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setApplicationName("echoforge");
    QApplication::setOrganizationName("EchoForge");
    QApplication::setApplicationDisplayName("EchoForge");
    QApplication::setApplicationVersion(ECHOFORGE_VERSION);

    QCommandLineParser parser;
    parser.setApplicationDescription("EchoForge: expressive local text-to-speech.");
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption screenshot("screenshot", "Render the main window to PATH once shown, then exit.", "PATH");
    parser.addOption(screenshot);
    parser.process(app);

    const auto paths = echoforge::AppPaths::resolve(echoforge::loadSettings(echoforge::AppPaths::resolveDefault()));
    const auto settings = echoforge::loadSettings(paths);
    echoforge::initLogging(paths.logsDir, settings.logLevel);

    echoforge::ui::MainWindow window;
    window.show();
    if (parser.isSet(screenshot)) {
        const QString path = parser.value(screenshot);
        QTimer::singleShot(300, &window, [&window, path] {
            const bool ok = window.grab().save(path, "PNG");
            if (!ok)
                std::fprintf(stderr, "echoforge: cannot write the screenshot to %s\n", qPrintable(path));
            QApplication::exit(ok ? 0 : 1);
        });
    }
    return app.exec();
}
