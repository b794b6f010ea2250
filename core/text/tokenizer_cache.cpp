#include "core/text/tokenizer_cache.h"

#include <cstring>

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

#include "core/common/logging.h"

namespace echoforge::text {
namespace {

// Bump when the layout below changes: an older copy is then a miss.
constexpr char kMagic[8] = {'E', 'F', 'T', 'O', 'K', 'v', '1', '\0'};

// FNV-1a's step over 8-byte words (then the tail byte by byte), over the whole copy: a flipped or
// lost byte anywhere makes it a miss. Words rather than bytes: the copy is 5 MB and read on every
// start of `tokenize`.
std::uint64_t fnv1a(const char* data, std::size_t size) {
    constexpr std::uint64_t kPrime = 1099511628211ull;
    std::uint64_t h = 14695981039346656037ull;
    std::size_t i = 0;
    for (; i + 8 <= size; i += 8) {
        std::uint64_t word;
        std::memcpy(&word, data + i, sizeof word);
        h = (h ^ word) * kPrime;
    }
    for (; i < size; ++i)
        h = (h ^ static_cast<unsigned char>(data[i])) * kPrime;
    return h;
}

// What identifies the JSON the copy was made from.
struct SourceKey {
    QByteArray path;
    std::int64_t size = 0;
    std::int64_t modifiedMs = 0;
};

SourceKey sourceKey(const QString& jsonPath) {
    const QFileInfo info(jsonPath);
    return {info.absoluteFilePath().toUtf8(), info.size(), info.lastModified().toMSecsSinceEpoch()};
}

class Writer {
public:
    template <typename T>
    void value(T v) { bytes_.append(reinterpret_cast<const char*>(&v), sizeof v); }
    void blob(const char* data, std::size_t size) {
        value(std::uint32_t(size));
        bytes_.append(data, qsizetype(size));
    }
    QByteArray& bytes() { return bytes_; }

private:
    QByteArray bytes_;
};

// Reads values off the copy; any read past its end turns `ok` false for good.
class Reader {
public:
    Reader(const char* data, std::size_t size) : data_(data), size_(size) {}
    template <typename T>
    T value() {
        T v{};
        if (!ok || size_ - at_ < sizeof v) {
            ok = false;
            return v;
        }
        std::memcpy(&v, data_ + at_, sizeof v);
        at_ += sizeof v;
        return v;
    }
    std::string_view blob() {
        const auto n = value<std::uint32_t>();
        if (!ok || size_ - at_ < n) {
            ok = false;
            return {};
        }
        const std::string_view s(data_ + at_, n);
        at_ += n;
        return s;
    }
    // A count of items of `itemBytes` each that the rest of the copy can hold.
    std::uint32_t count(std::size_t itemBytes) {
        const auto n = value<std::uint32_t>();
        if (ok && std::size_t(n) * itemBytes > size_ - at_)
            ok = false;
        return ok ? n : 0;
    }
    bool ok = true;
    std::size_t at() const { return at_; }

private:
    const char* data_;
    std::size_t size_;
    std::size_t at_ = 0;
};

} // namespace

QString tokenizerCopyPath(const QString& cacheDir, const QString& jsonPath) {
    const QByteArray key = QCryptographicHash::hash(QFileInfo(jsonPath).absoluteFilePath().toUtf8(), QCryptographicHash::Sha1);
    return QDir(cacheDir).filePath(QStringLiteral("tokenizer/%1.tables").arg(QString::fromLatin1(key.toHex().left(16))));
}

std::optional<TokenizerTablesCopy> readTokenizerCopy(const QString& copyPath, const QString& jsonPath) {
    QFile file(copyPath);
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    const QByteArray bytes = file.readAll();
    auto miss = [&](const char* why) -> std::optional<TokenizerTablesCopy> {
        logger(LogArea::Model)->info("the tokenizer's cached tables {} are not used: {}", copyPath, why);
        return std::nullopt;
    };
    if (bytes.size() < qsizetype(sizeof kMagic + sizeof(std::uint64_t)) || std::memcmp(bytes.constData(), kMagic, sizeof kMagic) != 0)
        return miss("another format");
    const std::size_t body = std::size_t(bytes.size()) - sizeof(std::uint64_t);
    std::uint64_t stored = 0;
    std::memcpy(&stored, bytes.constData() + body, sizeof stored);
    if (fnv1a(bytes.constData(), body) != stored)
        return miss("damaged");

    Reader r(bytes.constData() + sizeof kMagic, body - sizeof kMagic);
    const SourceKey now = sourceKey(jsonPath);
    const std::string_view path = r.blob();
    const auto size = r.value<std::int64_t>();
    const auto modified = r.value<std::int64_t>();
    if (!r.ok || path != std::string_view(now.path.constData(), now.path.size()) || size != now.size || modified != now.modifiedMs)
        return miss("made from another tokenizer.json, or before it changed");

    TokenizerTablesCopy copy;
    copy.beginOfText = r.value<std::int32_t>();
    copy.endOfText = r.value<std::int32_t>();
    copy.ignoreMerges = r.value<std::uint8_t>() != 0;
    const std::uint32_t ids = r.count(sizeof(std::uint32_t));
    copy.idToBytes.reserve(ids);
    for (std::uint32_t i = 0; i < ids && r.ok; ++i)
        copy.idToBytes.emplace_back(r.blob());
    const std::uint32_t vocab = r.count(sizeof(std::int32_t));
    copy.vocabOrder.resize(vocab);
    for (auto& id : copy.vocabOrder)
        id = r.value<std::int32_t>();
    const std::uint32_t merges = r.count(3 * sizeof(std::int32_t));
    copy.merges.resize(merges);
    for (auto& m : copy.merges)
        for (auto& id : m)
            id = r.value<std::int32_t>();
    if (!r.ok || r.at() != body - sizeof kMagic)
        return miss("its length does not match its contents");
    // Every id must name an entry: the replay indexes idToBytes with them.
    const auto valid = [&](std::int32_t id) { return id >= 0 && std::size_t(id) < copy.idToBytes.size(); };
    if (!valid(copy.beginOfText) || !valid(copy.endOfText))
        return miss("its special ids are out of range");
    for (const auto id : copy.vocabOrder)
        if (!valid(id))
            return miss("a vocabulary id is out of range");
    for (const auto& m : copy.merges)
        if (!valid(m[0]) || !valid(m[1]) || !valid(m[2]))
            return miss("a merge names an id out of range");
    return copy;
}

void writeTokenizerCopy(const QString& copyPath, const QString& jsonPath, const TokenizerTablesCopy& copy) {
    Writer w;
    w.bytes().append(kMagic, sizeof kMagic);
    const SourceKey key = sourceKey(jsonPath);
    w.blob(key.path.constData(), std::size_t(key.path.size()));
    w.value(key.size);
    w.value(key.modifiedMs);
    w.value(copy.beginOfText);
    w.value(copy.endOfText);
    w.value(std::uint8_t(copy.ignoreMerges ? 1 : 0));
    w.value(std::uint32_t(copy.idToBytes.size()));
    for (const std::string& b : copy.idToBytes)
        w.blob(b.data(), b.size());
    w.value(std::uint32_t(copy.vocabOrder.size()));
    for (const auto id : copy.vocabOrder)
        w.value(id);
    w.value(std::uint32_t(copy.merges.size()));
    for (const auto& m : copy.merges)
        for (const auto id : m)
            w.value(id);
    w.value(fnv1a(w.bytes().constData(), std::size_t(w.bytes().size())));

    QDir().mkpath(QFileInfo(copyPath).absolutePath());
    QSaveFile file(copyPath);
    if (!file.open(QIODevice::WriteOnly) || file.write(w.bytes()) != w.bytes().size() || !file.commit())
        logger(LogArea::Model)->warn("the tokenizer's tables could not be cached in {}: {}", copyPath, file.errorString());
}

} // namespace echoforge::text
