#pragma once
// Above the gallery: the search box, gender chips (one at a time), style chips (several at once),
// a language choice and how many characters are shown. Drives a CharacterFilterModel; its state
// is saved to and restored from QSettings.

#include <QHash>
#include <QWidget>

class QAbstractItemModel;
class QButtonGroup;
class QComboBox;
class QLabel;
class QLineEdit;
class QSettings;

namespace echoforge {
class CharacterFilterModel;
}

namespace echoforge::ui {

class ChipButton;
class ChipFocusGroup;
class FlowLayout;

class FilterBar : public QWidget {
    Q_OBJECT
public:
    // `filter` sits on `characters` (its source) and is borrowed.
    FilterBar(CharacterFilterModel* filter, QAbstractItemModel* characters, QWidget* parent = nullptr);

    void restoreState(QSettings& store);
    void saveState(QSettings& store) const;

    QLineEdit* searchField() const { return search_; }
    // "14 of 18 characters"
    QString countText() const;
    // The gallery's empty-state sentence for the current filter.
    QString emptyMessage() const;

    void setGender(const QString& gender);        // any | female | male | neutral
    void setStyles(const QStringList& styles);
    void setLanguage(const QString& language);    // "" for any
    void setSearchText(const QString& text);

public Q_SLOTS:
    void clearFilters();

Q_SIGNALS:
    void filterChanged();

private:
    void rebuildChoices();
    void applyStyles();
    void updateCount();

    CharacterFilterModel* filter_;
    QAbstractItemModel* characters_;
    QLineEdit* search_;
    QButtonGroup* genders_;
    QHash<QString, ChipButton*> genderChips_;
    QWidget* styleBox_;
    FlowLayout* styleFlow_;
    QHash<QString, ChipButton*> styleChips_;
    ChipFocusGroup* styleFocus_;   // the style chips: one Tab stop, arrows between them
    QComboBox* language_;
    QLabel* count_;
};

} // namespace echoforge::ui
