#pragma once

#include <QDialog>
#include <QJsonObject>

class QTreeWidget;

namespace echoforge::ui {

// The diagnostic report (echoforge-cli diagnostic) as a readable tree, with a button that copies
// the JSON to the clipboard for a bug report. The report is made off the GUI thread by the caller.
class DiagnosticsDialog : public QDialog {
    Q_OBJECT
public:
    explicit DiagnosticsDialog(QWidget* parent = nullptr);

    void setReport(const QJsonObject& report);
    QString reportJson() const;
    QTreeWidget* tree() const { return tree_; }

private:
    QJsonObject report_;
    QTreeWidget* tree_;
};

} // namespace echoforge::ui
