#include "core/tasks/script.h"

#include <QObject>
#include <QRegularExpression>

namespace echoforge {
namespace {
constexpr double kWordsPerSecond = 2.7;      // conversational English, ~160 words a minute
constexpr double kSentencePauseSeconds = 0.3;
constexpr int kLongestSpeakerName = 40;
} // namespace

ScriptParse parseScript(const QString& script) {
    static const QRegularExpression turnStart(QStringLiteral(R"(^\s*([^:]{1,%1}?)\s*:\s*(.*)$)").arg(kLongestSpeakerName));
    ScriptParse out;
    const QStringList lines = script.split('\n');
    for (int i = 0; i < lines.size(); ++i) {
        const QString line = lines[i].trimmed();
        if (line.isEmpty())
            continue;
        const auto m = turnStart.match(line);
        if (m.hasMatch() && !m.captured(1).trimmed().isEmpty()) {
            out.turns << ScriptTurn{m.captured(1).trimmed(), m.captured(2).trimmed(), i + 1};
        } else if (!out.turns.isEmpty()) {
            out.turns.last().text += (out.turns.last().text.isEmpty() ? "" : " ") + line;
        } else {
            out.error = QObject::tr("Line %1 has no speaker: write it as \"Name: what they say\".").arg(i + 1);
            return out;
        }
    }
    for (const ScriptTurn& t : out.turns) {
        if (t.text.isEmpty()) {
            out.error = QObject::tr("Line %1 gives %2 nothing to say.").arg(t.line).arg(t.speaker);
            return out;
        }
    }
    if (out.turns.isEmpty())
        out.error = QObject::tr("The script is empty: write lines such as \"Mara: Hello there.\"");
    return out;
}

double estimateSpeechSeconds(const QString& text) {
    static const QRegularExpression sentenceEnd(QStringLiteral(R"([.!?…]+(\s|$))"));
    const int words = int(text.split(QRegularExpression(QStringLiteral(R"(\s+)")), Qt::SkipEmptyParts).size());
    if (words == 0)
        return 0;
    const int sentences = int(text.count(sentenceEnd));
    return words / kWordsPerSecond + sentences * kSentencePauseSeconds;
}

} // namespace echoforge
