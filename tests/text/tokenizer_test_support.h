#pragma once
// Shared by the tokenizer tests: where the fetched tokenizer.json is, and the corpus format.

#include <cstdint>
#include <string>
#include <vector>

#include <QDir>
#include <QFile>
#include <QString>
#include <QtTest>
#include <nlohmann/json.hpp>

#include "core/text/llama3_tokenizer.h"

namespace echoforge::testing {

// The tokenizer.json that the configure step fetched into the build tree.
inline QString fetchedTokenizerJson() {
    return QDir(ECHOFORGE_BUILD_DATA_DIR).filePath("tokenizer/tokenizer.json");
}

struct CorpusLine {
    int lineNumber;
    std::string text;
    std::vector<int32_t> ids;
};

// Reads a JSON-lines corpus of {"text": ..., "ids": [...]} objects; blank lines are skipped.
inline std::vector<CorpusLine> readCorpus(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot open the corpus %s", qPrintable(path));
    std::vector<CorpusLine> lines;
    int number = 0;
    while (!file.atEnd()) {
        const QByteArray raw = file.readLine();
        ++number;
        if (raw.trimmed().isEmpty())
            continue;
        try {
            const auto j = nlohmann::json::parse(raw.constData(), raw.constData() + raw.size());
            lines.push_back({number, j.at("text").get<std::string>(), j.at("ids").get<std::vector<int32_t>>()});
        } catch (const nlohmann::json::exception& e) {
            qFatal("%s line %d is not {\"text\": string, \"ids\": [int]}: %s", qPrintable(path), number, e.what());
        }
    }
    return lines;
}

inline QString idsToString(const std::vector<int32_t>& ids) {
    QStringList parts;
    for (const int32_t id : ids)
        parts << QString::number(id);
    return "[" + parts.join(',') + "]";
}

} // namespace echoforge::testing
