#include "core/text/tokenizer_json_reader.h"

#include <string>
#include <vector>

#include "core/common/error.h"

namespace echoforge::text {
namespace {

using nlohmann::json;

// nlohmann's SAX interface: builds the document like its own DOM parser does, except inside
// model.vocab and model.merges, whose entries go to the sink.
class StreamingHandler final : public nlohmann::json_sax<json> {
public:
    StreamingHandler(const QString& path, size_t size, TokenizerJsonSink& sink)
        : path_(path), size_(size), sink_(sink) {}

    json takeDocument() { return std::move(root_); }

    bool null() override { return value(nullptr); }
    bool boolean(bool v) override { return value(v); }
    bool number_integer(number_integer_t v) override {
        if (section() == Section::Vocab) {
            sink_.vocabEntry(key_, v);
            return true;
        }
        return value(v);
    }
    bool number_unsigned(number_unsigned_t v) override {
        if (section() == Section::Vocab) {
            sink_.vocabEntry(key_, v > uint64_t(INT64_MAX) ? -1 : int64_t(v));
            return true;
        }
        return value(v);
    }
    bool number_float(number_float_t v, const string_t&) override { return value(v); }
    bool binary(binary_t&) override { return value(nullptr); }

    bool string(string_t& s) override {
        if (section() == Section::Merges) {
            const size_t space = s.find(' ');
            if (space == std::string::npos || s.find(' ', space + 1) != std::string::npos)
                fail(QStringLiteral("model.merges[%1] is %2, not two tokens separated by one space")
                         .arg(mergeIndex_)
                         .arg(quotedJson(s)));
            const std::string_view all(s);
            sink_.merge(mergeIndex_++, all.substr(0, space), all.substr(space + 1));
            return true;
        }
        if (section() == Section::MergePair) {
            if (pair_.size() == 2)
                failPair();
            pair_.push_back(std::move(s));
            return true;
        }
        return value(std::move(s));
    }

    bool key(string_t& k) override {
        key_ = std::move(k);
        return true;
    }

    bool start_object(std::size_t) override {
        if (atModelMember("vocab")) {
            (*top().node)["vocab"] = json::object();
            stack_.push_back({Section::Vocab, nullptr, {}});
            return true;
        }
        return open(json::object());
    }
    bool end_object() override {
        if (section() == Section::Vocab)
            sink_.vocabEnd();
        stack_.pop_back();
        return true;
    }

    bool start_array(std::size_t) override {
        if (atModelMember("merges")) {
            (*top().node)["merges"] = json::array();
            stack_.push_back({Section::Merges, nullptr, {}});
            return true;
        }
        if (section() == Section::Merges) {
            pair_.clear();
            stack_.push_back({Section::MergePair, nullptr, {}});
            return true;
        }
        return open(json::array());
    }
    bool end_array() override {
        if (section() == Section::MergePair) {
            if (pair_.size() != 2)
                failPair();
            sink_.merge(mergeIndex_++, pair_[0], pair_[1]);
        }
        stack_.pop_back();
        return true;
    }

    bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& e) override {
        // nlohmann counts reading the end of the input as a character: a position past the last
        // byte means the text stopped before the JSON did.
        if (position > size_)
            fail(QStringLiteral("the JSON ends early after %1 bytes (a truncated download?)").arg(size_));
        fail(QStringLiteral("it is not valid JSON at byte %1 (%2)").arg(position).arg(e.what()));
    }

private:
    enum class Section { Document, Vocab, Merges, MergePair };
    struct Frame {
        Section section;
        json* node;        // the container being filled (Document frames only)
        std::string name;  // its key in the parent object
    };

    [[noreturn]] void fail(const QString& defect) const { refuseTokenizerFile(path_, defect); }
    [[noreturn]] void failPair() const {
        fail(QStringLiteral("model.merges[%1] is neither \"left right\" nor [\"left\", \"right\"]").arg(mergeIndex_));
    }

    Frame& top() { return stack_.back(); }
    Section section() const { return stack_.empty() ? Section::Document : stack_.back().section; }

    // Whether the next value is the member `name` of the top-level "model" object.
    bool atModelMember(const char* name) const {
        return stack_.size() == 2 && stack_[1].name == "model" && stack_[1].node->is_object() && key_ == name;
    }

    // Anything that is not a plain entry inside a streamed section is a malformed entry.
    void refuseInSection() const {
        if (section() == Section::Vocab)
            fail(QStringLiteral("model.vocab[%1] is not an integer id").arg(quotedJson(key_)));
        if (section() == Section::Merges || section() == Section::MergePair)
            failPair();
    }

    // Places `v` in the current container and returns where it went.
    json* place(json&& v) {
        refuseInSection();
        if (stack_.empty()) {
            root_ = std::move(v);
            return &root_;
        }
        json& parent = *top().node;
        if (parent.is_object())
            return &(parent[key_] = std::move(v));
        parent.push_back(std::move(v));
        return &parent.back();
    }
    bool value(json&& v) {
        place(std::move(v));
        return true;
    }
    bool open(json&& container) {
        // A container inside vocab or merges is a malformed entry; those frames hold no node.
        refuseInSection();
        const bool inObject = !stack_.empty() && top().node->is_object();
        std::string name = inObject ? key_ : std::string();
        json* node = place(std::move(container));
        stack_.push_back({Section::Document, node, std::move(name)});
        return true;
    }

    const QString& path_;
    size_t size_;
    TokenizerJsonSink& sink_;
    json root_;
    std::vector<Frame> stack_;
    std::string key_;
    std::vector<std::string> pair_;
    size_t mergeIndex_ = 0;
};

} // namespace

QString quotedJson(std::string_view s) { return QString::fromStdString(json(std::string(s)).dump()); }

void refuseTokenizerFile(const QString& path, const QString& defect) {
    throw Error(QStringLiteral("The tokenizer file %1 cannot be used: %2.").arg(path, defect));
}

json readTokenizerJson(const QString& path, std::string_view text, TokenizerJsonSink& sink) {
    StreamingHandler handler(path, text.size(), sink);
    json::sax_parse(text.data(), text.data() + text.size(), &handler);
    return handler.takeDocument();
}

} // namespace echoforge::text
