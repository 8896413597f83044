#include "services/cli/line_reader.h"

#include <cstring>

namespace marac {

bool LineReader::Fill() {
  if (eof_) return false;
  in_.read(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
  const std::streamsize got = in_.gcount();
  if (in_.bad()) error_ = true;
  if (got <= 0) {
    eof_ = true;
    return false;
  }
  if (!in_) eof_ = true;  // Short read: end of input after this chunk.
  pos_ = 0;
  end_ = static_cast<std::size_t>(got);
  return true;
}

LineReader::Outcome LineReader::Next(std::string& line) {
  line.clear();
  bool too_long = false;
  bool any = false;
  for (;;) {
    if (pos_ == end_ && !Fill()) {
      if (error_) return Outcome::kReadError;
      if (!any) return Outcome::kEnd;
      ++line_number_;  // Last line without a final newline.
      if (too_long) {
        line.clear();
        return Outcome::kTooLong;
      }
      return Outcome::kLine;
    }
    any = true;
    const char* start = buffer_.data() + pos_;
    const auto* nl =
        static_cast<const char*>(std::memchr(start, '\n', end_ - pos_));
    const std::size_t take =
        nl != nullptr ? static_cast<std::size_t>(nl - start) : end_ - pos_;
    if (!too_long) {
      if (line.size() + take > max_line_bytes_) {
        too_long = true;
        line.clear();
        line.shrink_to_fit();
      } else {
        line.append(start, take);
      }
    }
    pos_ += take;
    if (nl != nullptr) {
      ++pos_;  // Past the '\n'.
      ++line_number_;
      return too_long ? Outcome::kTooLong : Outcome::kLine;
    }
  }
}

}  // namespace marac
