#include "services/cli/input_file.h"

#include <cstdint>
#include <filesystem>
#include <fstream>

namespace marac {
namespace {

constexpr std::uintmax_t kMaxInputBytes = std::uintmax_t{2} << 30;  // 2 GiB

}  // namespace

Result<std::string> ReadInputFile(const std::string& path,
                                  std::string_view option) {
  const std::string named = std::string(option) + " " + path;
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return InvalidArgument(named, "is a directory, not a file");
  }
  const std::uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec) return InvalidArgument(named, "cannot read: " + ec.message());
  if (size > kMaxInputBytes) {
    return InvalidArgument(named, "larger than 2 GiB");
  }
  std::ifstream file(path, std::ios::binary);
  if (!file) return InvalidArgument(named, "cannot open the file");
  std::string text(static_cast<std::size_t>(size), '\0');
  file.read(text.data(), static_cast<std::streamsize>(size));
  if (static_cast<std::uintmax_t>(file.gcount()) != size) {
    return InvalidArgument(named, "read error");
  }
  return text;
}

}  // namespace marac
