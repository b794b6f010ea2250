#pragma once
// The text normaliser's rules (text_normalizer.h), each a pass over the whole text that rewrites
// what its pattern matches. Internal to core/text.

#include <functional>

#include <QRegularExpression>
#include <QString>

namespace echoforge::text::rules {

// Replaces every match of `re` by what `reading` returns for it; a null QString leaves the match
// as it is. A reading that would touch a letter or digit on either side gets a space there.
void substitute(QString& text, const QRegularExpression& re,
                const std::function<QString(const QRegularExpressionMatch&)>& reading);

// "1,234.5" -> "one thousand two hundred thirty four point five"; "004" -> "zero zero four".
QString numberReading(const QString& number);
// Whether the text after `end` starts a new sentence: a space and a capital letter.
bool sentenceContinuesWithCapital(const QString& text, qsizetype end);

// Passes, in the order normalizeForSpeech runs them.
void readElectronic(QString& text);    // e-mail addresses and URLs
void expandAbbreviations(QString& text);
void readPhoneNumbers(QString& text);
void readTimes(QString& text);
void readDates(QString& text);
void readMoney(QString& text);
void readMeasures(QString& text);      // units and percentages
void readRanges(QString& text);
void readOrdinalsAndDecades(QString& text);
void readFractions(QString& text);
void readNumbers(QString& text);
void readAcronyms(QString& text);
void readSymbols(QString& text);

} // namespace echoforge::text::rules
