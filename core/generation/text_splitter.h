#pragma once
// Splits long text into pieces that each fit the model's window, at paragraph and sentence
// boundaries, so a long chapter is generated piece by piece with the previous piece as context.

#include <QList>
#include <QString>

namespace echoforge {

struct TextPiece {
    QString text;
    bool endsParagraph = false;  // a longer pause follows
};

// Pieces of at most `maxChars` characters (a piece is longer only when one word is). Sentences
// stay whole where they fit; a longer sentence is cut at a clause mark (, ; :) or else between
// words. Blank-line separated paragraphs never share a piece. Empty text gives no pieces.
QList<TextPiece> splitText(const QString& text, int maxChars);

// The sentences of one paragraph, with their closing punctuation and quotes.
QStringList splitSentences(const QString& paragraph);

} // namespace echoforge
