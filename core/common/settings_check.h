#pragma once
// What is wrong with the stored settings and the data folders, in sentences, for the front ends
// to show. Settings::load() keeps the default for each unusable value; these say which.

#include <QStringList>

class QSettings;

namespace echoforge {

struct AppPaths;

// One sentence per stored setting that cannot be used: not of the setting's type, or a number
// that is NaN or infinite (a hand-edited file).
QStringList unusableStoredSettings(QSettings& store);
QStringList unusableStoredSettings(const AppPaths& paths);

// Throws echoforge::Error when one of the folders of `paths` exists as something other than a
// folder (a plain file where the data folder should be), which would otherwise be ignored.
void refuseFilesInPlaceOfFolders(const AppPaths& paths);

} // namespace echoforge
