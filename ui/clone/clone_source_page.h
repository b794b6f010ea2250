#pragma once
// Step 1 of cloning: import a recording, or record one from the microphone with a level meter,
// a count-down and a 3 to 30 second guide.

#include <QTimer>
#include <QWizardPage>

class QLabel;
class QPushButton;

namespace echoforge::ui {

struct CloneDraft;
class LevelMeter;
class MicRecorder;

class CloneSourcePage : public QWizardPage {
    Q_OBJECT
public:
    CloneSourcePage(CloneDraft* draft, QWidget* parent = nullptr);

    bool isComplete() const override;
    // Loads a file off the GUI thread; clipLoaded() or a message when done.
    void loadFile(const QString& path);

Q_SIGNALS:
    void clipLoaded();

private:
    void chooseFile();
    void toggleRecording();
    void tick();
    void showStatus(const QString& text, bool error = false);

    CloneDraft* draft_;
    MicRecorder* recorder_;
    LevelMeter* meter_;
    QPushButton* import_;
    QPushButton* record_;
    QLabel* status_;
    QLabel* guide_;
    QTimer clock_;
    int countdown_ = 0;
};

} // namespace echoforge::ui
