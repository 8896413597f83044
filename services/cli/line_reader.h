// Reads lines of bounded length from a stream, so a 100 MB line costs a
// bounded buffer and an error, not 100 MB of memory.
#ifndef MARAC_SERVICES_CLI_LINE_READER_H_
#define MARAC_SERVICES_CLI_LINE_READER_H_

#include <cstddef>
#include <istream>
#include <string>
#include <vector>

namespace marac {

class LineReader {
 public:
  LineReader(std::istream& in, std::size_t max_line_bytes)
      : in_(in), max_line_bytes_(max_line_bytes), buffer_(64 * 1024) {}

  enum class Outcome { kLine, kTooLong, kEnd, kReadError };
  // The next line without its '\n' in `line`. kTooLong when the line
  // exceeded the limit (the rest of it is skipped; `line` is cleared).
  Outcome Next(std::string& line);
  // 1-based number of the line last returned.
  std::size_t line_number() const { return line_number_; }

 private:
  bool Fill();

  std::istream& in_;
  std::size_t max_line_bytes_;
  std::vector<char> buffer_;
  std::size_t pos_ = 0;
  std::size_t end_ = 0;
  std::size_t line_number_ = 0;
  bool eof_ = false;
  bool error_ = false;
};

}  // namespace marac

#endif  // MARAC_SERVICES_CLI_LINE_READER_H_
