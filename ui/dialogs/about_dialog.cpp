#include "ui/dialogs/about_dialog.h"

#include <QApplication>
#include <QDialogButtonBox>
#include <QLabel>
#include <QVBoxLayout>

namespace echoforge::ui {

AboutDialog::AboutDialog(const QString& engineName, QWidget* parent) : QDialog(parent) {
    setWindowTitle(tr("About EchoForge"));
    setAccessibleName(tr("About EchoForge"));
    auto* column = new QVBoxLayout(this);
    auto* title = new QLabel(tr("<h2>EchoForge %1</h2>").arg(QApplication::applicationVersion()), this);
    auto* body = new QLabel(
        tr("<p>Expressive text-to-speech on your own computer, with Sesame's CSM-1B model through libtorch. "
           "Nothing you type or record leaves this machine.</p>"
           "<p>Speaking now with: <b>%1</b></p>"
           "<p>Built with Qt %2, libtorch, QCoro, spdlog, eSpeak NG, libsndfile, libsoxr and libebur128. "
           "The CSM-1B and Mimi weights are Sesame's and Kyutai's, under their own licences.</p>")
            .arg(engineName.toHtmlEscaped(), QString::fromLatin1(qVersion())),
        this);
    body->setWordWrap(true);
    body->setTextInteractionFlags(Qt::TextBrowserInteraction);
    body->setOpenExternalLinks(true);
    body->setAccessibleName(tr("About text"));
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    column->addWidget(title);
    column->addWidget(body);
    column->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    setMinimumWidth(420);
}

} // namespace echoforge::ui
