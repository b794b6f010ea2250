#include "ui/settings/settings_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QTabWidget>
#include <QThread>
#include <QToolButton>
#include <QVBoxLayout>

#include "ui/settings/models_page.h"
#include "ui/theme/theme.h"

namespace echoforge::ui {
namespace {

QComboBox* choiceBox(const QList<QPair<QString, QString>>& choices, const QString& current, const QString& name,
                     QWidget* parent) {
    auto* box = new QComboBox(parent);
    for (const auto& [key, text] : choices)
        box->addItem(text, key);
    box->setCurrentIndex(std::max(0, box->findData(current)));
    box->setAccessibleName(name);
    return box;
}

QSpinBox* numberBox(int min, int max, int value, const QString& suffix, const QString& name, QWidget* parent) {
    auto* box = new QSpinBox(parent);
    box->setRange(min, max);
    box->setValue(value);
    box->setSuffix(suffix);
    box->setAccessibleName(name);
    box->setAlignment(Qt::AlignRight);
    return box;
}

} // namespace

QLineEdit* SettingsDialog::folderRow(QLineEdit* edit, const QString& placeholder, QWidget* parent, QFormLayout* form,
                                     const QString& label) {
    edit->setPlaceholderText(placeholder);
    edit->setAccessibleName(label);
    auto* browse = new QToolButton(parent);
    browse->setText(tr("Browse…"));
    browse->setAccessibleName(tr("Choose the %1").arg(label.toLower()));
    auto* row = new QHBoxLayout;
    row->addWidget(edit, 1);
    row->addWidget(browse);
    form->addRow(label, row);
    connect(browse, &QToolButton::clicked, this, [this, edit, label] {
        const QString dir = QFileDialog::getExistingDirectory(this, label, edit->text());
        if (!dir.isEmpty()) edit->setText(dir);
    });
    return edit;
}

SettingsDialog::SettingsDialog(const Settings& settings, const QString& defaultModelDir, QWidget* parent,
                               ModelManager* models)
    : QDialog(parent), base_(settings) {
    setWindowTitle(tr("Settings"));
    setAccessibleName(tr("Settings"));
    auto* outer = new QVBoxLayout(this);
    tabs_ = new QTabWidget(this);
    tabs_->setAccessibleName(tr("Settings pages"));
    auto* general = new QWidget(tabs_);
    auto* column = new QVBoxLayout(general);

    auto* engineGroup = new QGroupBox(tr("Speech engine"), this);
    auto* engineForm = new QFormLayout(engineGroup);
    modelDir_ = folderRow(new QLineEdit(settings.modelDir, engineGroup), defaultModelDir, engineGroup, engineForm,
                          tr("Model folder"));
    engine_ = choiceBox({{"auto", tr("Automatic: CSM-1B when installed, else eSpeak NG")},
                         {"csm", tr("CSM-1B")},
                         {"espeak", tr("eSpeak NG")}},
                        settings.engine, tr("Engine"), engineGroup);
    engineForm->addRow(tr("Engine"), engine_);
    device_ = choiceBox({{"auto", tr("Automatic")}, {"cpu", tr("CPU")}, {"cuda", tr("CUDA GPU")}}, settings.device,
                        tr("Device"), engineGroup);
    engineForm->addRow(tr("Device"), device_);
    // "Every core" is a box of its own, not a special 0 in the spin box: a screen reader reads
    // a spin box's number, and 0 threads is not what it means.
    const int cores = QThread::idealThreadCount();
    everyCore_ = new QCheckBox(tr("Every core (%1)").arg(cores), engineGroup);
    everyCore_->setAccessibleName(tr("Threads: every core"));
    everyCore_->setChecked(settings.threads <= 0);
    threads_ = numberBox(1, 4 * cores, settings.threads > 0 ? settings.threads : cores, {}, tr("Threads"), engineGroup);
    threads_->setEnabled(settings.threads > 0);
    connect(everyCore_, &QCheckBox::toggled, threads_, [this](bool all) { threads_->setEnabled(!all); });
    auto* threadsRow = new QHBoxLayout;
    threadsRow->addWidget(everyCore_);
    threadsRow->addWidget(threads_, 1);
    engineForm->addRow(tr("Threads"), threadsRow);
    precision_ = choiceBox({{"auto", tr("Automatic")},
                            {"fp32", tr("32-bit float")},
                            {"bf16", tr("bfloat16")},
                            {"int8", tr("8-bit integer")},
                            {"q4", tr("4-bit integer (fastest, furthest from the reference)")}},
                           settings.precision, tr("Precision"), engineGroup);
    engineForm->addRow(tr("Precision"), precision_);
    // CSM streams made at once, 1 to 8, with the lowest in words ("One after another").
    auto streamsRow = [&](int value, const QString& suffix, const QString& lowest, const QString& label, const QString& tip) {
        QSpinBox* box = numberBox(1, 8, value, suffix, label, engineGroup);
        box->setSpecialValueText(lowest);
        box->setToolTip(tip);
        engineForm->addRow(label, box);
        return box;
    };
    // Pieces side by side trade the joins' smoothness for speed on a CPU (docs/generation.md).
    pieceStreams_ = streamsRow(settings.pieceStreams, tr(" side by side"), tr("One after another"), tr("Long text pieces"),
                               tr("One after another: each piece of a long text hears the one before, for the smoothest "
                                  "joins. Side by side: each hears the voice alone, and that many are made at once, "
                                  "which is faster on a CPU."));
    // Queued jobs at once change how fast each job goes, never what it says (docs/generation.md).
    jobStreams_ = streamsRow(settings.jobStreams, tr(" at once"), tr("One at a time"), tr("Queued jobs"),
                             tr("How many queued CSM jobs are spoken at the same time, their frames made together: more "
                                "jobs finish per minute on a CPU, each a little slower than alone. A job sounds the same "
                                "either way."));
    idleUnload_ = numberBox(0, 24 * 60, settings.modelIdleUnloadMinutes, tr(" min"), tr("Unload the model after"),
                            engineGroup);
    idleUnload_->setSpecialValueText(tr("Never"));
    engineForm->addRow(tr("Unload when idle for"), idleUnload_);
    auto* note = new QLabel(tr("These apply from the next job: CSM loads again with them."), engineGroup);
    note->setWordWrap(true);
    markMuted(note);
    engineForm->addRow(note);

    auto* lookGroup = new QGroupBox(tr("Look and output"), this);
    auto* lookForm = new QFormLayout(lookGroup);
    theme_ = choiceBox({{"system", tr("Follow the system")}, {"light", tr("Light")}, {"dark", tr("Dark")}},
                       settings.theme, tr("Theme"), lookGroup);
    lookForm->addRow(tr("Theme"), theme_);
    outputDir_ = folderRow(new QLineEdit(settings.outputDir, lookGroup), tr("Your Music folder"), lookGroup, lookForm,
                           tr("Output folder"));

    auto* limitsGroup = new QGroupBox(tr("Limits"), this);
    auto* limitsForm = new QFormLayout(limitsGroup);
    queueLimit_ = numberBox(1, 10000, settings.queueLimit, tr(" jobs"), tr("Queue length"), limitsGroup);
    textLimit_ = numberBox(100, 1000000, settings.textLimit, tr(" characters"), tr("Text per request"), limitsGroup);
    audioLimit_ = numberBox(5, 3600, settings.audioLimitSeconds, tr(" s"), tr("Audio per request"), limitsGroup);
    cacheLimit_ = numberBox(64, 1 << 20, settings.cacheLimitMegabytes, tr(" MB"), tr("Audio cache"), limitsGroup);
    limitsForm->addRow(tr("Queue length"), queueLimit_);
    limitsForm->addRow(tr("Text per request"), textLimit_);
    limitsForm->addRow(tr("Audio per request"), audioLimit_);
    limitsForm->addRow(tr("Audio cache"), cacheLimit_);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    column->addWidget(engineGroup);
    column->addWidget(lookGroup);
    column->addWidget(limitsGroup);
    column->addStretch(1);
    tabs_->addTab(general, tr("General"));
    modelsPage_ = new ModelsPage(models, settings.hubToken, tabs_);
    tabs_->addTab(modelsPage_, tr("Models"));
    auto* apiPage = new QWidget(tabs_);
    auto* apiColumn = new QVBoxLayout(apiPage);
    apiColumn->addWidget(apiGroup(settings));
    apiColumn->addStretch(1);
    tabs_->addTab(apiPage, tr("API"));
    outer->addWidget(tabs_);
    outer->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(theme_, &QComboBox::currentIndexChanged, this,
            [this] { Q_EMIT themePreviewRequested(theme_->currentData().toString()); });
    setMinimumWidth(520);
}

void SettingsDialog::showModelsTab() { tabs_->setCurrentWidget(modelsPage_); }

Settings SettingsDialog::settings() const {
    Settings s = base_;
    s.hubToken = modelsPage_->token();
    s.modelDir = modelDir_->text().trimmed();
    s.engine = engine_->currentData().toString();
    s.device = device_->currentData().toString();
    s.threads = everyCore_->isChecked() ? 0 : threads_->value();
    s.precision = precision_->currentData().toString();
    s.pieceStreams = pieceStreams_->value();
    s.jobStreams = jobStreams_->value();
    s.modelIdleUnloadMinutes = idleUnload_->value();
    s.theme = theme_->currentData().toString();
    s.outputDir = outputDir_->text().trimmed();
    s.queueLimit = queueLimit_->value();
    s.textLimit = textLimit_->value();
    s.audioLimitSeconds = audioLimit_->value();
    s.cacheLimitMegabytes = cacheLimit_->value();
    s.apiEnabled = apiEnabled_->isChecked();
    s.apiPort = apiPort_->value();
    s.apiBind = apiBind_->text().trimmed().isEmpty() ? QStringLiteral("127.0.0.1") : apiBind_->text().trimmed();
    return s;
}

} // namespace echoforge::ui
