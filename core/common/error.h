#pragma once
// The one exception type of core/: its message is a sentence a user can act on.

#include <stdexcept>
#include <string>

#include <QString>

namespace echoforge {

class Error : public std::runtime_error {
public:
    explicit Error(const QString& sentence) : std::runtime_error(sentence.toStdString()) {}
    explicit Error(const std::string& sentence) : std::runtime_error(sentence) {}
    explicit Error(const char* sentence) : std::runtime_error(sentence) {}

    QString sentence() const { return QString::fromStdString(what()); }
};

} // namespace echoforge
