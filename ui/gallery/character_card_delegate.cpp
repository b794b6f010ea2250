#include "ui/gallery/character_card_delegate.h"

#include <QApplication>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>

#include "core/voices/character_model.h"
#include "ui/gallery/clone_invite_model.h"
#include "ui/theme/icons.h"
#include "ui/theme/theme.h"

namespace echoforge::ui {
namespace {

constexpr int kRadius = 8;
constexpr int kPadding = 12;
constexpr int kAvatarSide = 88;
constexpr int kPlaySide = 32;
constexpr int kChipHeight = 20;
constexpr int kMaxChips = 3;

using Roles = CharacterModel;

QString engineLabel(const QString& engineId) {
    if (engineId == QLatin1String("csm")) return QStringLiteral("CSM");
    if (engineId == QLatin1String("espeak")) return QStringLiteral("eSpeak");
    return QObject::tr("no engine");
}

// A rounded label; returns its width.
int drawChip(QPainter* p, const QPoint& at, const QString& text, const QColor& fill, const QColor& ink,
             const QFont& font) {
    const QFontMetrics fm(font);
    const int w = fm.horizontalAdvance(text) + 14;
    const QRectF r(at.x() + 0.5, at.y() + 0.5, w - 1, kChipHeight - 1);
    p->setPen(Qt::NoPen);
    p->setBrush(fill);
    p->drawRoundedRect(r, kChipHeight / 2.0, kChipHeight / 2.0);
    p->setPen(ink);
    p->setFont(font);
    p->drawText(r, Qt::AlignCenter, text);
    return w;
}

} // namespace

QString genderAgeLine(const QString& gender, const QString& ageRange) {
    QStringList parts;
    if (!gender.isEmpty()) parts << gender.left(1).toUpper() + gender.mid(1);
    if (!ageRange.isEmpty()) parts << ageRange;
    return parts.join(QStringLiteral(" · "));
}

QString cardDescription(const QModelIndex& index) {
    QStringList parts{genderAgeLine(index.data(Roles::GenderRole).toString(), index.data(Roles::AgeRangeRole).toString())};
    const QStringList styles = index.data(Roles::StylesRole).toStringList();
    if (!styles.isEmpty()) parts << styles.join(QStringLiteral(", "));
    parts << QObject::tr("speaks with %1").arg(engineLabel(index.data(Roles::EngineRole).toString()));
    parts.removeAll(QString());
    return parts.join(QStringLiteral(" · "));
}

CharacterCardDelegate::CharacterCardDelegate(QObject* parent) : QStyledItemDelegate(parent) {}

QSize CharacterCardDelegate::sizeHint(const QStyleOptionViewItem&, const QModelIndex&) const {
    return kCardSize;
}

QRect CharacterCardDelegate::playButtonRect(const QRect& cardRect) {
    const QRect card(cardRect.topLeft(), kCardSize);
    return QRect(card.right() - kPadding - kPlaySide + 1, card.bottom() - kPadding - kPlaySide + 1, kPlaySide,
                 kPlaySide);
}

void CharacterCardDelegate::setSampleBusy(const QString& id, bool busy) {
    busy ? void(busy_.insert(id)) : void(busy_.remove(id));
}

void CharacterCardDelegate::setSamplePlaying(const QString& id) { playing_ = id; }

void CharacterCardDelegate::paintInvitation(QPainter* p, const QStyleOptionViewItem& option) const {
    const QPalette& pal = option.palette;
    const QRect card(option.rect.topLeft(), kCardSize);
    const QColor accent = accentColor(pal);
    const bool hovered = option.state & QStyle::State_MouseOver;
    p->save();
    p->setRenderHint(QPainter::Antialiasing);
    // A dashed outline: a place for a card, not a card yet.
    QPen outline(hovered ? accent : pal.color(QPalette::Mid), 1.5, Qt::DashLine);
    p->setPen(outline);
    p->setBrush(Qt::NoBrush);
    p->drawRoundedRect(QRectF(card).adjusted(1.5, 1.5, -1.5, -1.5), kRadius, kRadius);

    // A plus in a circle where a portrait would be
    const QRectF circle(card.center().x() - kAvatarSide / 2.0, card.top() + 16, kAvatarSide, kAvatarSide);
    p->setPen(Qt::NoPen);
    QColor disc = accent;
    disc.setAlphaF(hovered ? 0.22 : 0.14);
    p->setBrush(disc);
    p->drawEllipse(circle);
    p->setPen(QPen(accent, 3, Qt::SolidLine, Qt::RoundCap));
    const QPointF c = circle.center();
    const qreal arm = kAvatarSide / 6.0;
    p->drawLine(QPointF(c.x() - arm, c.y()), QPointF(c.x() + arm, c.y()));
    p->drawLine(QPointF(c.x(), c.y() - arm), QPointF(c.x(), c.y() + arm));

    QFont title = option.font;
    title.setPointSizeF(std::max(11.0, title.pointSizeF() + 1));
    title.setWeight(QFont::Medium);
    const QFontMetrics titleMetrics(title);
    const QRect text(card.left() + kPadding, int(circle.bottom()) + 10, card.width() - 2 * kPadding, 0);
    p->setFont(title);
    p->setPen(pal.color(QPalette::Text));
    const QRect titleRect(text.left(), text.top(), text.width(), titleMetrics.height());
    p->drawText(titleRect, Qt::AlignHCenter | Qt::AlignVCenter, tr("Clone a voice"));
    QFont small = option.font;
    small.setPointSizeF(std::max(8.0, option.font.pointSizeF() - 1));
    p->setFont(small);
    p->setPen(mutedTextColor(pal));
    const QRect lineRect(text.left(), titleRect.bottom() + 4, text.width(), card.bottom() - titleRect.bottom() - 4 - kPadding);
    p->drawText(lineRect, Qt::AlignHCenter | Qt::AlignTop | Qt::TextWordWrap, tr("Make a character from a short clip of your own voice"));
    p->restore();
}

void CharacterCardDelegate::paint(QPainter* p, const QStyleOptionViewItem& option, const QModelIndex& index) const {
    if (index.data(CloneInviteModel::InviteRole).toBool()) {
        paintInvitation(p, option);
        return;
    }
    const QPalette& pal = option.palette;
    const QRect card(option.rect.topLeft(), kCardSize);
    const bool selected = option.state & QStyle::State_Selected;
    const bool hovered = option.state & QStyle::State_MouseOver;
    const bool focused = option.state & QStyle::State_HasFocus;
    const QColor accent = accentColor(pal);
    const QColor muted = mutedTextColor(pal);

    p->save();
    p->setRenderHint(QPainter::Antialiasing);
    // Card
    QColor border = pal.color(QPalette::Mid);
    if (hovered) border = accent.lighter(isDark(pal) ? 80 : 140);
    if (selected || focused) border = accent;
    p->setPen(QPen(border, selected ? 2 : 1));
    QColor fill = pal.color(QPalette::Base);
    if (selected) fill = QColor::fromRgbF(fill.redF() * 0.9 + accent.redF() * 0.1, fill.greenF() * 0.9 + accent.greenF() * 0.1,
                                          fill.blueF() * 0.9 + accent.blueF() * 0.1);
    p->setBrush(fill);
    p->drawRoundedRect(QRectF(card).adjusted(1, 1, -1, -1), kRadius, kRadius);

    // Avatar
    const QString id = index.data(Roles::IdRole).toString();
    const QString name = index.data(Roles::NameRole).toString();
    const qreal dpr = p->device() ? p->device()->devicePixelRatioF() : 1.0;
    const QRect avatarRect(card.center().x() - kAvatarSide / 2, card.top() + 16, kAvatarSide, kAvatarSide);
    p->drawPixmap(avatarRect, avatars_.avatar(index.data(Roles::AvatarPathRole).toString(), name, kAvatarSide, dpr, accent));

    // Name and gender · age
    QFont nameFont = option.font;
    nameFont.setPointSizeF(std::max(11.0, nameFont.pointSizeF() + 1));
    nameFont.setWeight(QFont::Medium);
    const QRect text(card.left() + kPadding, avatarRect.bottom() + 10, card.width() - 2 * kPadding, 0);
    const QFontMetrics nameMetrics(nameFont);
    p->setFont(nameFont);
    p->setPen(pal.color(QPalette::Text));
    const QRect nameRect(text.left(), text.top(), text.width(), nameMetrics.height());
    p->drawText(nameRect, Qt::AlignHCenter | Qt::AlignVCenter, nameMetrics.elidedText(name, Qt::ElideRight, text.width()));

    QFont small = option.font;
    small.setPointSizeF(std::max(8.0, option.font.pointSizeF() - 1));
    const QFontMetrics smallMetrics(small);
    p->setFont(small);
    p->setPen(muted);
    const QRect detailRect(text.left(), nameRect.bottom() + 2, text.width(), smallMetrics.height());
    p->drawText(detailRect, Qt::AlignHCenter | Qt::AlignVCenter,
                genderAgeLine(index.data(Roles::GenderRole).toString(), index.data(Roles::AgeRangeRole).toString()));

    // Style chips, centred, as many as fit
    const QStringList styles = index.data(Roles::StylesRole).toStringList();
    QColor chipFill = pal.color(QPalette::AlternateBase);
    QList<QString> shown;
    int chipsWidth = 0;
    for (const QString& style : styles) {
        const int w = smallMetrics.horizontalAdvance(style) + 14;
        if (shown.size() == kMaxChips || chipsWidth + w + (shown.isEmpty() ? 0 : 4) > text.width()) break;
        chipsWidth += w + (shown.isEmpty() ? 0 : 4);
        shown << style;
    }
    int x = card.center().x() - chipsWidth / 2;
    const int chipsTop = detailRect.bottom() + 8;
    for (const QString& style : shown)
        x += drawChip(p, {x, chipsTop}, style, chipFill, pal.color(QPalette::Text), small) + 4;

    // Engine badge (bottom left)
    const QString engine = index.data(Roles::EngineRole).toString();
    const QRect play = playButtonRect(card);
    QColor badgeInk = engine == QLatin1String("csm") ? accent : muted;
    QColor badgeFill = badgeInk;
    badgeFill.setAlphaF(0.14);
    const int badgeWidth = drawChip(p, {card.left() + kPadding, play.center().y() - kChipHeight / 2}, engineLabel(engine),
                                    badgeFill, badgeInk, small);
    // Under CSM, whether the voice is set: a filled dot when it is (a clip or a kept anchor), a ring
    // when its first take will set it.
    if (engine == QLatin1String("csm")) {
        const bool set = index.data(Roles::VoiceStateRole).toString() != QLatin1String("none");
        const QRectF dot(card.left() + kPadding + badgeWidth + 5, play.center().y() - 4, 8, 8);
        p->setPen(QPen(accent, 1.5));
        p->setBrush(set ? QBrush(accent) : Qt::NoBrush);
        p->drawEllipse(dot);
    }

    // Sample button (bottom right): play, playing (filled), or a spinner while it renders
    const bool busy = busy_.contains(id);
    const bool playing = playing_ == id;
    p->setPen(QPen(playing ? accent : pal.color(QPalette::Mid), 1));
    p->setBrush(playing ? accent : pal.color(QPalette::Button));
    p->drawEllipse(QRectF(play).adjusted(0.5, 0.5, -0.5, -0.5));
    if (busy) {
        p->setPen(QPen(accent, 2.5, Qt::SolidLine, Qt::RoundCap));
        p->setBrush(Qt::NoBrush);
        p->drawArc(QRectF(play).adjusted(8, 8, -8, -8), -spinnerAngle_ * 16, 270 * 16);
    } else {
        themedIcon(playing ? "stop" : "play")
            .paint(p, play.adjusted(9, 9, -9, -9), Qt::AlignCenter, playing ? QIcon::Selected : QIcon::Normal);
    }
    p->restore();
}

bool CharacterCardDelegate::editorEvent(QEvent* event, QAbstractItemModel* model, const QStyleOptionViewItem& option,
                                        const QModelIndex& index) {
    if (event->type() == QEvent::MouseButtonRelease && !index.data(CloneInviteModel::InviteRole).toBool()) {
        auto* mouse = static_cast<QMouseEvent*>(event);
        if (mouse->button() == Qt::LeftButton && playButtonRect(option.rect).contains(mouse->position().toPoint())) {
            Q_EMIT sampleClicked(index);
            return true;
        }
    }
    return QStyledItemDelegate::editorEvent(event, model, option, index);
}

} // namespace echoforge::ui
