// echoforge-render-icon SVG SIZE PNG: renders the application icon at SIZE x SIZE pixels for the
// hicolor icon theme. Qt's own SVG renderer, so packaging needs nothing beyond the build's Qt.

#include <cstdio>

#include <QGuiApplication>
#include <QImage>
#include <QPainter>
#include <QSvgRenderer>

int main(int argc, char** argv) {
    qputenv("QT_QPA_PLATFORM", "offscreen");   // a build machine has no display
    QGuiApplication app(argc, argv);
    const QStringList args = app.arguments();
    bool ok = false;
    const int size = args.size() == 4 ? args[2].toInt(&ok) : 0;
    if (!ok || size < 8 || size > 4096) {
        std::fprintf(stderr, "usage: echoforge-render-icon SVG SIZE PNG\n");
        return 2;
    }
    QSvgRenderer svg(args[1]);
    if (!svg.isValid()) {
        std::fprintf(stderr, "echoforge-render-icon: cannot read %s\n", qPrintable(args[1]));
        return 1;
    }
    QImage image(size, size, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    svg.render(&painter);
    painter.end();
    if (!image.save(args[3], "PNG")) {
        std::fprintf(stderr, "echoforge-render-icon: cannot write %s\n", qPrintable(args[3]));
        return 1;
    }
    return 0;
}
