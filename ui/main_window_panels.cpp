// MainWindow, part two: the side panels (queue, history), the dialogs and the file actions
// (export, replay, reuse). The layout and the studio's wiring are in main_window.cpp.

#include "ui/main_window.h"

#include <utility>

#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QPointer>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QToolButton>
#include <QtConcurrent>
#include <qcoro/qcorofuture.h>

#include "core/api/api_host.h"
#include "core/audio/audio_io.h"
#include "core/wiring/diagnostics.h"
#include "core/common/error.h"
#include "core/common/paths.h"
#include "core/hub/model_manager.h"
#include "core/tasks/history_model.h"
#include "core/wiring/installed_engines.h"
#include "core/tasks/queue_model.h"
#include "core/tasks/task_engine.h"
#include "ui/clone/clone_wizard.h"
#include "ui/dialogs/about_dialog.h"
#include "ui/dialogs/diagnostics_dialog.h"
#include "ui/dialogs/shortcuts_dialog.h"
#include "ui/gallery/filter_bar.h"
#include "ui/history/history_dock.h"
#include "ui/player/player_controller.h"
#include "ui/queue/queue_dock.h"
#include "ui/settings/settings_dialog.h"
#include "ui/shell/header_bar.h"
#include "ui/studio/generation_controller.h"
#include "ui/studio/parameter_panel.h"
#include "ui/studio/character_panel.h"
#include "ui/studio/studio_panel.h"
#include "ui/studio/text_editor_panel.h"
#include "ui/theme/theme.h"

