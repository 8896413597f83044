// A temporary folder per test for the CLI tests, removed with everything in
// it when the test ends.
#ifndef MARAC_TESTS_CLI_TEMP_DIR_H_
#define MARAC_TESTS_CLI_TEMP_DIR_H_

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace marac {

class TempDir {
 public:
  // Named after `prefix`, the run's random seed and the test.
  explicit TempDir(const std::string& prefix) {
    path_ =
        std::filesystem::temp_directory_path() /
        (prefix + "-" +
         std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
         "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  // Writes `text` to the file `name` in the folder; returns its path.
  std::string Write(const std::string& name, const std::string& text) const {
    std::ofstream(Path(name), std::ios::binary) << text;
    return Path(name);
  }
  std::string Path(const std::string& name) const {
    return (path_ / name).string();
  }

 private:
  std::filesystem::path path_;
};

}  // namespace marac

#endif  // MARAC_TESTS_CLI_TEMP_DIR_H_
