// Settings → API: serve the HTTP API from the studio (off by default), its port and address, and
// the token with Copy and Regenerate. An address other than loopback is warned about here too.

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHostAddress>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>

#include "core/api/api_host.h"
#include "core/common/error.h"
#include "ui/settings/settings_dialog.h"
#include "ui/theme/theme.h"

namespace echoforge::ui {

QGroupBox* SettingsDialog::apiGroup(const Settings& settings) {
    auto* group = new QGroupBox(tr("HTTP API"), this);
    auto* form = new QFormLayout(group);
    apiEnabled_ = new QCheckBox(tr("Serve the API (docs/api.md) while the studio runs"), group);
    apiEnabled_->setChecked(settings.apiEnabled);
    apiEnabled_->setAccessibleName(tr("Serve the HTTP API"));
    form->addRow(apiEnabled_);

    apiBind_ = new QLineEdit(settings.apiBind, group);
    apiBind_->setAccessibleName(tr("API address"));
    apiBind_->setPlaceholderText(QStringLiteral("127.0.0.1"));
    apiPort_ = new QSpinBox(group);
    apiPort_->setRange(1, 65535);
    apiPort_->setValue(settings.apiPort);
    apiPort_->setAccessibleName(tr("API port"));
    auto* addressRow = new QHBoxLayout;
    addressRow->addWidget(apiBind_, 1);
    addressRow->addWidget(new QLabel(tr("Port"), group));
    addressRow->addWidget(apiPort_);
    form->addRow(tr("Address"), addressRow);

    apiToken_ = new QLineEdit(group);
    apiToken_->setReadOnly(true);
    apiToken_->setAccessibleName(tr("API token"));
    apiToken_->setPlaceholderText(tr("Made when the API first starts"));
    auto* copy = new QPushButton(tr("Copy"), group);
    copy->setAccessibleName(tr("Copy the API token"));
    auto* regenerate = new QPushButton(tr("Regenerate"), group);
    regenerate->setAccessibleName(tr("Regenerate the API token"));
    copy->setObjectName("apiCopy");
    regenerate->setObjectName("apiRegenerate");
    copy->setEnabled(false);
    regenerate->setEnabled(false);
    auto* tokenRow = new QHBoxLayout;
    tokenRow->addWidget(apiToken_, 1);
    tokenRow->addWidget(copy);
    tokenRow->addWidget(regenerate);
    form->addRow(tr("Token"), tokenRow);

    apiWarning_ = new QLabel(tr("Other computers can reach this address: anyone with the token can use your voices."), group);
    apiWarning_->setWordWrap(true);
    apiWarning_->setAccessibleName(tr("API address warning"));
    markMuted(apiWarning_);
    form->addRow(apiWarning_);
    const auto updateWarning = [this] {
        const QString bind = apiBind_->text().trimmed();
        QHostAddress address;
        apiWarning_->setVisible(!(bind.isEmpty() || bind == "localhost" || (address.setAddress(bind) && address.isLoopback())));
    };
    updateWarning();
    connect(apiBind_, &QLineEdit::textChanged, this, updateWarning);
    connect(copy, &QPushButton::clicked, this, [this] { QApplication::clipboard()->setText(apiToken_->text()); });
    connect(regenerate, &QPushButton::clicked, this, [this] {
        if (apiHost_)
            apiToken_->setText(apiHost_->regenerateToken());
    });
    return group;
}

void SettingsDialog::setApiHost(api::ApiHost* host) {
    apiHost_ = host;
    if (!host)
        return;
    try {
        apiToken_->setText(host->token());
    } catch (const Error& e) {
        apiToken_->setPlaceholderText(e.sentence());
    }
    for (auto* button : findChildren<QPushButton*>())
        if (button->objectName() == "apiCopy" || button->objectName() == "apiRegenerate")
            button->setEnabled(!apiToken_->text().isEmpty());
}

} // namespace echoforge::ui
