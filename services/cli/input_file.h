// Reading a whole input file named by a command-line option, with errors
// that name the option and the file.
#ifndef MARAC_SERVICES_CLI_INPUT_FILE_H_
#define MARAC_SERVICES_CLI_INPUT_FILE_H_

#include <string>
#include <string_view>

#include "marac/common/result.h"

namespace marac {

// The contents of `path`, given to `option` (e.g. "--in"). kInvalidArgument
// "--in a.csv: ..." for a directory, an unreadable file or one over 2 GiB.
Result<std::string> ReadInputFile(const std::string& path,
                                  std::string_view option = "--in");

}  // namespace marac

#endif  // MARAC_SERVICES_CLI_INPUT_FILE_H_
