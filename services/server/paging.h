// Pages of list-shaped answers: opaque tokens (the sort key of the last
// item sent), the page size, and a budget in bytes as well as in items, so
// that no answer outgrows the message limit however large its items.
#ifndef MARAC_SERVICES_SERVER_PAGING_H_
#define MARAC_SERVICES_SERVER_PAGING_H_

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "marac/common/date.h"
#include "services/server/call.h"

namespace marac::server {

// Page tokens: the sort key of the last item sent, hex-encoded so clients
// treat it as opaque.
inline std::string EncodeToken(const Date& date, std::string_view id) {
  static constexpr char kHex[] = "0123456789abcdef";
  const std::string plain = date.ToString() + "|" + std::string(id);
  std::string out;
  for (const char c : plain) {
    const auto u = static_cast<unsigned char>(c);
    out += kHex[u >> 4];
    out += kHex[u & 0xf];
  }
  return out;
}

struct PageKey {
  Date date;
  std::string id;
  friend auto operator<=>(const PageKey&, const PageKey&) = default;
};

inline std::optional<PageKey> DecodeToken(std::string_view token) {
  if (token.size() % 2 != 0 || token.size() > 600) return std::nullopt;
  std::string plain;
  for (std::size_t i = 0; i < token.size(); i += 2) {
    int v = 0;
    for (const char c : token.substr(i, 2)) {
      v <<= 4;
      if (c >= '0' && c <= '9') {
        v |= c - '0';
      } else if (c >= 'a' && c <= 'f') {
        v |= c - 'a' + 10;
      } else {
        return std::nullopt;
      }
    }
    plain += static_cast<char>(v);
  }
  const std::size_t bar = plain.find('|');
  if (bar == std::string::npos) return std::nullopt;
  const Result<Date> date = Date::Parse("page_token", plain.substr(0, bar));
  if (!date.ok()) return std::nullopt;
  return PageKey{*date, plain.substr(bar + 1)};
}

// The page size to use: 0 means the limit, larger values are lowered.
inline std::size_t PageSize(int requested, const ServerLimits& limits) {
  if (requested <= 0) return limits.max_list_items;
  return std::min(static_cast<std::size_t>(requested), limits.max_list_items);
}

inline void CheckPaging(int page_size, const std::string& token,
                        std::optional<PageKey>& after,
                        FieldViolations& violations) {
  if (page_size < 0) violations.Add("page_size", "negative");
  if (!token.empty()) {
    after = DecodeToken(token);
    if (!after) {
      violations.Add("page_token", "not a page token from this service");
    }
  }
}

// A page of a list-shaped answer, bounded by count and by bytes: at most
// `size` items, and no more than three quarters of the message limit, so
// that however large the items (a 4 KiB purpose on every audit entry) no
// answer outgrows the limit. The rest of the answer (a token) and gRPC's
// framing fit in the quarter left.
class PageBudget {
 public:
  PageBudget(std::size_t size, const ServerLimits& limits)
      : size_(size),
        bytes_(static_cast<std::size_t>(limits.max_message_bytes) / 4 * 3) {}

  // Whether an item whose encoding is `bytes` long still fits (then it is
  // counted); false once the page is full.
  bool Take(std::size_t bytes) {
    const std::size_t framed = bytes + 6;  // Its tag and length.
    if (count_ == size_ || used_ + framed > bytes_) return false;
    ++count_;
    used_ += framed;
    return true;
  }
  std::size_t count() const { return count_; }

 private:
  std::size_t size_;
  std::size_t bytes_;
  std::size_t count_ = 0;
  std::size_t used_ = 0;
};

// Adds `item` to `list` when `page` has room; false (and `list` unchanged)
// otherwise.
template <typename Item>
inline bool AddWithin(PageBudget& page,
                      google::protobuf::RepeatedPtrField<Item>* list,
                      Item item) {
  if (!page.Take(item.ByteSizeLong())) return false;
  *list->Add() = std::move(item);
  return true;
}

// A fingerprint of a list of ids and which list it is (FNV-1a, 64 bits,
// hex): the same on every server and run.
inline std::string ListFingerprint(int which,
                                   const std::vector<std::string>& ids) {
  std::uint64_t h = 14695981039346656037ULL;
  const auto mix = [&h](std::string_view bytes) {
    for (const char c : bytes) {
      h ^= static_cast<unsigned char>(c);
      h *= 1099511628211ULL;
    }
    h ^= 0xff;  // A separator no id holds.
    h *= 1099511628211ULL;
  };
  mix(std::to_string(which));
  for (const std::string& id : ids) mix(id);
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  return hex;
}

// One item larger than a whole page: only under a message limit too small
// for the store's bounded items.
inline grpc::Status ItemTooLarge(std::string_view what) {
  return Code(grpc::StatusCode::RESOURCE_EXHAUSTED,
              std::string(what) +
                  " is larger than a page may be under limits."
                  "max_message_bytes; raise it");
}

}  // namespace marac::server

#endif  // MARAC_SERVICES_SERVER_PAGING_H_
