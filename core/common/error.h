#pragma once
// The one exception type of core/: its message is a sentence a user can act on, and its kind
// says what sort of failure it is, so that each front end answers in its own terms without
// reading the sentence: the HTTP API picks a status (core/api/), the CLI an exit code (below).
//
//   throw Error(ErrorKind::NotFound, QStringLiteral("There is no character '%1'.").arg(id));
//   throw Error("Something went wrong.");   // kind Internal: callers that predate the kinds

#include <stdexcept>
#include <string>

#include <QString>

namespace echoforge {

enum class ErrorKind {
    InvalidInput,   // the request itself is wrong: bad text, number, file format, option
    NotFound,       // it names something that does not exist (a character, a job, a file)
    Limit,          // it is well formed but over a limit (text length, audio, queue, upload)
    NotInstalled,   // it needs something missing from this machine (CSM weights, a program)
    Busy,           // something else holds what it needs (the history lock, a running job)
    Io,             // reading or writing a file or the database failed
    Internal,       // none of the above: a defect, or a thrower that names no kind
};

class Error : public std::runtime_error {
public:
    // Without a kind: Internal, so that a sentence thrown before the kinds existed keeps the
    // behaviour it had (exit code 1, HTTP 500) until its thrower names a kind.
    explicit Error(const QString& sentence) : Error(ErrorKind::Internal, sentence) {}
    explicit Error(const std::string& sentence) : Error(ErrorKind::Internal, sentence) {}
    explicit Error(const char* sentence) : Error(ErrorKind::Internal, std::string(sentence)) {}

    Error(ErrorKind kind, const QString& sentence) : std::runtime_error(sentence.toStdString()), m_kind(kind) {}
    Error(ErrorKind kind, const std::string& sentence) : std::runtime_error(sentence), m_kind(kind) {}
    Error(ErrorKind kind, const char* sentence) : std::runtime_error(sentence), m_kind(kind) {}

    QString sentence() const { return QString::fromStdString(what()); }
    ErrorKind kind() const { return m_kind; }

private:
    ErrorKind m_kind;
};

// "invalid_input", "not_found", "limit", "not_installed", "busy", "io", "internal": the names
// the API puts in {"error": {"code": ...}} and the logs print.
inline const char* errorKindName(ErrorKind kind) {
    switch (kind) {
    case ErrorKind::InvalidInput: return "invalid_input";
    case ErrorKind::NotFound: return "not_found";
    case ErrorKind::Limit: return "limit";
    case ErrorKind::NotInstalled: return "not_installed";
    case ErrorKind::Busy: return "busy";
    case ErrorKind::Io: return "io";
    case ErrorKind::Internal: return "internal";
    }
    return "internal";
}

// The exit code echoforge-cli ends with when a command throws an Error of this kind. 1 stays the
// code of an unclassified failure and 2 of a usage mistake (as before the kinds); the rest follow
// BSD sysexits.h where it has a match, so scripts can tell "fix your input" from "try later".
inline int cliExitCode(ErrorKind kind) {
    switch (kind) {
    case ErrorKind::InvalidInput: return 2;    // like a usage error
    case ErrorKind::NotFound: return 66;       // EX_NOINPUT: an input does not exist
    case ErrorKind::Limit: return 65;          // EX_DATAERR: the input is too large
    case ErrorKind::NotInstalled: return 69;   // EX_UNAVAILABLE: a needed service is missing
    case ErrorKind::Busy: return 75;           // EX_TEMPFAIL: try again later
    case ErrorKind::Io: return 74;             // EX_IOERR
    case ErrorKind::Internal: return 1;
    }
    return 1;
}

} // namespace echoforge
