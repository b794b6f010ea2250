#pragma once
// Settings → Models: the catalogue with each model's state, Get (with bytes, speed and time
// left), Cancel, Verify, Remove, Import a folder, a fine-tune by repository name, and the access
// token for gated models. A view over core's ModelManager, which keeps downloading when the
// dialog closes.

#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;

namespace echoforge {
class ModelManager;
}

namespace echoforge::ui {

class ModelsPage : public QWidget {
    Q_OBJECT
public:
    // `manager` may be null (no network in this process): the page then only says so.
    ModelsPage(ModelManager* manager, const QString& token, QWidget* parent = nullptr);

    QString token() const;

private:
    int selectedRow() const;
    void updateButtons();

    ModelManager* manager_;   // the main window's
    QTableView* table_ = nullptr;
    QLineEdit* token_ = nullptr;
    QLineEdit* fineTune_ = nullptr;
    QPushButton* get_ = nullptr;
    QPushButton* cancel_ = nullptr;
    QPushButton* verify_ = nullptr;
    QPushButton* remove_ = nullptr;
    QPushButton* import_ = nullptr;
    QLabel* status_ = nullptr;
};

} // namespace echoforge::ui
