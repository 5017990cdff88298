#include "accounts/account.h"

#include <algorithm>

namespace datenwerk::accounts {

Result<std::string> NormaliseEmail(std::string_view email) {
  while (!email.empty() && (email.front() == ' ' || email.front() == '\t')) email.remove_prefix(1);
  while (!email.empty() && (email.back() == ' ' || email.back() == '\t')) email.remove_suffix(1);
  std::string out;
  for (char c : email) out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  size_t at = out.find('@');
  bool plausible = !out.empty() && out.size() <= 254 && at != std::string::npos && at > 0 &&
                   at == out.rfind('@') && out.find('.', at) != std::string::npos &&
                   out.back() != '.' && out.back() != '@';
  for (unsigned char c : out) {
    if (c <= ' ' || c == 0x7F || c == '<' || c == '>' || c == '"' || c == ',' || c == ';') plausible = false;
  }
  if (!plausible) {
    return InvalidArgument("Bitte geben Sie eine gültige E-Mail-Adresse an, z. B. name@stadt.de.", "email");
  }
  return out;
}

int64_t LockoutDelayMs(int failed_attempts) {
  constexpr int kFree = 4;
  constexpr int64_t kFirst = 30'000, kMax = 3'600'000;
  if (failed_attempts <= kFree) return 0;
  int64_t delay = kFirst;
  for (int i = kFree + 1; i < failed_attempts && delay < kMax; ++i) delay *= 2;
  return std::min(delay, kMax);
}

std::string ActorName(const Account& account) {
  return "konto:" + std::to_string(account.id) + " " + account.email;
}

}  // namespace datenwerk::accounts
