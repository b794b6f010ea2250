#pragma once
// The whole studio window over a fresh data folder, with eSpeak NG as the only engine and fake
// audio outputs: shared by the window, export and accessibility tests.

#include <memory>

#include <QAccessible>
#include <QApplication>
#include <QFileDialog>
#include <QLineEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTimer>

#include "core/common/paths.h"
#include "core/common/settings.h"
#include "core/engine/espeak_engine.h"
#include "core/tasks/task_engine.h"
#include "core/tasks/sample_cache.h"
#include "core/voices/voice_library.h"
#include "fake_audio_output.h"
#include "ui/main_window.h"
#include "ui/shell/studio_services.h"
#include "ui/studio/generation_controller.h"

using namespace echoforge;
using namespace echoforge::ui;

struct Studio {
    QTemporaryDir dir;
    AppPaths paths;
    std::unique_ptr<QSettings> store;
    std::unique_ptr<VoiceLibrary> library;
    std::unique_ptr<TaskEngine> tasks;
    std::unique_ptr<SampleCache> samples;
    FakeAudioOutput output, sampleOutput;
    std::unique_ptr<MainWindow> window;

    Studio() {
        qputenv("ECHOFORGE_DATA_DIR", dir.path().toUtf8());
        qputenv("ECHOFORGE_MODEL_DIR", dir.filePath("models").toUtf8());
        paths = AppPaths::resolveDefault();
        paths.ensureExist();
        store = paths.openSettings();
        library = std::make_unique<VoiceLibrary>(builtInCharactersDir(), paths.voicesDir);
        EngineSet engines;
        engines.makeFallback = [](const LoadProgress&) -> std::unique_ptr<SpeechEngine> {
            return std::make_unique<EspeakEngine>();
        };
        TaskEngineConfig config;
        config.historyDir = paths.historyDir;
        tasks = std::make_unique<TaskEngine>(engines, config);
        samples = std::make_unique<SampleCache>(paths.cacheDir);
        StudioServices services{paths, Settings{}, store.get(), library.get(), tasks.get(), samples.get(),
                                nullptr, &output, &sampleOutput};
        window = std::make_unique<MainWindow>(services);
        window->resize(1024, 640);
        window->show();
    }
};


// The child of `root` whose accessible interface has this name: how a screen reader (and these
// tests) find a control.
template <typename T>
T* findByAccessibleName(QWidget* root, const QString& name) {
    for (T* w : root->findChildren<T*>()) {
        QAccessibleInterface* iface = QAccessible::queryAccessibleInterface(w);
        if (iface && iface->text(QAccessible::Name) == name) return w;
    }
    return nullptr;
}

// Answers the next file dialog the studio opens (a modal one, in its own event loop) with
// `path`; true once it has been answered.
inline std::shared_ptr<bool> answerFileDialog(const QString& path) {
    auto answered = std::make_shared<bool>(false);
    auto* poll = new QTimer;
    poll->setInterval(20);
    QObject::connect(poll, &QTimer::timeout, poll, [poll, path, answered] {
        auto* dialog = qobject_cast<QFileDialog*>(QApplication::activeModalWidget());
        if (!dialog || !dialog->isVisible()) return;
        // QFileDialog::selectFile leaves the file-name field alone while it has the focus (it
        // does whenever the dialog's window is active), and accept() reads that field; so the
        // path is typed into the field itself, as a user would.
        auto* nameField = dialog->findChild<QLineEdit*>(QStringLiteral("fileNameEdit"));
        if (!nameField) return;
        nameField->setText(path);
        static_cast<QDialog*>(dialog)->accept();   // QFileDialog::accept is protected
        *answered = true;
        poll->deleteLater();
    });
    poll->start();
    return answered;
}

// Speaks `text` with the selected character (eSpeak NG: a second or two) and waits for the take.
inline bool generateTake(Studio& s, const QString& text) {
    QSignalSpy done(s.window->generation(), &GenerationController::takeFinished);
    s.window->setEditorText(text);
    s.window->generate();
    return done.wait(60000);
}
