#pragma once
// A complete model folder (docs/models.md) with a tiny random CSM written here under the real
// parameter names and the full Llama 3 text vocabulary, the golden set's tiny Mimi, and the real
// tokenizer, so the whole CSM path runs in a test in seconds.

#include <QString>

namespace echoforge::testing {

struct TinyModelSpec {
    int numCodebooks = 8;        // ≤ the tiny Mimi's 8
    int audioVocab = 35;         // the tiny Mimi's 32 codes + 3 extra ids, as 2,048 + 3 in csm-1b
    int textVocab = 128256;      // the full Llama 3 vocabulary, so real token ids fit
    int window = 512;            // backbone positions
    unsigned seed = 1234;
};

// Writes csm/, mimi/ and tokenizer/ under `dir`. Returns an empty string on success, else why not.
QString writeTinyModelFolder(const QString& dir, const TinyModelSpec& spec = {});

} // namespace echoforge::testing
