#include "ui/main_window.h"

#include <QApplication>
#include <QCloseEvent>
#include <QKeyEvent>
#include <QDesktopServices>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QShortcut>
#include <QSplitter>
#include <QStandardPaths>
#include <QStatusBar>
#include <QToolButton>
#include <QThread>
#include <QUrl>
#include <QPointer>
#include <qcoro/qcorofuture.h>
#include <QVBoxLayout>
#include <QtConcurrent>

#include "core/audio/audio_io.h"
#include "core/wiring/diagnostics.h"
#include "core/common/error.h"
#include "core/hub/model_manager.h"
#include "core/tasks/history_model.h"
#include "core/tasks/queue_model.h"
#include "core/wiring/installed_engines.h"
#include "core/tasks/task_engine.h"
#include "core/voices/character_model.h"
#include "core/voices/voice_library.h"
#include "ui/clone/clone_wizard.h"
#include "ui/dialogs/about_dialog.h"
#include "ui/dialogs/diagnostics_dialog.h"
#include "ui/dialogs/shortcuts_dialog.h"
#include "ui/gallery/clone_invite_model.h"
#include "ui/gallery/filter_bar.h"
#include "ui/gallery/gallery_view.h"
#include "ui/gallery/sample_controller.h"
#include "ui/history/history_dock.h"
#include "ui/queue/queue_dock.h"
#include "ui/player/player_bar.h"
#include "ui/player/player_controller.h"
#include "ui/settings/settings_dialog.h"
#include "ui/shell/backup_actions.h"
#include "ui/shell/banner.h"
#include "ui/shell/header_bar.h"
#include "ui/studio/character_actions.h"
#include "ui/studio/character_panel.h"
#include "ui/studio/generation_controller.h"
#include "ui/studio/preset_store.h"
#include "ui/studio/studio_panel.h"
#include "ui/studio/text_editor_panel.h"
#include "ui/theme/theme.h"
#include "ui/widgets/return_presses.h"
#include "ui/voice/voice_actions.h"

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
    : QMainWindow(parent), services_(services), presets_(std::make_unique<PresetStore>(*services.uiState)),
      backup_(new BackupActions(services.paths, this)) {
    setWindowTitle(tr("EchoForge"));
    setAccessibleName(tr("EchoForge studio"));

    characters_ = new CharacterModel(services_.library, this);
    filter_ = new CharacterFilterModel(this);
    filter_->setSourceModel(characters_);
    player_ = new PlayerController(services_.output, this);
    samplePlayer_ = new PlayerController(services_.sampleOutput, this);
    // A lost audio device stops the player; the banner says so (and announces it), the rest goes on.
    for (PlayerController* p : {player_, samplePlayer_})
        connect(p, &PlayerController::playbackFailed, this, &MainWindow::showError);
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
    invite_ = new CloneInviteModel(characters_, this);
    invite_->setSourceModel(filter_);
    gallery_->setModel(invite_);

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
    studio_->setMinimumWidth(std::max(kNarrowStudioWidth, studio_->minimumSizeHint().width()));

    splitter_ = new QSplitter(Qt::Horizontal, this);
    splitter_->addWidget(galleryColumn);
    splitter_->addWidget(studio_);
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

    // Changing labels: the text is what a screen reader reads (a fixed name would hide it).
    engineStatus_ = new QLabel(this);
    engineStatus_->setAccessibleDescription(tr("Engine status"));
    jobStatus_ = new QLabel(this);
    jobStatus_->setAccessibleDescription(tr("Job status"));
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
    connect(gallery_, &GalleryView::cloneRequested, this, &MainWindow::showCloneWizard);
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
    // The CSM voice: auditions, the lexicon, and the first take that sets a voice (the studio says so).
    auto* voices = new VoiceActions(services_.tasks, player_, services_.library, characters_, services_.paths, this);
    connect(panel, &CharacterPanel::auditionRequested, this, [this, voices, panel] {
        voices->audition(panel->characterId(), studio_->parameters()->params());
    });
    connect(panel, &CharacterPanel::lexiconRequested, this, [this, voices, panel] {
        voices->editLexicon(panel->characterId(), studio_->editor()->editor()->toPlainText());
    });
    connect(voices, &VoiceActions::voiceChanged, this, [this, panel] { panel->setCharacter(gallery_->currentIndex()); });
    connect(generation_, &GenerationController::takeFinished, this, [this, voices, panel](const JobResult& r) {
        const QString note = voices->noticeTake(r);
        if (note.isEmpty())
            return;
        statusBar()->showMessage(note, 12000);
        panel->setCharacter(gallery_->currentIndex());
    });
    connect(actions, &CharacterActions::failed, this, &MainWindow::showError);
    connect(actions, &CharacterActions::done, this, [this](const QString& s) { statusBar()->showMessage(s, 5000); });

    connect(studio_, &StudioPanel::generateRequested, this, &MainWindow::generate);
    connect(generation_, &GenerationController::failed, this, &MainWindow::showError);
    connect(generation_, &GenerationController::busyChanged, this, [this](bool busy) {
        if (busy) studio_->banner()->hide();
    });
    connect(playerBar_, &PlayerBar::exportRequested, this, &MainWindow::exportClip);
    connect(studio_->banner(), &Banner::actionTriggered, this, &MainWindow::showSettings);
    connect(studio_->engineBanner(), &Banner::actionTriggered, this, [this] {
        if (services_.settings.engine == QLatin1String("espeak"))
            QDesktopServices::openUrl(modelsDocUrl());
        else
            showModelSettings();
    });
    models_ = new ModelManager(services_.paths.modelsDir, services_.settings.hubToken, this);
    connect(models_, &ModelManager::finished, this, &MainWindow::modelsChanged);

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

void MainWindow::addShortcuts() {
    auto add = [this](const QKeySequence& keys, auto slot) {
        auto* s = new QShortcut(keys, this);
        connect(s, &QShortcut::activated, this, slot);
        return s;
    };
    add(QKeySequence(Qt::CTRL | Qt::Key_Return), [this] { generate(); });
    add(QKeySequence(Qt::CTRL | Qt::Key_Enter), [this] { generate(); });
    // Space plays or pauses only where the focused control leaves it unused (keyPressEvent):
    // a window-wide Space shortcut would take it from every button and chip. The media keys
    // always do.
    add(QKeySequence(Qt::Key_MediaTogglePlayPause), [this] { player_->togglePlayPause(); });
    add(QKeySequence(Qt::Key_MediaPlay), [this] { player_->togglePlayPause(); });
    new ReturnPresses(this);
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
    connect(header_, &HeaderBar::diagnosticsRequested, this, &MainWindow::showDiagnostics);
    connect(header_, &HeaderBar::aboutRequested, this, &MainWindow::showAbout);
    connect(header_, &HeaderBar::backupRequested, backup_, &BackupActions::backUp);
    connect(header_, &HeaderBar::restoreRequested, backup_, &BackupActions::restore);
    connect(backup_, &BackupActions::backedUp, this, [this](const QString& message) { statusBar()->showMessage(message, 8000); });
    connect(backup_, &BackupActions::failed, this, &MainWindow::showError);
    connect(backup_, &BackupActions::restartRequested, this, &QWidget::close);
}

QString MainWindow::selectedCharacterId() const { return studio_->characterPanel()->characterId(); }

void MainWindow::selectCharacter(const QString& id) {
    const int sourceRow = characters_->rowOf(id);
    QModelIndex index = sourceRow >= 0 ? invite_->mapFromSource(filter_->mapFromSource(characters_->index(sourceRow)))
                                       : QModelIndex();
    if (!index.isValid() && invite_->characterRows() > 0) index = invite_->index(0, 0);
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
    const CsmRunPlan plan = plannedCsmRun(services_.settings);
    const bool onGpu = !fallback && plan.onGpu;
    QString status = tr("%1 · %2").arg(engine, onGpu ? tr("GPU") : tr("CPU"));
    if (!fallback && !onGpu) {
        // As CSM will run: its threads and weight format (the CPU's best where set to auto).
        status += plan.formatName.isEmpty() ? tr(" · %n thread(s)", nullptr, plan.threads)
                                            : tr(" · %n thread(s) · %1", nullptr, plan.threads).arg(plan.formatName);
    }
    engineStatus_->setText(status);
    characters_->setActiveEngine(fallback ? QStringLiteral("espeak") : QStringLiteral("csm"));
    if (services_.settings.engine == QLatin1String("espeak"))
        studio_->engineBanner()->showMessage(Banner::Kind::Info, tr("Speaking with eSpeak NG, as chosen in Settings."));
    else if (!tasks->csmInstalled())
        studio_->engineBanner()->showMessage(Banner::Kind::Info,
                                             tr("Speaking with eSpeak NG — CSM is not installed."), tr("Get the CSM voice model"));
    else
        studio_->engineBanner()->hide();
}

void MainWindow::showError(const QString& sentence) {
    studio_->banner()->showMessage(Banner::Kind::Error, sentence);
}

void MainWindow::keyPressEvent(QKeyEvent* e) {
    // Reached only when the focused widget (the waveform, a slider, the player bar...) did not
    // use the key itself.
    if (e->key() == Qt::Key_Space && e->modifiers() == Qt::NoModifier) {
        player_->togglePlayPause();
        return;
    }
    QMainWindow::keyPressEvent(e);
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