namespace echoforge::ui {

// The coroutines here are handed a QFuture started outside them, never a lambda written inside
// `co_await`: GCC 12 destroys a capturing lambda temporary of a co_await expression twice (the
// export's "double free or corruption"; tst_studio_export catches it, and a ten-line program
// built with -fsanitize=address shows it).

void MainWindow::connectDocks() {
    // The header's buttons and the docks' own close buttons stay in step.
    connect(header_, &HeaderBar::queueToggled, queueDock_, &QDockWidget::setVisible);
    connect(queueDock_, &QDockWidget::visibilityChanged, header_->queueButton(), &QToolButton::setChecked);
    connect(queueDock_, &QueueDock::cancelRequested, services_.tasks, [this](qint64 id) { services_.tasks->cancel(id); });
    connect(queueDock_, &QueueDock::retryRequested, this, [this](qint64 id) {
        // A job of this window streams into the player again; any other (a sample, one from the
        // last run) is queued again as it was and lands in the history.
        if (generation_->retry(id))
            return;
        try {
            services_.tasks->retry(id);
        } catch (const Error& e) {
            showError(e.sentence());
        }
    });
    auto countJobs = [this] {
        int active = 0;
        for (int row = 0; row < queue_->rowCount(); ++row)
            if (!isTerminal(queue_->stateAt(row))) ++active;
        header_->setQueueCount(active);
    };
    connect(queue_, &QAbstractItemModel::rowsInserted, this, countJobs);
    connect(queue_, &QAbstractItemModel::rowsRemoved, this, countJobs);
    connect(queue_, &QAbstractItemModel::dataChanged, this, countJobs);
    connect(header_, &HeaderBar::cloneRequested, this, &MainWindow::showCloneWizard);
    if (!historyDock_)
        return;
    connect(header_, &HeaderBar::historyToggled, historyDock_, &QDockWidget::setVisible);
    connect(historyDock_, &QDockWidget::visibilityChanged, header_->historyButton(), &QToolButton::setChecked);
    connect(historyDock_, &HistoryDock::replayRequested, this, [this](const HistoryEntry& e) {
        loadIntoPlayer(e.audioPath, e.request.character.name);
    });
    connect(historyDock_, &HistoryDock::exportRequested, this, [this](const HistoryEntry& e) {
        const QString path = e.audioPath;
        const QString title = e.request.character.name;
        QFuture<AudioBuffer> read = QtConcurrent::run([path] { return readAudio(path, ChannelMode::MixToMono); });
        [](QPointer<MainWindow> self, QFuture<AudioBuffer> read, QString title) -> QCoro::Task<> {
            try {
                const AudioBuffer audio = co_await read;
                if (self) self->exportFile(audio.samples, audio.sampleRate, title);
            } catch (const Error& error) {
                if (self) self->showError(error.sentence());
            }
        }(this, std::move(read), title);
    });
    connect(historyDock_, &HistoryDock::reuseRequested, this, &MainWindow::reuse);
}

// Reads a take off the GUI thread, then hands it to the player.
void MainWindow::loadIntoPlayer(const QString& path, const QString& title) {
    QFuture<AudioBuffer> read = QtConcurrent::run([path] { return readAudio(path, ChannelMode::MixToMono); });
    [](QPointer<MainWindow> self, QFuture<AudioBuffer> read, QString title) -> QCoro::Task<> {
        try {
            AudioBuffer audio = co_await read;
            if (!self) co_return;
            self->player_->setClip(std::move(audio.samples), audio.sampleRate, title);
            self->player_->play();
        } catch (const Error& error) {
            if (self) self->showError(error.sentence());
        }
    }(this, std::move(read), title);
}

void MainWindow::reuse(const HistoryEntry& entry) {
    selectCharacter(entry.request.character.id);
    studio_->editor()->setMode(TextEditorPanel::Mode::Text);
    studio_->editor()->setText(entry.request.text);
    GenerationParams params = entry.request.params;
    params.seed = entry.seed;   // the seed that made this take, so it can be made again
    studio_->parameters()->setParams(params);
    statusBar()->showMessage(tr("The take's text, character and parameters are back in the studio."), 5000);
}

void MainWindow::showCloneWizard() {
    auto* wizard = new CloneWizard(services_.library, services_.tasks, player_, this);
    wizard->setAttribute(Qt::WA_DeleteOnClose);
    connect(wizard, &CloneWizard::saved, this, [this](const Character& c) {
        filterBar_->clearFilters();
        selectCharacter(c.id);
        statusBar()->showMessage(tr("%1 is in the gallery.").arg(c.name), 5000);
    });
    wizard->show();
}

void MainWindow::exportClip() {
    if (player_->state() == PlayerController::State::Empty || player_->streaming())
        return;
    exportFile(player_->samples(), player_->sampleRate(), player_->title());
}

// Asks where, then writes WAV or FLAC (by the suffix) off the GUI thread.
void MainWindow::exportFile(const std::vector<float>& samples, int sampleRate, const QString& title) {
    QString folder = services_.settings.outputDir;
    if (folder.isEmpty()) folder = QStandardPaths::writableLocation(QStandardPaths::MusicLocation);
    const QString suggested = QDir(folder).filePath(QStringLiteral("%1.wav").arg(title.isEmpty() ? tr("take") : title));
    QString filter;
    QString path = QFileDialog::getSaveFileName(this, tr("Export the clip"), suggested,
                                                tr("WAV audio (*.wav);;FLAC audio (*.flac)"), &filter);
    if (path.isEmpty())
        return;
    if (!isWritableAudioSuffix(path))
        path += filter.contains(QLatin1String("flac")) ? QStringLiteral(".flac") : QStringLiteral(".wav");
    QFuture<QString> written = QtConcurrent::run([path, audio = AudioBuffer{samples, sampleRate, 1}] {
        try {
            writeAudio(path, audio);
            return QString();
        } catch (const Error& e) {
            return e.sentence();
        }
    });
    [](QPointer<MainWindow> self, QFuture<QString> written, QString path) -> QCoro::Task<> {
        const QString error = co_await written;
        if (!self) co_return;
        if (error.isEmpty()) self->statusBar()->showMessage(tr("Saved %1").arg(path), 5000);
        else self->showError(error);
    }(this, std::move(written), path);
}

void MainWindow::showAbout() {
    AboutDialog(services_.tasks->activeEngineName(), this).exec();
}

void MainWindow::showShortcuts() {
    auto* dialog = new ShortcutsDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
}

void MainWindow::showSettings() {
    SettingsDialog dialog(services_.settings, services_.paths.modelsDir, this, models_);
    dialog.setApiHost(services_.api);
    if (std::exchange(openModelsTab_, false))
        dialog.showModelsTab();
    const QString before = services_.settings.theme;
    if (services_.theme)
        connect(&dialog, &SettingsDialog::themePreviewRequested, this,
                [this](const QString& t) { services_.theme->apply(themeFromName(t)); });
    if (dialog.exec() != QDialog::Accepted) {
        if (services_.theme) services_.theme->apply(themeFromName(before));
        return;
    }
    const Settings old = services_.settings;
    services_.settings = dialog.settings();
    const Settings& now = services_.settings;
    if (auto store = services_.paths.openSettings()) now.save(*store);
    if (services_.theme) services_.theme->apply(themeFromName(now.theme));
    services_.tasks->setModelIdleUnloadInterval(std::chrono::minutes(now.modelIdleUnloadMinutes));
    // What CSM is made with: it loads again with the next job (after the running one ends).
    const bool csmChanged = old.modelDir != now.modelDir || old.engine != now.engine || old.device != now.device ||
                            old.threads != now.threads || old.precision != now.precision ||
                            old.pieceStreams != now.pieceStreams || old.jobStreams != now.jobStreams ||
                            old.loudnessTargetLufs != now.loudnessTargetLufs ||
                            old.cacheLimitMegabytes != now.cacheLimitMegabytes;
    if (models_) {
        models_->setToken(now.hubToken);
        models_->setModelsDir(AppPaths::resolve(now).modelsDir);
    }
    if (csmChanged) {
        services_.paths.modelsDir = AppPaths::resolve(now).modelsDir;
        services_.tasks->replaceCsm(installedEngines(services_.paths, now).makeCsm);
        showEngineState();
    }
    statusBar()->showMessage(csmChanged ? tr("Settings saved. CSM loads again with them for the next job.") : tr("Settings saved."),
                             4000);
    if (services_.api) {
        const QString problem = services_.api->apply(now);
        if (!problem.isEmpty())
            showError(problem);
        else if (services_.api->running())
            statusBar()->showMessage(tr("Settings saved. The API listens on %1.").arg(services_.api->url()), 6000);
    }
}

void MainWindow::showModelSettings() {
    openModelsTab_ = true;
    showSettings();
}

void MainWindow::modelsChanged(const QString& error, bool filesChanged) {
    if (filesChanged) {
        services_.tasks->replaceCsm(installedEngines(services_.paths, services_.settings).makeCsm);
        showEngineState();
    }
    statusBar()->showMessage(error.isEmpty() ? tr("Models updated: CSM loads from them for the next job.") : error, 8000);
}

void MainWindow::showDiagnostics() {
    auto* dialog = new DiagnosticsDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
    // Collecting the report reads files and probes the CPU: off the GUI thread.
    auto* watcher = new QFutureWatcher<QJsonObject>(dialog);
    connect(watcher, &QFutureWatcher<QJsonObject>::finished, dialog, [dialog, watcher] { dialog->setReport(watcher->result()); });
    watcher->setFuture(QtConcurrent::run([paths = services_.paths, settings = services_.settings] {
        return diagnosticReport(paths, settings);
    }));
}

bool MainWindow::openPanel(const QString& name) {
    if (name == QLatin1String("settings")) QMetaObject::invokeMethod(this, &MainWindow::showSettings, Qt::QueuedConnection);
    else if (name == QLatin1String("models")) QMetaObject::invokeMethod(this, &MainWindow::showModelSettings, Qt::QueuedConnection);
    else if (name == QLatin1String("about")) QMetaObject::invokeMethod(this, &MainWindow::showAbout, Qt::QueuedConnection);
    else if (name == QLatin1String("shortcuts")) showShortcuts();
    else if (name == QLatin1String("diagnostics")) showDiagnostics();
    else if (name == QLatin1String("clone")) showCloneWizard();
    else if (name == QLatin1String("queue")) queueDock_->show();
    else if (name == QLatin1String("history") && historyDock_) historyDock_->show();
    else if (name == QLatin1String("audition")) Q_EMIT studio_->characterPanel()->auditionRequested();
    else if (name == QLatin1String("pronunciations")) Q_EMIT studio_->characterPanel()->lexiconRequested();
    else return false;
    return true;
}

} // namespace echoforge::ui
