// SHA-256 in lower-case hex (OpenSSL): the store's audit chain and the
// server's token hashes. Internal to marac.
#ifndef MARAC_LIB_STORE_SHA256_H_
#define MARAC_LIB_STORE_SHA256_H_

#include <string>
#include <string_view>

#include "marac/common/result.h"

namespace marac {

// The 64 hex digits of SHA-256(text); kInternal when OpenSSL fails. The
// digest is fetched from OpenSSL once and each thread keeps one context, so
// a call allocates only its result (OpenSSL 3 otherwise looks the
// algorithm up, under a lock, and allocates a context on every digest).
Result<std::string> Sha256Hex(std::string_view text);

}  // namespace marac

#endif  // MARAC_LIB_STORE_SHA256_H_
