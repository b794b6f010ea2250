#include "core/engine/speech_text.h"

#include <algorithm>

#include <QTextBoundaryFinder>

#include "core/common/error.h"

namespace echoforge {
namespace {

bool hasWord(const QString& text) {
    // Code points, not UTF-16 units: letters outside the BMP count too.
    const auto ucs4 = text.toUcs4();
    return std::any_of(ucs4.begin(), ucs4.end(), [](char32_t c) { return QChar::isLetterOrNumber(c); });
}

} // namespace

void checkSpeakableText(const QString& text, int characterLimit) {
    if (text.trimmed().isEmpty())
        throw Error(ErrorKind::InvalidInput, "There is no text to speak; type a sentence first.");
    if (characterLimit > 0 && text.size() > characterLimit)
        throw Error(ErrorKind::Limit, QStringLiteral("The text is %1 characters long, over the limit of %2; split it into smaller parts "
                                   "(the limit is the textLimit setting).")
                        .arg(text.size()).arg(characterLimit));
    if (!hasWord(text))
        throw Error(ErrorKind::InvalidInput, "The text has no words to speak, only emoji or symbols.");
}

QStringList splitIntoSentences(const QString& text) {
    QStringList sentences;
    QTextBoundaryFinder finder(QTextBoundaryFinder::Sentence, text);
    qsizetype start = 0;
    while (finder.toNextBoundary() != -1) {
        const qsizetype end = finder.position();
        const QString piece = text.mid(start, end - start).simplified();
        if (hasWord(piece))
            sentences << piece;
        start = end;
    }
    return sentences;
}

} // namespace echoforge
