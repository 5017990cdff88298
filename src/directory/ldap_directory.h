// Sign-in against the city's directory (Active Directory or OpenLDAP) with OpenLDAP's libldap:
// find the person's entry by e-mail address (a search, as a service account or anonymously), then
// bind as that entry with the password they typed. Passwords never leave this exchange and are
// never stored. A new connection per sign-in (they are rare); thread-safe.
#pragma once

#include <chrono>
#include <string>

#include "accounts/authenticator.h"

namespace datenwerk::directory {

struct LdapOptions {
  std::string url;        // "ldap://dc1.stadt.local:389" or "ldaps://…"
  bool start_tls = false;  // upgrade ldap:// with StartTLS (required when the directory asks for it)
  std::string base_dn;    // where people are, e.g. "ou=Mitarbeitende,dc=bochum,dc=de"
  std::string bind_dn;    // service account for the search; empty: anonymous search
  std::string bind_password;
  // The search filter; every "%s" becomes the escaped address (RFC 4515).
  std::string filter = "(|(mail=%s)(userPrincipalName=%s))";
  std::chrono::seconds timeout{5};
};

class LdapDirectory final : public accounts::Directory {
 public:
  explicit LdapDirectory(LdapOptions options) : options_(std::move(options)) {}
  // The display name (displayName, else cn) when the password is the person's;
  // kUnauthenticated when not, or when no single entry has the address; kUnavailable when the
  // directory cannot be reached or refuses the service account.
  Result<std::string> Bind(const std::string& email, const std::string& password) override;

 private:
  LdapOptions options_;
};

// `value` for an LDAP filter: *, (, ), \ and NUL as \2a, \28, \29, \5c, \00 (RFC 4515).
std::string EscapeFilterValue(std::string_view value);

}  // namespace datenwerk::directory
