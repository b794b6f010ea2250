#include "ui/gallery/filter_bar.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QSignalBlocker>

#include "core/voices/character_model.h"
#include "ui/theme/icons.h"
#include "ui/theme/theme.h"
#include "ui/widgets/chip_button.h"
#include "ui/widgets/chip_focus_group.h"
#include "ui/widgets/flow_layout.h"

namespace echoforge::ui {
namespace {

const char* const kGenderKey = "ui/gallery/gender";
const char* const kStylesKey = "ui/gallery/styles";
const char* const kLanguageKey = "ui/gallery/language";
const char* const kSearchKey = "ui/gallery/search";

QString languageLabel(const QString& code) {
    const QLocale locale(code);
    if (locale.language() == QLocale::C)
        return code;
    QString label = QLocale::languageToString(locale.language());
    if (code.contains('-') || code.contains('_'))
        label += QStringLiteral(" (%1)").arg(QLocale::territoryToString(locale.territory()));
    return label;
}

QLabel* rowLabel(const QString& text, QWidget* parent) {
    auto* label = new QLabel(text, parent);
    markMuted(label);
    return label;
}

} // namespace

FilterBar::FilterBar(CharacterFilterModel* filter, QAbstractItemModel* characters, QWidget* parent)
    : QWidget(parent), filter_(filter), characters_(characters) {
    setAccessibleName(tr("Character filters"));
    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(16, 12, 16, 8);
    grid->setHorizontalSpacing(8);
    grid->setVerticalSpacing(8);

    search_ = new QLineEdit(this);
    search_->setPlaceholderText(tr("Search characters…  (Ctrl+F)"));
    search_->setClearButtonEnabled(true);
    // The magnifier is a button of its own to a screen reader: it needs a name too.
    search_->addAction(themedIcon("search"), QLineEdit::LeadingPosition)->setText(tr("Search"));
    search_->setAccessibleName(tr("Search characters"));
    language_ = new QComboBox(this);
    language_->setAccessibleName(tr("Language"));
    language_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    auto* top = new QHBoxLayout;
    top->addWidget(search_, 1);
    top->addWidget(language_);
    grid->addLayout(top, 0, 0, 1, 2);

    grid->addWidget(rowLabel(tr("Gender"), this), 1, 0);
    auto* genderRow = new QHBoxLayout;
    genderRow->setSpacing(6);
    genders_ = new QButtonGroup(this);
    genders_->setExclusive(true);
    const QList<QPair<QString, QString>> genderChoices{
        {"any", tr("All")}, {"female", tr("Female")}, {"male", tr("Male")}, {"neutral", tr("Neutral")}};
    for (const auto& [key, text] : genderChoices) {
        auto* chip = new ChipButton(text, this);
        chip->setAccessibleName(tr("Gender: %1").arg(text));
        chip->setProperty("gender", key);
        genders_->addButton(chip);
        genderChips_.insert(key, chip);
        genderRow->addWidget(chip);
    }
    genderChips_.value("any")->setChecked(true);
    genderRow->addStretch();
    grid->addLayout(genderRow, 1, 1);

    grid->addWidget(rowLabel(tr("Style"), this), 2, 0, Qt::AlignTop);
    // Many styles wrap onto many lines: two lines show, the rest scroll, so the cards keep room.
    auto* styleScroll = new QScrollArea(this);
    styleScroll->setFrameShape(QFrame::NoFrame);
    styleScroll->setWidgetResizable(true);
    styleScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    styleScroll->setAccessibleName(tr("Styles"));
    styleScroll->setFocusPolicy(Qt::NoFocus);   // the chips take focus; the area is no Tab stop of its own
    styleScroll->verticalScrollBar()->setAccessibleName(tr("Scroll the styles"));
    styleBox_ = new QWidget(styleScroll);
    styleFlow_ = new FlowLayout(styleBox_, 6);
    styleFocus_ = new ChipFocusGroup(this);
    styleScroll->setWidget(styleBox_);
    const int chipHeight = ChipButton(QStringLiteral("X")).sizeHint().height();
    styleScroll->setMaximumHeight(2 * chipHeight + 6 + 2);
    grid->addWidget(styleScroll, 2, 1);

    count_ = new QLabel(this);
    // A changing label: its text is what a screen reader reads, a fixed name would hide it.
    count_->setAccessibleDescription(tr("Characters shown"));
    grid->addWidget(count_, 3, 0, 1, 2);
    grid->setColumnStretch(1, 1);

    connect(search_, &QLineEdit::textChanged, this, [this](const QString& text) {
        filter_->setSearchText(text.trimmed());
        updateCount();
    });
    // Toggled, not clicked: a screen reader's toggle action checks a chip without a click.
    connect(genders_, &QButtonGroup::buttonToggled, this, [this](QAbstractButton* b, bool checked) {
        if (!checked || filter_->gender() == b->property("gender").toString()) return;
        filter_->setGender(b->property("gender").toString());
        updateCount();
    });
    connect(language_, &QComboBox::currentIndexChanged, this, [this] {
        filter_->setLanguage(language_->currentData().toString());
        updateCount();
    });
    connect(characters_, &QAbstractItemModel::modelReset, this, &FilterBar::rebuildChoices);
    connect(characters_, &QAbstractItemModel::layoutChanged, this, &FilterBar::rebuildChoices);
    connect(characters_, &QAbstractItemModel::rowsInserted, this, &FilterBar::rebuildChoices);
    connect(characters_, &QAbstractItemModel::rowsRemoved, this, &FilterBar::rebuildChoices);
    connect(characters_, &QAbstractItemModel::dataChanged, this, &FilterBar::rebuildChoices);
    rebuildChoices();
}

// Style chips and languages come from the characters there are, in alphabetical order.
void FilterBar::rebuildChoices() {
    QStringList styles, languages;
    for (int row = 0; row < characters_->rowCount(); ++row) {
        const QModelIndex i = characters_->index(row, 0);
        for (const QString& s : i.data(CharacterModel::StylesRole).toStringList())
            if (!styles.contains(s)) styles << s;
        const QString lang = i.data(CharacterModel::LanguageRole).toString();
        const QString base = lang.section('-', 0, 0);
        if (!base.isEmpty() && !languages.contains(base)) languages << base;
        if (lang != base && !languages.contains(lang)) languages << lang;
    }
    // A selected style stays offered (so it can be unselected) even when no character has it.
    const QStringList selected = filter_->styles();
    for (const QString& s : selected)
        if (!styles.contains(s)) styles << s;
    styles.sort(Qt::CaseInsensitive);
    languages.sort();

    for (auto it = styleChips_.begin(); it != styleChips_.end();) {
        if (styles.contains(it.key())) {
            ++it;
        } else {
            delete it.value();
            it = styleChips_.erase(it);
        }
    }
    while (styleFlow_->count() > 0) delete styleFlow_->takeAt(0);
    QList<QAbstractButton*> ordered;
    for (const QString& style : styles) {
        ChipButton* chip = styleChips_.value(style);
        if (!chip) {
            chip = new ChipButton(style.left(1).toUpper() + style.mid(1), styleBox_);
            chip->setAccessibleName(tr("Style: %1").arg(style));
            chip->setChecked(selected.contains(style));
            connect(chip, &ChipButton::toggled, this, &FilterBar::applyStyles);
            styleChips_.insert(style, chip);
        }
        styleFlow_->addWidget(chip);
        ordered << chip;
    }
    // Tab reaches the style chips right after the gender chips, whenever they were made.
    QWidget* previous = genderChips_.value(QStringLiteral("neutral"));
    for (QAbstractButton* chip : ordered) {
        QWidget::setTabOrder(previous, chip);
        previous = chip;
    }
    styleFocus_->setChips(ordered);

    const QSignalBlocker block(language_);
    const QString current = filter_->language();
    language_->clear();
    language_->addItem(tr("All languages"), QString());
    for (const QString& lang : languages)
        language_->addItem(languageLabel(lang), lang);
    language_->setCurrentIndex(std::max(0, language_->findData(current)));
    updateCount();
}

void FilterBar::applyStyles() {
    QStringList styles;
    for (auto it = styleChips_.cbegin(); it != styleChips_.cend(); ++it)
        if (it.value()->isChecked()) styles << it.key();
    styles.sort(Qt::CaseInsensitive);
    filter_->setStyles(styles);
    updateCount();
}

void FilterBar::setGender(const QString& gender) {
    const QString key = genderChips_.contains(gender) ? gender : QStringLiteral("any");
    genderChips_.value(key)->setChecked(true);
    filter_->setGender(key);
    updateCount();
}

void FilterBar::setStyles(const QStringList& styles) {
    for (auto it = styleChips_.cbegin(); it != styleChips_.cend(); ++it) {
        const QSignalBlocker block(it.value());
        it.value()->setChecked(styles.contains(it.key()));
    }
    applyStyles();
}

void FilterBar::setLanguage(const QString& language) {
    const int row = language_->findData(language);
    language_->setCurrentIndex(row < 0 ? 0 : row);
    filter_->setLanguage(language_->currentData().toString());
    updateCount();
}

void FilterBar::setSearchText(const QString& text) { search_->setText(text); }

void FilterBar::clearFilters() {
    setSearchText({});
    setGender("any");
    setStyles({});
    setLanguage({});
}

QString FilterBar::countText() const {
    const int total = characters_->rowCount();
    const int shown = filter_->rowCount();
    const QString all = total == 1 ? tr("1 character") : tr("%1 characters").arg(total);
    return shown == total ? all : tr("%1 of %2").arg(shown).arg(all);
}

QString FilterBar::emptyMessage() const {
    if (characters_->rowCount() == 0)
        return tr("No characters yet. Clone a voice to make one.");
    if (!filter_->searchText().isEmpty())
        return tr("No characters match '%1'.").arg(filter_->searchText());
    return tr("No characters match these filters.");
}

void FilterBar::updateCount() {
    count_->setText(countText());
    Q_EMIT filterChanged();
}

void FilterBar::restoreState(QSettings& store) {
    setGender(store.value(kGenderKey, "any").toString());
    setStyles(store.value(kStylesKey).toStringList());
    setLanguage(store.value(kLanguageKey).toString());
    setSearchText(store.value(kSearchKey).toString());
}

void FilterBar::saveState(QSettings& store) const {
    store.setValue(kGenderKey, filter_->gender().isEmpty() ? QStringLiteral("any") : filter_->gender());
    store.setValue(kStylesKey, filter_->styles());
    store.setValue(kLanguageKey, filter_->language());
    store.setValue(kSearchKey, filter_->searchText());
}

} // namespace echoforge::ui
