#pragma once
// The studio window: header, gallery left, studio panel right, player bar and status bar below,
// queue and history as side panels. It lays the widgets out and connects them; the work is done
// by the controllers and core/ services it is given.

#include <memory>

#include <QMainWindow>

#include "ui/shell/studio_services.h"

class QLabel;
class QSplitter;

namespace echoforge {
class CharacterModel;
class CharacterFilterModel;
class HistoryModel;
class QueueModel;
struct HistoryEntry;
}

namespace echoforge::ui {

class BackupActions;
class CloneInviteModel;
class Banner;
class FilterBar;
class GalleryView;
class GenerationController;
class HeaderBar;
class HistoryDock;
class QueueDock;
class PlayerBar;
class PlayerController;
class PresetStore;
class SampleController;
class StatusLine;
class StudioPanel;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(const StudioServices& services, QWidget* parent = nullptr);
    ~MainWindow() override;

    HeaderBar* header() const { return header_; }
    FilterBar* filterBar() const { return filterBar_; }
    GalleryView* gallery() const { return gallery_; }
    StudioPanel* studio() const { return studio_; }
    PlayerController* player() const { return player_; }
    PlayerBar* playerBar() const { return playerBar_; }
    GenerationController* generation() const { return generation_; }
    CharacterFilterModel* characterFilter() const { return filter_; }
    QueueModel* queueModel() const { return queue_; }
    QueueDock* queueDock() const { return queueDock_; }
    HistoryDock* historyDock() const { return historyDock_; }
    BackupActions* backupActions() const { return backup_; }
    QString selectedCharacterId() const;
    void selectCharacter(const QString& id);
    void setEditorText(const QString& text);

    // Opens a panel or dialog by name (queue, history, settings, diagnostics, about, shortcuts,
    // clone); used by --open for the docs' screenshots. False for an unknown name.
    bool openPanel(const QString& name);

public Q_SLOTS:
    void generate();
    void showAbout();
    void showShortcuts();
    void showSettings();
    void showDiagnostics();
    void exportClip();
    void showCloneWizard();

protected:
    void closeEvent(QCloseEvent* e) override;
    void keyPressEvent(QKeyEvent* e) override;

private:
    void buildLayout();
    void connectGallery();
    void connectStudio();
    void addShortcuts();
    void connectDocks();
    void showEngineState();
    void loadIntoPlayer(const QString& path, const QString& title);
    void exportFile(const std::vector<float>& samples, int sampleRate, const QString& title);
    void reuse(const HistoryEntry& entry);
    void showError(const QString& sentence);

    StudioServices services_;
    std::unique_ptr<PresetStore> presets_;
    CharacterModel* characters_;
    CharacterFilterModel* filter_;
    CloneInviteModel* invite_;   // the filtered characters, and the invitation to clone a voice
    PlayerController* player_;
    PlayerController* samplePlayer_;
    GenerationController* generation_;
    SampleController* samples_;
    QueueModel* queue_;
    HistoryModel* history_ = nullptr;

    HeaderBar* header_;
    FilterBar* filterBar_;
    GalleryView* gallery_;
    StudioPanel* studio_;
    PlayerBar* playerBar_;
    QueueDock* queueDock_;
    HistoryDock* historyDock_ = nullptr;
    QSplitter* splitter_;
    QLabel* engineStatus_;
    QLabel* jobStatus_;
    BackupActions* backup_;
};

} // namespace echoforge::ui
