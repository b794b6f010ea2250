#pragma once
// The pronunciation lexicon editor: words and how to say them, for the whole library or for one
// character (core/text/lexicon.h), with a preview of what will be spoken for a text.

#include <QDialog>

#include "core/text/lexicon.h"
#include "core/voices/character.h"

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QStandardItemModel;
class QTableView;

namespace echoforge::ui {

class LexiconDialog : public QDialog {
    Q_OBJECT
public:
    // `character` may have an empty id: then only the library's lexicon is edited. `previewText`
    // starts the preview (the studio's text).
    LexiconDialog(QString lexiconsDir, Character character, const QString& previewText, QWidget* parent = nullptr);

    // Public for tests: the table, the scope (0 library, 1 character), the preview's output.
    QStandardItemModel* entries() const { return model_; }
    void setScope(int scope);
    void setPreviewText(const QString& text);
    QString spokenPreview() const;
    // Writes both lexicons; false (with the reason shown) when an entry is not valid.
    bool save();

private:
    void showScope();
    bool collect(QString* error);   // table -> the scope's lexicon
    void updatePreview();

    QString dir_;
    Character character_;
    text::Lexicon library_;
    text::Lexicon own_;
    int scope_ = 0;
    bool loading_ = false;
    QComboBox* scopeBox_;
    QStandardItemModel* model_;
    QTableView* table_;
    QPushButton* remove_;
    QPlainTextEdit* preview_;
    QLabel* spoken_;
    QLabel* status_;
};

} // namespace echoforge::ui
