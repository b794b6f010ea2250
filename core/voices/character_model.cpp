#include "core/voices/character_model.h"

#include <algorithm>

#include "core/common/error.h"
#include "core/voices/voice_anchor.h"
#include "core/voices/voice_library.h"

namespace echoforge {

CharacterModel::CharacterModel(VoiceLibrary* library, QObject* parent)
    : QAbstractListModel(parent), library_(library) {
    characters_ = library_->characters();
    connect(library_, &VoiceLibrary::changed, this, &CharacterModel::resetFromLibrary);
    refreshVoiceStates();
}

void CharacterModel::resetFromLibrary() {
    beginResetModel();
    characters_ = library_->characters();
    endResetModel();
    refreshVoiceStates();
}

void CharacterModel::setAnchorsDir(const QString& dir) {
    anchorsDir_ = dir;
    refreshVoiceStates();
}

QString CharacterModel::voiceStateOf(const Character& c) const {
    if (!c.segments.isEmpty())
        return QStringLiteral("clip");
    try {
        if (const auto anchor = AnchorStore(anchorsDir_).find(c.id))
            return anchor->automatic ? QStringLiteral("first-use") : QStringLiteral("chosen");
    } catch (const Error&) {
        return QStringLiteral("none");   // a broken anchor: the next request says why
    }
    return QStringLiteral("none");
}

void CharacterModel::refreshVoiceStates() {
    // One small file per character: read here, once, not on every paint.
    QHash<QString, QString> states;
    for (const Character& c : characters_)
        states.insert(c.id, voiceStateOf(c));
    if (states == voiceStates_)
        return;
    voiceStates_ = states;
    if (!characters_.isEmpty())
        Q_EMIT dataChanged(index(0), index(int(characters_.size()) - 1), {VoiceStateRole});
}

int CharacterModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(characters_.size());
}

QString CharacterModel::engineFor(const Character& c) const {
    if (activeEngine_ == "csm")
        return activeEngine_;
    return c.espeak.voice.isEmpty() ? QString() : QStringLiteral("espeak");
}

QVariant CharacterModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Character& c = characters_[index.row()];
    switch (role) {
    case Qt::DisplayRole:
    case NameRole: return c.name;
    case Qt::ToolTipRole:
    case DescriptionRole: return c.description;
    case IdRole: return c.id;
    case GenderRole: return c.gender;
    case AgeRangeRole: return c.ageRange;
    case LanguageRole: return c.language;
    case AccentRole: return c.accent;
    case StylesRole: return c.styles;
    case AvatarPathRole: return c.avatarPath;
    case BuiltInRole: return c.builtIn;
    case EngineRole: return engineFor(c);
    case SampleTextRole: return c.sampleText;
    case ClonedRole: return !c.segments.isEmpty();
    case Qt::AccessibleDescriptionRole:
        return voiceStates_.value(c.id) == QLatin1String("none") ? tr("CSM voice not set yet") : tr("CSM voice set");
    case VoiceStateRole: return voiceStates_.value(c.id, c.segments.isEmpty() ? QStringLiteral("none") : QStringLiteral("clip"));
    default: return {};
    }
}

QHash<int, QByteArray> CharacterModel::roleNames() const {
    auto names = QAbstractListModel::roleNames();
    names.insert({{IdRole, "id"}, {NameRole, "name"}, {GenderRole, "gender"}, {AgeRangeRole, "ageRange"},
                  {LanguageRole, "language"}, {AccentRole, "accent"}, {StylesRole, "styles"},
                  {DescriptionRole, "description"}, {AvatarPathRole, "avatarPath"}, {BuiltInRole, "builtIn"},
                  {EngineRole, "engine"}, {SampleTextRole, "sampleText"}, {ClonedRole, "cloned"},
                  {VoiceStateRole, "voiceState"}});
    return names;
}

void CharacterModel::setActiveEngine(const QString& engineId) {
    if (engineId == activeEngine_)
        return;
    activeEngine_ = engineId;
    if (!characters_.isEmpty())
        Q_EMIT dataChanged(index(0), index(int(characters_.size()) - 1), {EngineRole});
}

const Character* CharacterModel::characterAt(int row) const {
    return row >= 0 && row < characters_.size() ? &characters_[row] : nullptr;
}

int CharacterModel::rowOf(const QString& id) const {
    for (qsizetype i = 0; i < characters_.size(); ++i)
        if (characters_[i].id == id)
            return int(i);
    return -1;
}

// ---- filter ----

CharacterFilterModel::CharacterFilterModel(QObject* parent) : QSortFilterProxyModel(parent) {
    setDynamicSortFilter(true);
    sort(0);
}

void CharacterFilterModel::setGender(const QString& gender) {
    const QString g = gender.trimmed().toLower() == "any" ? QString() : gender.trimmed().toLower();
    if (g == gender_)
        return;
    gender_ = g;
    invalidateFilter();
}

void CharacterFilterModel::setStyles(const QStringList& styles) {
    QStringList s;
    for (const QString& style : styles)
        if (!style.trimmed().isEmpty())
            s << style.trimmed().toLower();
    if (s == styles_)
        return;
    styles_ = s;
    invalidateFilter();
}

void CharacterFilterModel::setLanguage(const QString& language) {
    const QString l = language.trimmed().toLower() == "any" ? QString() : language.trimmed();
    if (l == language_)
        return;
    language_ = l;
    invalidateFilter();
}

void CharacterFilterModel::setSearchText(const QString& text) {
    if (text.trimmed() == search_)
        return;
    search_ = text.trimmed();
    invalidateFilter();
}

bool CharacterFilterModel::accepts(const Character& c) const {
    if (!gender_.isEmpty() && c.gender != gender_)
        return false;
    for (const QString& style : styles_)
        if (!c.styles.contains(style, Qt::CaseInsensitive))
            return false;
    if (!language_.isEmpty()) {
        const bool exact = c.language.compare(language_, Qt::CaseInsensitive) == 0;
        const bool family = !language_.contains('-') && c.language.startsWith(language_ + "-", Qt::CaseInsensitive);
        if (!exact && !family)
            return false;
    }
    if (!search_.isEmpty()) {
        const auto has = [&](const QString& s) { return s.contains(search_, Qt::CaseInsensitive); };
        if (!has(c.name) && !has(c.description) && !has(c.accent) && !has(c.id) &&
            std::none_of(c.styles.begin(), c.styles.end(), has))
            return false;
    }
    return true;
}

bool CharacterFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const {
    const auto* model = qobject_cast<const CharacterModel*>(sourceModel());
    if (!model || sourceParent.isValid())
        return false;
    const Character* c = model->characterAt(sourceRow);
    return c && accepts(*c);
}

bool CharacterFilterModel::lessThan(const QModelIndex& left, const QModelIndex& right) const {
    const bool leftBuiltIn = left.data(CharacterModel::BuiltInRole).toBool();
    const bool rightBuiltIn = right.data(CharacterModel::BuiltInRole).toBool();
    if (leftBuiltIn != rightBuiltIn)
        return leftBuiltIn;
    return QString::localeAwareCompare(left.data(CharacterModel::NameRole).toString(),
                                       right.data(CharacterModel::NameRole).toString()) < 0;
}

} // namespace echoforge
