#include "ui/widgets/value_slider.h"

#include <cmath>

#include <QAccessibleWidget>

namespace echoforge::ui {
namespace {

class ValueSliderAccessible : public QAccessibleWidget, public QAccessibleValueInterface {
public:
    explicit ValueSliderAccessible(ValueSlider* slider) : QAccessibleWidget(slider, QAccessible::Slider) {}

    void* interface_cast(QAccessible::InterfaceType type) override {
        return type == QAccessible::ValueInterface ? static_cast<QAccessibleValueInterface*>(this)
                                                   : QAccessibleWidget::interface_cast(type);
    }
    QString text(QAccessible::Text t) const override {
        return t == QAccessible::Value ? slider()->valueText() : QAccessibleWidget::text(t);
    }
    QVariant currentValue() const override { return slider()->realValue(); }
    void setCurrentValue(const QVariant& value) override { slider()->setValue(slider()->toTicks(value.toDouble())); }
    QVariant maximumValue() const override { return slider()->toReal(slider()->maximum()); }
    QVariant minimumValue() const override { return slider()->toReal(slider()->minimum()); }
    QVariant minimumStepSize() const override { return slider()->range().step * slider()->singleStep(); }

private:
    ValueSlider* slider() const { return static_cast<ValueSlider*>(widget()); }
};

QAccessibleInterface* valueSliderFactory(const QString& className, QObject* object) {
    if (className == QLatin1String(ValueSlider::staticMetaObject.className()) && object && object->isWidgetType())
        return new ValueSliderAccessible(static_cast<ValueSlider*>(object));
    return nullptr;
}

} // namespace

ValueSlider::ValueSlider(const SliderRange& range, Qt::Orientation orientation, QWidget* parent)
    : QSlider(orientation, parent), range_(range) {
    setRange(0, toTicks(range.maximum));
    static const bool installed = [] {
        QAccessible::installFactory(valueSliderFactory);
        return true;
    }();
    Q_UNUSED(installed);
}

int ValueSlider::toTicks(double real) const {
    return static_cast<int>(std::lround((real - range_.minimum) / range_.step));
}

QString ValueSlider::valueText() const { return QString::number(realValue(), 'f', range_.decimals); }

} // namespace echoforge::ui
