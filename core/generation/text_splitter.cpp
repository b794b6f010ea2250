#include "core/generation/text_splitter.h"

#include <QRegularExpression>
#include <QSet>

namespace echoforge {
namespace {

bool isSentenceEnd(QChar c) {
    return c == '.' || c == '!' || c == '?' || c == QChar(0x2026) /* … */ || c == QChar(0x3002) /* 。 */ ||
           c == QChar(0xFF01) /* ！ */ || c == QChar(0xFF1F) /* ？ */;
}

bool isClosingMark(QChar c) {
    return c == '"' || c == '\'' || c == ')' || c == ']' || c == QChar(0x201D) || c == QChar(0x2019) ||
           c == QChar(0x00BB);
}

// A period after one of these does not end a sentence.
bool isAbbreviation(const QString& word) {
    static const QSet<QString> known{"mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "vs", "etc",
                                     "e.g", "i.e", "fig", "mt", "capt", "gen", "col", "lt"};
    const QString w = word.toLower();
    return known.contains(w) || (w.size() == 1 && w[0].isLetter());
}

QString lastWordBefore(const QString& text, qsizetype end) {
    qsizetype start = end;
    while (start > 0 && (text[start - 1].isLetterOrNumber() || text[start - 1] == '.'))
        --start;
    return text.mid(start, end - start);
}

// Cuts a sentence longer than maxChars at the last clause mark that fits, else between words.
QStringList cutLongSentence(QString sentence, int maxChars) {
    QStringList parts;
    while (sentence.size() > maxChars) {
        qsizetype cut = -1;
        for (qsizetype i = maxChars - 1; i > maxChars / 3; --i) {
            const QChar c = sentence[i];
            if ((c == ',' || c == ';' || c == ':' || c == QChar(0x2014)) && i + 1 < sentence.size() &&
                sentence[i + 1].isSpace()) {
                cut = i + 1;
                break;
            }
        }
        if (cut < 0)
            cut = sentence.lastIndexOf(' ', maxChars);
        if (cut <= 0) {
            // One word longer than a piece: keep it whole rather than break it mid-word.
            cut = sentence.indexOf(' ', maxChars);
            if (cut < 0)
                break;
        }
        parts << sentence.left(cut).trimmed();
        sentence = sentence.mid(cut).trimmed();
    }
    if (!sentence.isEmpty())
        parts << sentence;
    return parts;
}

} // namespace

QStringList splitSentences(const QString& paragraph) {
    QStringList sentences;
    const QString text = paragraph.simplified();
    qsizetype start = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (!isSentenceEnd(text[i]))
            continue;
        const qsizetype markStart = i;
        while (i + 1 < text.size() && (isSentenceEnd(text[i + 1]) || isClosingMark(text[i + 1])))
            ++i;
        const bool atEnd = i + 1 >= text.size();
        if (!atEnd && !text[i + 1].isSpace() && text[markStart].unicode() < 0x3000)
            continue;  // "3.14", "example.com"
        if (text[markStart] == '.' && i == markStart && isAbbreviation(lastWordBefore(text, markStart)))
            continue;
        // "No. 5" numbers something; "No." alone is an answer.
        if (text[markStart] == '.' && lastWordBefore(text, markStart).toLower() == "no" && i + 2 < text.size() &&
            text[i + 2].isDigit())
            continue;
        // '"Go!" she said.': a lower-case word after the mark continues the sentence.
        if (!atEnd && i + 2 < text.size() && text[i + 2].isLower())
            continue;
        sentences << text.mid(start, i + 1 - start).trimmed();
        start = i + 1;
    }
    const QString rest = text.mid(start).trimmed();
    if (!rest.isEmpty())
        sentences << rest;
    return sentences;
}

QList<TextPiece> splitText(const QString& text, int maxChars) {
    QList<TextPiece> pieces;
    static const QRegularExpression paragraphBreak(QStringLiteral("\\n\\s*\\n"));
    for (const QString& paragraph : text.split(paragraphBreak, Qt::SkipEmptyParts)) {
        QString current;
        auto flush = [&] {
            if (!current.isEmpty())
                pieces.append({current, false});
            current.clear();
        };
        for (const QString& sentence : splitSentences(paragraph)) {
            for (const QString& part : cutLongSentence(sentence, maxChars)) {
                if (!current.isEmpty() && current.size() + 1 + part.size() > maxChars)
                    flush();
                current = current.isEmpty() ? part : current + ' ' + part;
            }
        }
        flush();
        if (!pieces.isEmpty())
            pieces.last().endsParagraph = true;
    }
    return pieces;
}

} // namespace echoforge
