#include "lib/store/sha256.h"

#include <openssl/evp.h>

namespace marac {
namespace {

// Fetched once, never freed: it lives as long as the process.
const EVP_MD* Sha256() {
  static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md;
}

// One digest context per thread, reused by each call on it.
class Context {
 public:
  Context() : ctx_(EVP_MD_CTX_new()) {}
  ~Context() { EVP_MD_CTX_free(ctx_); }
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;
  EVP_MD_CTX* get() const { return ctx_; }

 private:
  EVP_MD_CTX* ctx_;
};

}  // namespace

Result<std::string> Sha256Hex(std::string_view text) {
  thread_local const Context context;
  const EVP_MD* md = Sha256();
  EVP_MD_CTX* ctx = context.get();
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (md == nullptr || ctx == nullptr ||
      EVP_DigestInit_ex2(ctx, md, nullptr) != 1 ||
      EVP_DigestUpdate(ctx, text.data(), text.size()) != 1 ||
      EVP_DigestFinal_ex(ctx, digest, &length) != 1) {
    return Internal("SHA-256 failed (OpenSSL)");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(2 * length, '0');
  for (unsigned int k = 0; k < length; ++k) {
    out[2 * k] = kHex[digest[k] >> 4];
    out[2 * k + 1] = kHex[digest[k] & 0xF];
  }
  return out;
}

}  // namespace marac
