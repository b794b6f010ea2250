#include "ui/dialogs/diagnostics_dialog.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace echoforge::ui {
namespace {

// "total_bytes" → "Total", values in bytes as "7.8 GiB".
QString readableKey(QString key) {
    const bool bytes = key.endsWith(QLatin1String("_bytes"));
    if (bytes) key.chop(6);
    key.replace('_', ' ');
    if (!key.isEmpty()) key[0] = key[0].toUpper();
    return key;
}

QString readableValue(const QString& key, const QJsonValue& v) {
    if (v.isBool()) return v.toBool() ? QObject::tr("yes") : QObject::tr("no");
    if (v.isDouble() && key.endsWith(QLatin1String("_bytes")))
        return QLocale().formattedDataSize(static_cast<qint64>(v.toDouble()), 1, QLocale::DataSizeTraditionalFormat);
    if (v.isDouble()) return QLocale().toString(v.toDouble(), 'g', 10);
    return v.toString();
}

void addValue(QTreeWidgetItem* parent, const QString& key, const QJsonValue& v) {
    auto* item = new QTreeWidgetItem(parent, {readableKey(key)});
    if (v.isObject()) {
        const QJsonObject o = v.toObject();
        for (auto it = o.begin(); it != o.end(); ++it) addValue(item, it.key(), it.value());
        item->setExpanded(true);
    } else if (v.isArray()) {
        const QJsonArray a = v.toArray();
        for (int i = 0; i < a.size(); ++i) addValue(item, QString::number(i + 1), a[i]);
        item->setExpanded(true);
    } else {
        item->setText(1, readableValue(key, v));
    }
}

} // namespace

DiagnosticsDialog::DiagnosticsDialog(QWidget* parent) : QDialog(parent) {
    setWindowTitle(tr("Diagnostics"));
    setAccessibleName(tr("Diagnostics"));
    auto* column = new QVBoxLayout(this);
    tree_ = new QTreeWidget(this);
    tree_->setAccessibleName(tr("Diagnostic report"));
    tree_->setHeaderLabels({tr("Item"), tr("Value")});
    tree_->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    tree_->setAlternatingRowColors(true);
    tree_->setUniformRowHeights(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    auto* copy = buttons->addButton(tr("Copy to clipboard"), QDialogButtonBox::ActionRole);
    copy->setAccessibleName(tr("Copy the report to the clipboard"));
    column->addWidget(tree_);
    column->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(copy, &QPushButton::clicked, this, [this] { QApplication::clipboard()->setText(reportJson()); });
    new QTreeWidgetItem(tree_, {tr("Collecting the report…")});
    resize(640, 560);
}

void DiagnosticsDialog::setReport(const QJsonObject& report) {
    report_ = report;
    tree_->clear();
    for (auto it = report.begin(); it != report.end(); ++it) {
        if (it.value().isObject() || it.value().isArray()) {
            auto* root = new QTreeWidgetItem(tree_, {readableKey(it.key())});
            QFont bold = root->font(0);
            bold.setBold(true);
            root->setFont(0, bold);
            if (it.value().isObject()) {
                const QJsonObject o = it.value().toObject();
                for (auto c = o.begin(); c != o.end(); ++c) addValue(root, c.key(), c.value());
            } else {
                const QJsonArray a = it.value().toArray();
                for (int i = 0; i < a.size(); ++i) addValue(root, QString::number(i + 1), a[i]);
            }
            root->setExpanded(true);
        } else {
            auto* item = new QTreeWidgetItem(tree_, {readableKey(it.key()), readableValue(it.key(), it.value())});
            Q_UNUSED(item);
        }
    }
}

QString DiagnosticsDialog::reportJson() const {
    return QString::fromUtf8(QJsonDocument(report_).toJson(QJsonDocument::Indented));
}

} // namespace echoforge::ui
