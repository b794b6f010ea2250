#include "ui/main_window.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDesktopServices>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QShortcut>
#include <QSplitter>
#include <QStandardPaths>
#include <QStatusBar>
#include <QToolButton>
#include <QUrl>
#include <QPointer>
#include <qcoro/qcorofuture.h>
#include <QVBoxLayout>
#include <QtConcurrent>

#include "core/audio/audio_io.h"
#include "core/common/diagnostics.h"
#include "core/common/error.h"
#include "core/tasks/history_model.h"
#include "core/tasks/queue_model.h"
#include "core/tasks/task_engine.h"
#include "core/voices/character_model.h"
#include "core/voices/voice_library.h"
#include "ui/clone/clone_wizard.h"
#include "ui/dialogs/about_dialog.h"
#include "ui/dialogs/diagnostics_dialog.h"
#include "ui/dialogs/shortcuts_dialog.h"
#include "ui/gallery/filter_bar.h"
#include "ui/gallery/gallery_view.h"
#include "ui/gallery/sample_controller.h"
#include "ui/history/history_dock.h"
#include "ui/queue/queue_dock.h"
#include "ui/player/player_bar.h"
#include "ui/player/player_controller.h"
#include "ui/settings/settings_dialog.h"
#include "ui/shell/banner.h"
#include "ui/shell/header_bar.h"
#include "ui/studio/character_actions.h"
#include "ui/studio/character_panel.h"
#include "ui/studio/generation_controller.h"
#include "ui/studio/preset_store.h"
#include "ui/studio/studio_panel.h"
#include "ui/studio/text_editor_panel.h"
#include "ui/theme/theme.h"

