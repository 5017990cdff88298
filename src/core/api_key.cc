#include "core/api_key.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>
#include <stdexcept>

namespace datenwerk {

const char* RoleName(Role r) {
  switch (r) {
    case Role::kViewer: return "viewer";
    case Role::kEditor: return "editor";
    case Role::kReviewer: return "reviewer";
    case Role::kAdministrator: return "administrator";
  }
  return "viewer";
}

std::optional<Role> ParseRole(std::string_view s) {
  if (s == "viewer") return Role::kViewer;
  if (s == "editor") return Role::kEditor;
  if (s == "reviewer") return Role::kReviewer;
  if (s == "administrator" || s == "admin") return Role::kAdministrator;
  return std::nullopt;
}

namespace {

std::string Hex(const unsigned char* data, size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (size_t i = 0; i < n; ++i) {
    out.push_back(kDigits[data[i] >> 4]);
    out.push_back(kDigits[data[i] & 0xF]);
  }
  return out;
}

}  // namespace

std::string GenerateApiKey() {
  std::array<unsigned char, 32> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    throw std::runtime_error("no randomness available for an API key");  // fatal
  }
  return "dwk_" + Hex(bytes.data(), bytes.size());
}

std::string HashApiKey(std::string_view key) {
  // Fetched once: EVP_sha256() looks the algorithm up in the providers at every digest
  // (OpenSSL 3), which cost more than the digest itself on every authorised request. An
  // EVP_MD is immutable and may be used by several threads at once.
  static EVP_MD* const sha256 = [] {
    EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    if (md == nullptr) throw std::runtime_error("OpenSSL offers no SHA-256");  // fatal
    return md;
  }();
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_Digest(key.data(), key.size(), digest.data(), &length, sha256, nullptr) != 1) {
    throw std::runtime_error("SHA-256 failed");  // fatal: out of memory
  }
  return Hex(digest.data(), length);
}

}  // namespace datenwerk
