#pragma once
// English text in the form CSM should read it: numbers, money, times, dates, units, abbreviations,
// acronyms, web addresses and symbols written out as words ("$20.50" -> "twenty dollars fifty
// cents", "Dr. Lee" -> "doctor Lee", "FBI" -> "F B I"). CSM reads digits and symbols unreliably;
// its maintainers advise giving it the spoken form. eSpeak NG has its own rules and gets the text
// as written.
//
// No library in Debian 12 does this for English from C or C++ (flite's and Festival's rules live
// inside their synthesis pipelines, espeak-ng's produce phonemes, not words), so the rules are
// ours. Where a reading has a convention they follow NVIDIA NeMo's English text normaliser (the
// American style: "one hundred twenty three", "twenty twelve", "one fifty nine p m");
// tests/data/normalizer/corpus.tsv names the source of every expected reading (docs/text.md).

#include <QString>

#include "core/text/lexicon.h"

namespace echoforge::text {

// The spoken form of `text`. The lexicon's words are replaced first, so its respellings win over
// every rule. Paragraph breaks (blank lines) and sentence punctuation are kept; pause marks
// ("[pause 1s]") should be split off first (pause_markup.h): their brackets would be read.
QString normalizeForSpeech(const QString& text, const Lexicon& lexicon = {});

// What will be spoken, for previews and `echoforge-cli normalize`: each part between pause marks
// normalised, the marks kept in one written form ("[pause 0.8s]").
QString spokenForm(const QString& text, const Lexicon& lexicon = {});

} // namespace echoforge::text