namespace echoforge::ui {
namespace {

constexpr int kStudioWidth = 420;
constexpr int kNarrowStudioWidth = 360;
const char* const kGeometryKey = "ui/window/geometry";
const char* const kSplitterKey = "ui/window/splitter";
const char* const kSelectedKey = "ui/gallery/selected";

// docs/models.md next to the installed app or in the source tree (a run from the build folder).
QUrl modelsDocUrl() {
    const QDir bin(QApplication::applicationDirPath());
    for (const QString& candidate : {bin.filePath("../share/doc/echoforge/models.md"), bin.filePath("../../docs/models.md"),
                                     bin.filePath("../docs/models.md")})
        if (QFileInfo::exists(candidate)) return QUrl::fromLocalFile(QFileInfo(candidate).canonicalFilePath());
    return QUrl(QStringLiteral("https://github.com/echoforge/echoforge/blob/main/docs/models.md"));
}

} // namespace

MainWindow::MainWindow(const StudioServices& services, QWidget* parent)
    : QMainWindow(parent), services_(services), presets_(std::make_unique<PresetStore>(*services.uiState)) {
    setWindowTitle(tr("EchoForge"));
    setAccessibleName(tr("EchoForge studio"));

    characters_ = new CharacterModel(services_.library, this);
    filter_ = new CharacterFilterModel(this);
    filter_->setSourceModel(characters_);
    player_ = new PlayerController(services_.output, this);
    samplePlayer_ = new PlayerController(services_.sampleOutput, this);
    generation_ = new GenerationController(services_.tasks, services_.library, player_, this);
    samples_ = new SampleController(services_.tasks, services_.library, services_.samples, samplePlayer_, this);
    queue_ = new QueueModel(*services_.tasks, this);
    if (HistoryStore* store = services_.tasks->history()) {
        history_ = new HistoryModel(*store, this);
        history_->watch(*services_.tasks);
    }

    buildLayout();
    connectGallery();
    connectStudio();
    connectDocks();
    addShortcuts();
    showEngineState();

    filterBar_->restoreState(*services_.uiState);
    selectCharacter(services_.uiState->value(kSelectedKey).toString());
    resize(1280, 800);
    restoreGeometry(services_.uiState->value(kGeometryKey).toByteArray());
    splitter_->restoreState(services_.uiState->value(kSplitterKey).toByteArray());
}

MainWindow::~MainWindow() = default;

void MainWindow::buildLayout() {
    header_ = new HeaderBar(this);
    filterBar_ = new FilterBar(filter_, characters_, this);
    gallery_ = new GalleryView(this);
    gallery_->setModel(filter_);

    auto* galleryColumn = new QWidget(this);
    auto* galleryLayout = new QVBoxLayout(galleryColumn);
    galleryLayout->setContentsMargins(0, 0, 0, 0);
    galleryLayout->setSpacing(0);
    galleryLayout->addWidget(filterBar_);
    galleryLayout->addWidget(gallery_, 1);
    gallery_->setContentsMargins(8, 0, 0, 0);

    const ParameterDefaults defaults{services_.settings.temperature, services_.settings.topK,
                                     services_.settings.maxSeconds, double(services_.settings.audioLimitSeconds)};
    studio_ = new StudioPanel(defaults, services_.settings.textLimit, presets_.get(), this);
    auto* studioScroll = new QScrollArea(this);
    studioScroll->setWidget(studio_);
    studioScroll->setWidgetResizable(true);
    studioScroll->setFrameShape(QFrame::NoFrame);
    studioScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    // The panel never clips: at least as wide as its content needs, plus the scroll bar.
    studioScroll->setMinimumWidth(std::max(kNarrowStudioWidth, studio_->minimumSizeHint().width() +
                                                                   studioScroll->verticalScrollBar()->sizeHint().width()));

    splitter_ = new QSplitter(Qt::Horizontal, this);
    splitter_->addWidget(galleryColumn);
    splitter_->addWidget(studioScroll);
    splitter_->setStretchFactor(0, 1);
    splitter_->setStretchFactor(1, 0);
    splitter_->setChildrenCollapsible(false);
    splitter_->setSizes({800, kStudioWidth});

    playerBar_ = new PlayerBar(player_, this);

    auto* central = new QWidget(this);
    auto* column = new QVBoxLayout(central);
    column->setContentsMargins(0, 0, 0, 0);
    column->setSpacing(0);
    column->addWidget(header_);
    column->addWidget(splitter_, 1);
    auto* line = new QFrame(central);
    line->setFrameShape(QFrame::HLine);
    line->setFrameShadow(QFrame::Sunken);
    column->addWidget(line);
    column->addWidget(playerBar_);
    setCentralWidget(central);

    queueDock_ = new QueueDock(queue_, this);
    addDockWidget(Qt::RightDockWidgetArea, queueDock_);
    queueDock_->hide();
    if (history_) {
        historyDock_ = new HistoryDock(history_, this);
        addDockWidget(Qt::RightDockWidgetArea, historyDock_);
        historyDock_->hide();
    }
    header_->historyButton()->setEnabled(history_ != nullptr);

    engineStatus_ = new QLabel(this);
    engineStatus_->setAccessibleName(tr("Engine status"));
    jobStatus_ = new QLabel(this);
    jobStatus_->setAccessibleName(tr("Job status"));
    statusBar()->addWidget(engineStatus_);
    statusBar()->addWidget(jobStatus_, 1);
    statusBar()->setSizeGripEnabled(false);
}

void MainWindow::connectGallery() {
    // The filter is remembered as soon as it changes, not only on a clean exit.
    auto updateEmpty = [this] {
        gallery_->setEmptyMessage(filterBar_->emptyMessage());
        filterBar_->saveState(*services_.uiState);
    };
    connect(filterBar_, &FilterBar::filterChanged, this, updateEmpty);
    updateEmpty();
    connect(gallery_, &GalleryView::clearFiltersRequested, filterBar_, &FilterBar::clearFilters);
    connect(gallery_->selectionModel(), &QItemSelectionModel::currentChanged, this, [this](const QModelIndex& current) {
        studio_->characterPanel()->setCharacter(current);
        studio_->parameters()->setCharacter(current.data(CharacterModel::IdRole).toString());
        const QString id = current.data(CharacterModel::IdRole).toString();
        studio_->characterPanel()->setSampleState(samples_->busyCharacter() == id, samples_->playingCharacter() == id);
    });
    connect(gallery_, &GalleryView::activated, this, [this] { studio_->editor()->editor()->setFocus(); });
    connect(gallery_, &GalleryView::sampleRequested, this, [this](const QModelIndex& index) {
        samples_->toggle(index.data(CharacterModel::IdRole).toString(), index.data(CharacterModel::EngineRole).toString());
    });
    auto refreshSampleState = [this] {
        const QString id = studio_->characterPanel()->characterId();
        studio_->characterPanel()->setSampleState(samples_->busyCharacter() == id && !id.isEmpty(),
                                                  samples_->playingCharacter() == id && !id.isEmpty());
    };
    connect(samples_, &SampleController::busyChanged, this, [this, refreshSampleState](const QString& id, bool busy) {
        gallery_->setSampleBusy(id, busy);
        refreshSampleState();
    });
    connect(samples_, &SampleController::playingChanged, this, [this, refreshSampleState](const QString& id) {
        gallery_->setSamplePlaying(id);
        refreshSampleState();
    });
    connect(samples_, &SampleController::failed, this, &MainWindow::showError);
}

void MainWindow::connectStudio() {
    CharacterPanel* panel = studio_->characterPanel();
    auto* actions = new CharacterActions(services_.library, this);
    connect(panel, &CharacterPanel::sampleRequested, this, [this, panel] {
        const QModelIndex i = gallery_->currentIndex();
        if (i.isValid()) samples_->toggle(panel->characterId(), i.data(CharacterModel::EngineRole).toString());
    });
    connect(panel, &CharacterPanel::useRequested, this, [this] { studio_->editor()->editor()->setFocus(); });
    connect(panel, &CharacterPanel::editRequested, this, [actions, panel] { actions->edit(panel->characterId()); });
    connect(panel, &CharacterPanel::duplicateRequested, this, [this, actions, panel] {
        const QString id = actions->duplicate(panel->characterId());
        if (!id.isEmpty()) selectCharacter(id);
    });
    connect(panel, &CharacterPanel::deleteRequested, this, [actions, panel] { actions->remove(panel->characterId()); });
    connect(panel, &CharacterPanel::exportRequested, this, [actions, panel] { actions->exportCharacter(panel->characterId()); });
    connect(actions, &CharacterActions::failed, this, &MainWindow::showError);
    connect(actions, &CharacterActions::done, this, [this](const QString& s) { statusBar()->showMessage(s, 5000); });

    connect(studio_, &StudioPanel::generateRequested, this, &MainWindow::generate);
    connect(generation_, &GenerationController::failed, this, &MainWindow::showError);
    connect(generation_, &GenerationController::busyChanged, this, [this](bool busy) {
        if (busy) studio_->banner()->hide();
    });
    connect(playerBar_, &PlayerBar::exportRequested, this, &MainWindow::exportClip);
    connect(studio_->banner(), &Banner::actionTriggered, this, &MainWindow::showSettings);
    connect(studio_->engineBanner(), &Banner::actionTriggered, this, [] { QDesktopServices::openUrl(modelsDocUrl()); });

    TaskEngine* tasks = services_.tasks;
    connect(tasks, &TaskEngine::progress, this, [this](JobId id, const JobProgress& p) {
        if (id != generation_->currentJob()) return;
        QString line = tr("Generating… %1 s of audio").arg(p.audioSeconds, 0, 'f', 1);
        if (p.etaSeconds >= 0) line += tr(", about %1 s left").arg(std::max(0.0, p.etaSeconds), 0, 'f', 0);
        jobStatus_->setText(line);
    });
    connect(generation_, &GenerationController::takeFinished, this, [this](const JobResult& r) {
        const double seconds = r.durationSeconds();
        const double wall = r.speech.generationSeconds;
        jobStatus_->setText(tr("Last take: %1 s of audio in %2 s (RTF %3)")
                                .arg(seconds, 0, 'f', 1)
                                .arg(wall, 0, 'f', 1)
                                .arg(seconds > 0 ? wall / seconds : 0.0, 0, 'f', 2));
    });
    for (auto signal : {&TaskEngine::activeEngineChanged, &TaskEngine::modelLoaded})
        connect(tasks, signal, this, &MainWindow::showEngineState);
    connect(tasks, &TaskEngine::modelLoadProgress, this, [this](double f) {
        jobStatus_->setText(tr("Loading CSM-1B… %1%").arg(qRound(f * 100)));
    });
    connect(tasks, &TaskEngine::modelLoadFailed, this, [this](const QString& reason) {
        showEngineState();
        studio_->banner()->showMessage(Banner::Kind::Error, tr("CSM-1B could not load: %1 eSpeak NG speaks meanwhile.").arg(reason),
                                       tr("Open settings"));
    });
}

void MainWindow::connectDocks() {
    // The header's buttons and the docks' own close buttons stay in step.
    connect(header_, &HeaderBar::queueToggled, queueDock_, &QDockWidget::setVisible);
    connect(queueDock_, &QDockWidget::visibilityChanged, header_->queueButton(), &QToolButton::setChecked);
    connect(queueDock_, &QueueDock::cancelRequested, services_.tasks, [this](qint64 id) { services_.tasks->cancel(id); });
    connect(queueDock_, &QueueDock::retryRequested, this, [this](qint64 id) {
        if (!generation_->retry(id)) showError(tr("That job was not started from this window, so it cannot be retried here."));
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
        [](QPointer<MainWindow> self, QString path, QString title) -> QCoro::Task<> {
            try {
                const AudioBuffer audio = co_await QtConcurrent::run([path] { return readAudio(path, ChannelMode::MixToMono); });
                if (self) self->exportFile(audio.samples, audio.sampleRate, title);
            } catch (const Error& error) {
                if (self) self->showError(error.sentence());
            }
        }(this, path, title);
    });
    connect(historyDock_, &HistoryDock::reuseRequested, this, &MainWindow::reuse);
}

// Reads a take off the GUI thread, then hands it to the player.
void MainWindow::loadIntoPlayer(const QString& path, const QString& title) {
    [](QPointer<MainWindow> self, QString path, QString title) -> QCoro::Task<> {
        try {
            AudioBuffer audio = co_await QtConcurrent::run([path] { return readAudio(path, ChannelMode::MixToMono); });
            if (!self) co_return;
            self->player_->setClip(std::move(audio.samples), audio.sampleRate, title);
            self->player_->play();
        } catch (const Error& error) {
            if (self) self->showError(error.sentence());
        }
    }(this, path, title);
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

void MainWindow::addShortcuts() {
    auto add = [this](const QKeySequence& keys, auto slot) {
        auto* s = new QShortcut(keys, this);
        connect(s, &QShortcut::activated, this, slot);
        return s;
    };
    add(QKeySequence(Qt::CTRL | Qt::Key_Return), [this] { generate(); });
    add(QKeySequence(Qt::CTRL | Qt::Key_Enter), [this] { generate(); });
    add(QKeySequence(Qt::Key_Space), [this] { player_->togglePlayPause(); });
    add(QKeySequence(Qt::Key_Escape), [this] { generation_->cancel(); });
    add(QKeySequence(Qt::CTRL | Qt::Key_E), [this] { exportClip(); });
    add(QKeySequence::Find, [this] {
        filterBar_->searchField()->setFocus();
        filterBar_->searchField()->selectAll();
    });
    add(QKeySequence(Qt::Key_F1), [this] { showShortcuts(); });
    add(QKeySequence(Qt::CTRL | Qt::Key_Comma), [this] { showSettings(); });
    add(QKeySequence::Quit, [this] { close(); });
    add(QKeySequence(Qt::CTRL | Qt::Key_1), [this] { queueDock_->setVisible(!queueDock_->isVisible()); });
    add(QKeySequence(Qt::CTRL | Qt::Key_2), [this] {
        if (historyDock_) historyDock_->setVisible(!historyDock_->isVisible());
    });
    connect(header_, &HeaderBar::settingsRequested, this, &MainWindow::showSettings);
    connect(header_, &HeaderBar::helpRequested, this, &MainWindow::showShortcuts);
}

QString MainWindow::selectedCharacterId() const { return studio_->characterPanel()->characterId(); }

void MainWindow::selectCharacter(const QString& id) {
    const int sourceRow = characters_->rowOf(id);
    QModelIndex index = sourceRow >= 0 ? filter_->mapFromSource(characters_->index(sourceRow)) : QModelIndex();
    if (!index.isValid()) index = filter_->index(0, 0);
    gallery_->setCurrentIndex(index);
}

void MainWindow::setEditorText(const QString& text) { studio_->editor()->setText(text); }

void MainWindow::generate() {
    TextEditorPanel* editor = studio_->editor();
    const GenerationParams params = studio_->parameters()->params();
    if (editor->mode() == TextEditorPanel::Mode::Script)
        generation_->generateScript(editor->text(), params);
    else
        generation_->generateText(editor->text(), selectedCharacterId(), params);
}

void MainWindow::showEngineState() {
    TaskEngine* tasks = services_.tasks;
    const QString engine = tasks->activeEngineName();
    const bool fallback = !tasks->csmInstalled() || !tasks->csmLoadError().isEmpty();
    header_->setEngine(engine, fallback);
    engineStatus_->setText(tr("%1 · %2").arg(engine, services_.settings.device == "cuda" ? tr("GPU") : tr("CPU")));
    characters_->setActiveEngine(fallback ? QStringLiteral("espeak") : QStringLiteral("csm"));
    if (!tasks->csmInstalled())
        studio_->engineBanner()->showMessage(Banner::Kind::Info,
                                             tr("Speaking with eSpeak NG — CSM is not installed."), tr("How to install…"));
    else
        studio_->engineBanner()->hide();
}

void MainWindow::showError(const QString& sentence) {
    studio_->banner()->showMessage(Banner::Kind::Error, sentence);
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
    [](QPointer<MainWindow> self, QString path, AudioBuffer audio) -> QCoro::Task<> {
        const QString error = co_await QtConcurrent::run([path, audio = std::move(audio)] {
            try {
                writeAudio(path, audio);
                return QString();
            } catch (const Error& e) {
                return e.sentence();
            }
        });
        if (!self) co_return;
        if (error.isEmpty()) self->statusBar()->showMessage(tr("Saved %1").arg(path), 5000);
        else self->showError(error);
    }(this, path, AudioBuffer{samples, sampleRate, 1});
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
    SettingsDialog dialog(services_.settings, services_.paths.modelsDir, this);
    const QString before = services_.settings.theme;
    if (services_.theme)
        connect(&dialog, &SettingsDialog::themePreviewRequested, this,
                [this](const QString& t) { services_.theme->apply(themeFromName(t)); });
    if (dialog.exec() != QDialog::Accepted) {
        if (services_.theme) services_.theme->apply(themeFromName(before));
        return;
    }
    services_.settings = dialog.settings();
    if (auto store = services_.paths.openSettings()) services_.settings.save(*store);
    if (services_.theme) services_.theme->apply(themeFromName(services_.settings.theme));
    statusBar()->showMessage(tr("Settings saved."), 4000);
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
    else if (name == QLatin1String("about")) QMetaObject::invokeMethod(this, &MainWindow::showAbout, Qt::QueuedConnection);
    else if (name == QLatin1String("shortcuts")) showShortcuts();
    else if (name == QLatin1String("diagnostics")) showDiagnostics();
    else if (name == QLatin1String("clone")) showCloneWizard();
    else if (name == QLatin1String("queue")) queueDock_->show();
    else if (name == QLatin1String("history") && historyDock_) historyDock_->show();
    else return false;
    return true;
}

void MainWindow::closeEvent(QCloseEvent* e) {
    QSettings& store = *services_.uiState;
    filterBar_->saveState(store);
    store.setValue(kSelectedKey, selectedCharacterId());
    store.setValue(kGeometryKey, saveGeometry());
    store.setValue(kSplitterKey, splitter_->saveState());
    store.sync();
    QMainWindow::closeEvent(e);
}

} // namespace echoforge::ui
