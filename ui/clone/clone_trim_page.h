#pragma once
// Step 2 of cloning: trim the clip on its waveform and type what is said in it. The checks
// (too short, too long, clipping, too quiet, too noisy) are listed, each with what to do.

#include <QWizardPage>

class QDoubleSpinBox;
class QLabel;
class QPlainTextEdit;

namespace echoforge::ui {

struct CloneDraft;
class TrimView;

class CloneTrimPage : public QWizardPage {
    Q_OBJECT
public:
    CloneTrimPage(CloneDraft* draft, QWidget* parent = nullptr);

    void initializePage() override;
    bool isComplete() const override;
    QPlainTextEdit* transcript() const { return transcript_; }
    TrimView* trimView() const { return trim_; }

private:
    void rangeChanged();

    CloneDraft* draft_;
    TrimView* trim_;
    QDoubleSpinBox* from_;
    QDoubleSpinBox* to_;
    QLabel* checks_;
    QPlainTextEdit* transcript_;
    bool clipOk_ = false;
};

} // namespace echoforge::ui
