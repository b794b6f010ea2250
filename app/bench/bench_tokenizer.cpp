// echoforge-bench tokenizer: Llama 3 tokenizer speed. Encodes 1 MB of English prose and 1 MB of
// mixed-script text (both generated here, deterministically) on one thread, and times the load of
// tokenizer.json. Targets (issue 3): >= 5 MB/s on English, load < 300 ms.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include <time.h>

#include <QCommandLineParser>

#include "app/bench/bench.h"
#include "core/common/error.h"
#include "core/common/model_layout.h"
#include "core/common/paths.h"
#include "core/text/llama3_tokenizer.h"

namespace {

constexpr size_t kTextBytes = 1 << 20;
constexpr int kRepeats = 5;

using Clock = std::chrono::steady_clock;

double millisecondsSince(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// This thread's CPU time: on a shared, busy machine it shows what the code costs apart from the
// time spent waiting for a core.
double threadCpuMilliseconds() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) * 1e3 + double(t.tv_nsec) / 1e6;
}

// A fixed-seed generator (Knuth's MMIX LCG), so every run measures the same text.
class Lcg {
public:
    uint32_t next() {
        state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<uint32_t>(state_ >> 33);
    }
    template <typename T>
    const T& pick(const std::vector<T>& from) { return from[next() % from.size()]; }

private:
    uint64_t state_ = 20240913;
};

// Sentences of common English words with capitals, commas, numbers, quotes and contractions.
std::string englishProse(size_t bytes) {
    const std::vector<std::string> words = {
        "the", "of", "and", "to", "in", "a", "is", "that", "for", "it", "as", "was", "with", "be", "by", "on",
        "not", "he", "this", "are", "or", "his", "from", "at", "which", "but", "have", "an", "had", "they",
        "you", "were", "their", "one", "all", "we", "can", "her", "has", "there", "been", "if", "more",
        "when", "will", "would", "who", "so", "no", "river", "morning", "voice", "quietly", "remember",
        "harbour", "lantern", "whispered", "mountain", "kitchen", "window", "travelled", "unexpected",
        "conversation", "afternoon", "library", "question", "nothing", "because", "through", "garden",
        "she", "said", "never", "again", "always", "brightly", "stories", "children", "evening", "letter",
        "don't", "it's", "we'll", "they're", "I'm", "couldn't", "wasn't", "photosynthesis", "extraordinary"};
    const std::vector<std::string> endings = {".", ".", ".", "?", "!", "...", ";"};
    Lcg rng;
    std::string text;
    text.reserve(bytes + 256);
    while (text.size() < bytes) {
        const int length = 6 + int(rng.next() % 14);
        for (int i = 0; i < length; ++i) {
            std::string word = rng.pick(words);
            if (i == 0)
                word[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(word[0])));
            if (rng.next() % 40 == 0)
                word = std::to_string(rng.next() % 5000);
            if (rng.next() % 60 == 0)
                word = "\"" + word + "\"";
            text += word;
            if (i + 1 < length)
                text += rng.next() % 9 == 0 ? ", " : " ";
        }
        text += rng.pick(endings);
        text += rng.next() % 7 == 0 ? "\n\n" : " ";
    }
    text.resize(bytes);
    while (!text.empty() && (static_cast<unsigned char>(text.back()) & 0xC0) == 0x80)
        text.pop_back();
    return text;
}

// Words of eight scripts, emoji with joiners, numbers and punctuation, mixed at random.
std::string mixedScript(size_t bytes) {
    const std::vector<std::string> words = {
        "hello", "world", "Straße", "déjà", "naïve", "привет", "мир", "говорить", "γειά", "σου", "κόσμε",
        "مرحبا", "بالعالم", "שלום", "עולם", "नमस्ते", "दुनिया", "こんにちは", "世界", "東京", "カタカナ",
        "你好", "中文字符", "안녕하세요", "세계", "สวัสดี", "ኢትዮጵያ", "👋", "🌍", "👩‍💻", "🇫🇷", "1234",
        "3.14", "½", "Ⅻ", "—", "«", "»", "¿qué?", "C++", "x²", "e\u0301", "\u00A0", "\t"};
    Lcg rng;
    std::string text;
    text.reserve(bytes + 256);
    while (text.size() < bytes) {
        text += rng.pick(words);
        const uint32_t r = rng.next() % 10;
        text += r == 0 ? ", " : r == 1 ? "\n" : r == 2 ? "" : " ";
    }
    // Cut at a character boundary.
    text.resize(bytes);
    while (!text.empty() && (static_cast<unsigned char>(text.back()) & 0xC0) == 0x80)
        text.pop_back();
    if (!text.empty() && static_cast<unsigned char>(text.back()) >= 0xC0)
        text.pop_back();
    return text;
}

void measureEncode(const echoforge::Llama3Tokenizer& tokenizer, const char* name, const std::string& text) {
    std::vector<double> seconds;
    size_t tokens = 0;
    for (int i = 0; i < kRepeats; ++i) {
        const auto start = Clock::now();
        tokens = tokenizer.encode(text).size();
        seconds.push_back(millisecondsSince(start) / 1000.0);
    }
    std::sort(seconds.begin(), seconds.end());
    const double megabytes = double(text.size()) / 1e6;
    std::printf("encode %-13s %7.2f MB  %8zu tokens  best %6.1f MB/s  median %6.1f MB/s\n", name, megabytes, tokens,
                megabytes / seconds.front(), megabytes / seconds[seconds.size() / 2]);
}

int runTokenizerBench(const QStringList& args) {
    QCommandLineParser parser;
    parser.setApplicationDescription("Llama 3 tokenizer: load time and single-threaded encoding speed.");
    QCommandLineOption tokenizerPath("tokenizer", "tokenizer.json to use (default: the model folder's, else the "
                                                  "build tree's).", "PATH");
    parser.addOption(tokenizerPath);
    parser.process(QStringList{"echoforge-bench tokenizer"} + args);
    const QString path = parser.isSet(tokenizerPath)
                             ? parser.value(tokenizerPath)
                             : echoforge::findTokenizerJson(echoforge::AppPaths::resolveDefault().modelsDir);
    if (path.isEmpty())
        throw echoforge::Error("No tokenizer.json found: pass --tokenizer PATH.");

    std::vector<double> loads, loadCpu;
    for (int i = 0; i < kRepeats; ++i) {
        const auto start = Clock::now();
        const double cpuStart = threadCpuMilliseconds();
        const auto t = echoforge::Llama3Tokenizer::load(path);
        loads.push_back(millisecondsSince(start));
        loadCpu.push_back(threadCpuMilliseconds() - cpuStart);
    }
    std::sort(loads.begin(), loads.end());
    std::sort(loadCpu.begin(), loadCpu.end());
    std::printf("load tokenizer.json  best %.0f ms  median %.0f ms  (CPU best %.0f ms)  %s\n", loads.front(),
                loads[loads.size() / 2], loadCpu.front(), qPrintable(path));

    const auto tokenizer = echoforge::Llama3Tokenizer::load(path);
    measureEncode(tokenizer, "English", englishProse(kTextBytes));
    measureEncode(tokenizer, "mixed-script", mixedScript(kTextBytes));
    return 0;
}

} // namespace

ECHOFORGE_BENCH(tokenizer, "tokenizer", "Llama 3 tokenizer: load time, encoding MB/s (English, mixed scripts)",
                runTokenizerBench)
