#include "ui/queue/queue_delegate.h"

#include <QApplication>
#include <QMouseEvent>
#include <QPainter>

#include "core/tasks/queue_model.h"
#include "ui/theme/icons.h"
#include "ui/theme/theme.h"
#include "ui/widgets/time_format.h"

namespace echoforge::ui {
namespace {
constexpr int kPadding = 8;
constexpr int kButton = 26;
constexpr int kBarHeight = 6;
} // namespace

QString stateLabel(const QString& state) {
    if (state == QLatin1String("queued")) return QObject::tr("Queued");
    if (state == QLatin1String("running")) return QObject::tr("Generating");
    if (state == QLatin1String("writing")) return QObject::tr("Saving");
    if (state == QLatin1String("finished")) return QObject::tr("Done");
    if (state == QLatin1String("failed")) return QObject::tr("Failed");
    if (state == QLatin1String("cancelled")) return QObject::tr("Cancelled");
    return state;
}

QString QueueDelegate::actionFor(const QString& state) {
    if (state == QLatin1String("queued") || state == QLatin1String("running")) return QStringLiteral("cancel");
    if (state == QLatin1String("failed") || state == QLatin1String("cancelled")) return QStringLiteral("retry");
    return {};
}

QRect QueueDelegate::actionRect(const QRect& r) {
    return QRect(r.right() - kPadding - kButton + 1, r.top() + kPadding, kButton, kButton);
}

QSize QueueDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const {
    const QFontMetrics fm(option.font);
    int lines = 2;
    if (!index.data(QueueModel::ErrorRole).toString().isEmpty()) lines += 2;
    return {240, kPadding * 2 + lines * fm.height() + kBarHeight + 8};
}

void QueueDelegate::paint(QPainter* p, const QStyleOptionViewItem& option, const QModelIndex& index) const {
    const QPalette& pal = option.palette;
    const QRect r = option.rect;
    p->save();
    p->setRenderHint(QPainter::Antialiasing);
    if (option.state & QStyle::State_Selected) p->fillRect(r, pal.color(QPalette::AlternateBase));
    p->setPen(pal.color(QPalette::Mid));
    p->drawLine(r.bottomLeft(), r.bottomRight());

    const QString state = index.data(QueueModel::StateRole).toString();
    const QString action = actionFor(state);
    const QRect text(r.left() + kPadding, r.top() + kPadding, r.width() - 3 * kPadding - kButton, r.height() - 2 * kPadding);
    const QFontMetrics fm(option.font);
    QFont bold = option.font;
    bold.setWeight(QFont::DemiBold);
    p->setFont(bold);
    p->setPen(pal.color(QPalette::Text));
    const QString title = index.data(QueueModel::CharacterRole).toString();
    p->drawText(QRect(text.left(), text.top(), text.width(), fm.height()), Qt::AlignLeft | Qt::AlignVCenter,
                QFontMetrics(bold).elidedText(title, Qt::ElideRight, text.width()));
    p->setFont(option.font);
    p->setPen(mutedTextColor(pal));
    p->drawText(QRect(text.left(), text.top() + fm.height(), text.width(), fm.height()), Qt::AlignLeft | Qt::AlignVCenter,
                fm.elidedText(index.data(QueueModel::TextRole).toString().simplified(), Qt::ElideRight, text.width()));

    // Progress bar, with the state and time left beside it.
    const int barTop = text.top() + 2 * fm.height() + 4;
    const double progress = std::clamp(index.data(QueueModel::ProgressRole).toDouble(), 0.0, 1.0);
    const QRectF bar(text.left(), barTop, text.width() * 0.55, kBarHeight);
    p->setPen(Qt::NoPen);
    p->setBrush(pal.color(QPalette::Mid));
    p->drawRoundedRect(bar, kBarHeight / 2.0, kBarHeight / 2.0);
    const bool failed = state == QLatin1String("failed");
    const QColor error = errorColor(pal);
    p->setBrush(failed ? error : accentColor(pal));
    const double shown = state == QLatin1String("finished") ? 1.0 : progress;
    if (shown > 0) p->drawRoundedRect(QRectF(bar.left(), bar.top(), bar.width() * shown, bar.height()), kBarHeight / 2.0, kBarHeight / 2.0);
    QString status = stateLabel(state);
    const double eta = index.data(QueueModel::EtaRole).toDouble();
    if (state == QLatin1String("running") && eta >= 0) status += tr(" · %1 left").arg(formatDuration(eta));
    if (state == QLatin1String("finished"))
        status += tr(" · %1").arg(formatDuration(index.data(QueueModel::AudioSecondsRole).toDouble()));
    p->setPen(failed ? error : mutedTextColor(pal));
    p->drawText(QRectF(bar.right() + kPadding, barTop - fm.height() / 2.0 + kBarHeight / 2.0, text.width() - bar.width() - kPadding, fm.height()),
                Qt::AlignLeft | Qt::AlignVCenter, status);

    const QString errorText = index.data(QueueModel::ErrorRole).toString();
    if (!errorText.isEmpty()) {
        p->setPen(error);
        p->drawText(QRect(text.left(), barTop + kBarHeight + 4, text.width(), 2 * fm.height()),
                    Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, errorText);
    }
    if (!action.isEmpty()) {
        const QRect button = actionRect(r);
        p->setPen(pal.color(QPalette::Mid));
        p->setBrush(pal.color(QPalette::Button));
        p->drawEllipse(QRectF(button).adjusted(0.5, 0.5, -0.5, -0.5));
        themedIcon(action == QLatin1String("cancel") ? "close" : "retry").paint(p, button.adjusted(6, 6, -6, -6));
    }
    p->restore();
}

bool QueueDelegate::editorEvent(QEvent* event, QAbstractItemModel* model, const QStyleOptionViewItem& option,
                                const QModelIndex& index) {
    if (event->type() == QEvent::MouseButtonRelease) {
        auto* mouse = static_cast<QMouseEvent*>(event);
        const QString action = actionFor(index.data(QueueModel::StateRole).toString());
        if (!action.isEmpty() && actionRect(option.rect).contains(mouse->position().toPoint())) {
            action == QLatin1String("cancel") ? Q_EMIT cancelClicked(index) : Q_EMIT retryClicked(index);
            return true;
        }
    }
    return QStyledItemDelegate::editorEvent(event, model, option, index);
}

} // namespace echoforge::ui
