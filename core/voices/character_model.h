#pragma once
// The character gallery's data: a list model over a VoiceLibrary and a filter on top of it.
// The models hold no widgets; views show the avatar from AvatarPathRole.

#include <QAbstractListModel>
#include <QSortFilterProxyModel>
#include <QStringList>

#include "core/voices/character.h"

namespace echoforge {

class VoiceLibrary;

class CharacterModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role {
        IdRole = Qt::UserRole + 1,
        NameRole,
        GenderRole,
        AgeRangeRole,
        LanguageRole,
        AccentRole,
        StylesRole,        // QStringList
        DescriptionRole,
        AvatarPathRole,
        BuiltInRole,       // bool
        EngineRole,        // "csm" | "espeak": the engine that will speak it; "" when none can
        SampleTextRole,
        ClonedRole,        // bool: has reference audio (a voice cloned from a clip)
        VoiceStateRole,    // CSM voice: "clip" (its own) | "chosen" | "first-use" (anchors) | "none" yet
    };
    Q_ENUM(Role)

    explicit CharacterModel(VoiceLibrary* library, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    // The engine the app speaks with now: "csm" or "espeak". With "espeak", characters that only
    // have a cloned voice (no eSpeak mapping) report EngineRole "".
    void setActiveEngine(const QString& engineId);
    QString activeEngine() const { return activeEngine_; }

    // Where the characters' kept CSM voices are (AppPaths::anchorsDir); empty: VoiceStateRole says
    // "none" for every character without a clip.
    void setAnchorsDir(const QString& dir);
    // Reads the kept voices again (after an audition was kept, a reset, a first-use anchor).
    void refreshVoiceStates();

    const Character* characterAt(int row) const;
    int rowOf(const QString& id) const;   // -1 when absent

private:
    void resetFromLibrary();
    QString engineFor(const Character& c) const;
    QString voiceStateOf(const Character& c) const;

    VoiceLibrary* library_;
    QString anchorsDir_;
    QHash<QString, QString> voiceStates_;   // id -> VoiceStateRole value, read by refreshVoiceStates()
    QList<Character> characters_;
    QString activeEngine_ = "espeak";
};

// Filters by gender, styles, language and free text; sorts by name (built-in first).
// Styles: a character must have EVERY selected style (narrowing as tags are added).
// Language: "en" matches "en", "en-GB", "en-US"; "en-GB" matches only "en-GB".
// Search: case-insensitive substring of name, description, accent or any style.
class CharacterFilterModel : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit CharacterFilterModel(QObject* parent = nullptr);

    void setGender(const QString& gender);        // "any" (or "") | female | male | neutral
    void setStyles(const QStringList& styles);    // empty: any
    void setLanguage(const QString& language);    // "" or "any": any
    void setSearchText(const QString& text);

    QString gender() const { return gender_; }
    QStringList styles() const { return styles_; }
    QString language() const { return language_; }
    QString searchText() const { return search_; }

    // Whether a character passes the filter as set (used by the CLI's voices command too).
    bool accepts(const Character& c) const;

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;

private:
    QString gender_;
    QStringList styles_;
    QString language_;
    QString search_;
};

} // namespace echoforge
