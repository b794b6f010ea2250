// echoforge: the desktop studio.

#include <cstdio>
#include <functional>
#include <memory>
#include <utility>

#include <QApplication>
#include <QCommandLineParser>
#include <QDialog>
#include <QMessageBox>
#include <QProcess>
#include <QSettings>
#include <QTimer>
#include <QWindow>

#include "core/api/api_host.h"
#include "core/common/error.h"
#include "core/common/logging.h"
#include "core/common/model_layout.h"
#include "core/common/paths.h"
#include "core/common/settings.h"
#include "core/common/settings_check.h"
#include "core/engine/engine_choice.h"
#include "core/wiring/installed_engines.h"
#include "core/tasks/task_engine.h"
#include "core/tasks/sample_cache.h"
#include "core/voices/voice_library.h"
#include "ui/main_window.h"
#include "ui/shell/backup_actions.h"
#include "ui/player/audio_output.h"
#include "ui/theme/theme.h"

namespace {

struct Options {
    QString screenshot;
    QString theme;
    QSize size;
    QString open;
    QString select;
    QString text;
    bool exitAfterFirstFrame = false;
};

Options parseOptions(QApplication& app) {
    QCommandLineParser parser;
    parser.setApplicationDescription("EchoForge: expressive local text-to-speech.");
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption screenshot("screenshot", "Render the window (or the panel opened with --open) to PATH once shown, then exit.", "PATH");
    const QCommandLineOption theme("theme", "Use this theme for this run: light, dark or system.", "THEME");
    const QCommandLineOption size("size", "Window size in pixels, e.g. 1024x640.", "WxH");
    const QCommandLineOption open("open", "Open a panel at start: queue, history, clone, settings, models, diagnostics, about, shortcuts, audition, pronunciations (of the selected character).", "PANEL");
    const QCommandLineOption select("select", "Select the character with this id.", "ID");
    const QCommandLineOption text("text", "Put TEXT in the editor.", "TEXT");
    const QCommandLineOption firstFrame("exit-after-first-frame",
                                        "Exit as soon as the window's first frame is on screen (echoforge-bench startup times it).");
    parser.addOptions({screenshot, theme, size, open, select, text, firstFrame});
    parser.process(app);

    Options o;
    o.screenshot = parser.value(screenshot);
    o.theme = parser.value(theme);
    o.open = parser.value(open);
    o.select = parser.value(select);
    o.text = parser.value(text);
    o.exitAfterFirstFrame = parser.isSet(firstFrame);
    if (parser.isSet(size)) {
        const QStringList wh = parser.value(size).split('x');
        bool okW = false, okH = false;
        if (wh.size() == 2) o.size = QSize(wh[0].toInt(&okW), wh[1].toInt(&okH));
        if (!okW || !okH || o.size.width() < 320 || o.size.height() < 240) {
            std::fprintf(stderr, "echoforge: --size takes WIDTHxHEIGHT, e.g. 1024x640\n");
            std::exit(2);
        }
    }
    return o;
}

// Calls `then` once, right after the window's first frame is on screen: the window is exposed,
// and its widgets paint during that expose, before the queued call runs.
class AfterFirstFrame : public QObject {
public:
    AfterFirstFrame(QWindow* window, std::function<void()> then) : QObject(window), then_(std::move(then)) {
        window->installEventFilter(this);
    }

protected:
    bool eventFilter(QObject* watched, QEvent* event) override {
        if (event->type() == QEvent::Expose && then_) {
            QTimer::singleShot(0, this, [this] {
                if (then_)
                    std::exchange(then_, nullptr)();
            });
            watched->removeEventFilter(this);
        }
        return false;
    }

private:
    std::function<void()> then_;
};

// What --screenshot captures: the dialog opened with --open when there is one, else the window.
QWidget* screenshotTarget(QWidget* window) {
    for (QWidget* w : QApplication::topLevelWidgets())
        if (w != window && w->isVisible() && qobject_cast<QDialog*>(w)) return w;
    return window;
}

} // namespace

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setApplicationName("echoforge");
    QApplication::setOrganizationName("EchoForge");
    QApplication::setApplicationDisplayName("EchoForge");
    QApplication::setApplicationVersion(ECHOFORGE_VERSION);
    const Options options = parseOptions(app);

    const auto paths = echoforge::AppPaths::resolve(echoforge::loadSettings(echoforge::AppPaths::resolveDefault()));
    auto settings = echoforge::loadSettings(paths);
    echoforge::initLogging(paths.logsDir, settings.logLevel);
    for (const QString& problem : echoforge::unusableStoredSettings(paths))
        echoforge::logger(echoforge::LogArea::Core)->warn("{}", problem);

    echoforge::ui::ThemeManager theme(app);
    theme.apply(echoforge::ui::themeFromName(options.theme.isEmpty() ? settings.theme : options.theme));

    QString restoreFile;
    try {
        paths.ensureExist();
        auto uiState = paths.openSettings();
        echoforge::VoiceLibrary library(echoforge::builtInCharactersDir(), paths.voicesDir);
        echoforge::TaskEngine tasks(echoforge::installedEngines(paths, settings), echoforge::TaskEngineConfig::fromSettings(settings, paths));
        echoforge::SampleCache samples(paths.cacheDir);
        echoforge::ui::SystemAudioOutput output, sampleOutput;

        // Settings → API: the same task engine and voices over HTTP, so its jobs show in the queue.
        echoforge::api::ApiHost api(&tasks, &library, paths);
        if (const QString problem = api.apply(settings); !problem.isEmpty())
            std::fprintf(stderr, "echoforge: the API is off: %s\n", qPrintable(problem));
        echoforge::ui::StudioServices services{paths, settings, uiState.get(), &library, &tasks, &samples,
                                               &theme, &output, &sampleOutput, &api};
        echoforge::ui::MainWindow window(services);
        if (options.size.isValid()) window.resize(options.size);
        if (!options.select.isEmpty()) window.selectCharacter(options.select);
        if (!options.text.isEmpty()) window.setEditorText(options.text);
        window.show();
        // CSM (and libtorch, which the torch library brings) loads on its lane behind the first
        // frame, so the window paints at once and the first Generate does not wait for the model.
        const bool exitAtOnce = options.exitAfterFirstFrame;
        new AfterFirstFrame(window.windowHandle(), [&tasks, exitAtOnce] {
            if (exitAtOnce)
                QApplication::exit(0);
            else
                tasks.preloadCsm();
        });
        if (!options.open.isEmpty() && !window.openPanel(options.open)) {
            std::fprintf(stderr, "echoforge: --open takes queue, history, clone, settings, models, diagnostics, about, shortcuts, audition or pronunciations\n");
            return 2;
        }
        if (!options.screenshot.isEmpty()) {
            const QString path = options.screenshot;
            QTimer::singleShot(600, &window, [&window, path] {
                const bool ok = screenshotTarget(&window)->grab().save(path, "PNG");
                if (!ok)
                    std::fprintf(stderr, "echoforge: cannot write the screenshot to %s\n", qPrintable(path));
                QApplication::exit(ok ? 0 : 1);
            });
        }
        const int code = app.exec();
        restoreFile = window.backupActions()->pendingRestore();
        if (restoreFile.isEmpty())
            return code;
    } catch (const echoforge::Error& e) {
        std::fprintf(stderr, "echoforge: %s\n", e.what());
        // Someone who started the studio from a menu sees no terminal: say it in a window too
        // (not on the offscreen platform, where nobody could close it).
        if (QGuiApplication::platformName() != QLatin1String("offscreen"))
            QMessageBox::critical(nullptr, QObject::tr("EchoForge cannot start"), e.sentence());
        return 1;
    }
    // A restore asked for in the studio: the window and the task engine are gone, so the data
    // folder is free; then the studio starts again on the restored data.
    echoforge::ui::runPendingRestore(paths, restoreFile);
    QStringList arguments = QApplication::arguments();
    arguments.removeFirst();
    return QProcess::startDetached(QApplication::applicationFilePath(), arguments) ? 0 : 1;
}
