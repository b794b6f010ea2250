// Fuzz target: tokenizer.json (the streaming reader of model.vocab and model.merges, and the
// checks of the rest). A tokenizer that loads must then encode and decode text without a crash:
// a fuzzed vocabulary is small and odd, which is exactly what the BPE tables must survive.

#include "core/text/llama3_tokenizer.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const QString path = echoforge::fuzz::writeScratchFile(QStringLiteral("tokenizer.json"), data, size);
    echoforge::fuzz::expectAcceptedOrRefused([&] {
        const auto tokenizer = echoforge::Llama3Tokenizer::load(path);
        const auto ids = tokenizer.encode("Hello there, I'm 42 \xc3\xa9t\xc3\xa9s! \xff\xfe  \n\tok");
        for (const std::int32_t id : ids)
            if (id < 0 || id >= tokenizer.vocabSize())
                std::abort();   // encode must only give ids the tokenizer has
        (void)tokenizer.decode(ids);
    }, path);
    return 0;
}
