#pragma once
// Where models come from: the Hugging Face hub's address and the user's access token, and the
// sentence for each way the hub says no. Torch-free, no network code here.
//
// The hub serves a repository's file at  ENDPOINT/ORG/NAME/resolve/REVISION/FILE  (huggingface_hub
// file_download.py hf_hub_url). Large (LFS) files answer with a redirect to a CDN on another host
// and the headers X-Linked-Etag (the file's SHA-256) and X-Linked-Size; small ones come directly,
// with the git blob id as ETag.

#include <QString>
#include <QUrl>

namespace echoforge {

struct HubEndpoint {
    QUrl base;       // https://huggingface.co, or HF_ENDPOINT
    QString token;   // empty: none; sent only to `base`'s host

    // HF_ENDPOINT if set (the hub's own convention), else https://huggingface.co; the token from
    // `settingsToken` if not empty, else HF_TOKEN.
    static HubEndpoint fromEnvironment(const QString& settingsToken);

    QUrl fileUrl(const QString& repo, const QString& revision, const QString& file) const;
    QUrl repoPage(const QString& repo) const;
    // The token may go to `url`: same scheme, host and port as the hub's address.
    bool mayReceiveToken(const QUrl& url) const;
};

// "ORG/NAME": letters, digits, '-', '_', '.', one slash; no "..".
bool isValidRepoName(const QString& repo);

// The sentence for an HTTP status the hub answered for `file` of `repo`; empty for success.
QString hubStatusSentence(int status, const HubEndpoint& hub, const QString& repo, const QString& revision,
                          const QString& file);

} // namespace echoforge
