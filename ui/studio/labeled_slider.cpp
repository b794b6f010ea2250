#include "ui/studio/labeled_slider.h"

#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QToolButton>

#include "ui/theme/icons.h"
#include "ui/widgets/value_slider.h"

namespace echoforge::ui {

LabeledSlider::LabeledSlider(const QString& label, const SliderRange& range, QWidget* parent)
    : QWidget(parent), range_(range) {
    auto* row = new QHBoxLayout(this);
    row->setContentsMargins(0, 0, 0, 0);
    row->setSpacing(8);
    label_ = new QLabel(label, this);
    label_->setMinimumWidth(label_->fontMetrics().horizontalAdvance(tr("Temperature")) + 8);
    slider_ = new ValueSlider(range, Qt::Horizontal, this);
    slider_->setAccessibleName(label);
    entry_ = new QDoubleSpinBox(this);
    entry_->setRange(range.minimum, range.maximum);
    entry_->setDecimals(range.decimals);
    entry_->setSingleStep(range.step);
    entry_->setAlignment(Qt::AlignRight);
    entry_->setAccessibleName(tr("%1 value").arg(label));
    reset_ = new QToolButton(this);
    reset_->setIcon(themedIcon("reset"));
    reset_->setAutoRaise(true);
    reset_->setAccessibleName(tr("Reset %1").arg(label));
    label_->setBuddy(entry_);

    row->addWidget(label_);
    row->addWidget(slider_, 1);
    row->addWidget(entry_);
    row->addWidget(reset_);

    connect(slider_, &QSlider::valueChanged, this, [this](int ticks) {
        const double v = slider_->toReal(ticks);
        const QSignalBlocker block(entry_);
        entry_->setValue(v);
        Q_EMIT valueChanged(entry_->value());
    });
    connect(entry_, &QDoubleSpinBox::valueChanged, this, [this](double v) {
        const QSignalBlocker block(slider_);
        slider_->setValue(slider_->toTicks(v));
        Q_EMIT valueChanged(v);
    });
    connect(reset_, &QToolButton::clicked, this, [this] { setValue(range_.defaultValue); });
    setDefaultValue(range.defaultValue);
    setValue(range.defaultValue);
}

int LabeledSlider::labelWidth() const { return label_->minimumWidth(); }

double LabeledSlider::value() const { return entry_->value(); }

void LabeledSlider::setValue(double value) {
    entry_->setValue(value);
    const QSignalBlocker block(slider_);
    slider_->setValue(slider_->toTicks(entry_->value()));
}

void LabeledSlider::setDefaultValue(double value) {
    range_.defaultValue = value;
    reset_->setToolTip(tr("Reset to %1").arg(QString::number(value, 'f', range_.decimals)));
}

} // namespace echoforge::ui
