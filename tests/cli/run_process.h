// Runs a program of this build as a child process, for the tests that hold
// the command line's contract as other systems see it: its exit status,
// stdout and stderr, through files (no pipes, so no deadlock however much
// the child writes). The child inherits the environment (ASAN_OPTIONS and
// the like under the sanitizer preset).
#ifndef MARAC_TESTS_CLI_RUN_PROCESS_H_
#define MARAC_TESTS_CLI_RUN_PROCESS_H_

#include <fcntl.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

extern char** environ;

namespace marac {

struct ProcessResult {
  int exit_status = -1;  // -1 when the child did not exit normally.
  int signal = 0;        // The signal that ended it, if one did.
  std::string out;
  std::string err;
};

// For failure messages: the status and the start of each stream.
inline std::string Describe(const ProcessResult& r) {
  std::ostringstream s;
  s << "exit " << r.exit_status;
  if (r.signal != 0) s << " (killed by signal " << r.signal << ")";
  s << "\nstdout: " << r.out.substr(0, 2000)
    << "\nstderr: " << r.err.substr(0, 2000);
  return s.str();
}

inline std::string ReadFileBytes(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in),
                     std::istreambuf_iterator<char>());
}

// `program args...` with stdin read from `stdin_file`, stdout and stderr
// captured through files in `dir`.
inline ProcessResult RunProgram(const std::string& program,
                                const std::vector<std::string>& args,
                                const std::filesystem::path& stdin_file,
                                const std::filesystem::path& dir) {
  static int run = 0;
  const std::string id = std::to_string(run++);
  const std::filesystem::path out_file = dir / ("stdout." + id);
  const std::filesystem::path err_file = dir / ("stderr." + id);
  std::vector<std::string> argv_text = {program};
  argv_text.insert(argv_text.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& arg : argv_text) argv.push_back(arg.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, stdin_file.c_str(), O_RDONLY,
                                   0);
  posix_spawn_file_actions_addopen(&actions, 1, out_file.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, 2, err_file.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, program.c_str(), &actions, nullptr,
                                  argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);

  ProcessResult result;
  if (spawned != 0) {
    ADD_FAILURE() << "posix_spawn " << program << ": "
                  << std::strerror(spawned);
    return result;
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      ADD_FAILURE() << "waitpid: " << std::strerror(errno);
      return result;
    }
  }
  if (WIFEXITED(status)) {
    result.exit_status = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.signal = WTERMSIG(status);
  }
  result.out = ReadFileBytes(out_file);
  result.err = ReadFileBytes(err_file);
  return result;
}

}  // namespace marac

#endif  // MARAC_TESTS_CLI_RUN_PROCESS_H_
