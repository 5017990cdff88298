#include "directory/ldap_directory.h"

#include <ldap.h>

#include <cstdio>
#include <memory>

namespace datenwerk::directory {

namespace {

struct LdapCloser {
  void operator()(LDAP* ld) const { ldap_unbind_ext_s(ld, nullptr, nullptr); }
};
struct MessageFree {
  void operator()(LDAPMessage* m) const { ldap_msgfree(m); }
};
using LdapHandle = std::unique_ptr<LDAP, LdapCloser>;

Status Unreachable(int rc) {
  return Unavailable(std::string("Das Verzeichnis der Stadt ist gerade nicht erreichbar (") + ldap_err2string(rc) +
                         "). Bitte versuchen Sie es später noch einmal.",
                     "passwort");
}

Status Wrong() { return Status(ErrorCode::kUnauthenticated, "E-Mail-Adresse oder Passwort ist falsch.", "passwort"); }

Result<LdapHandle> Connect(const LdapOptions& o) {
  LDAP* raw = nullptr;
  int rc = ldap_initialize(&raw, o.url.c_str());
  if (rc != LDAP_SUCCESS) return Unreachable(rc);
  LdapHandle ld(raw);
  int version = LDAP_VERSION3;
  ldap_set_option(ld.get(), LDAP_OPT_PROTOCOL_VERSION, &version);
  ldap_set_option(ld.get(), LDAP_OPT_REFERRALS, LDAP_OPT_OFF);
  timeval timeout{static_cast<time_t>(o.timeout.count()), 0};
  ldap_set_option(ld.get(), LDAP_OPT_NETWORK_TIMEOUT, &timeout);
  ldap_set_option(ld.get(), LDAP_OPT_TIMEOUT, &timeout);
  if (o.start_tls) {
    rc = ldap_start_tls_s(ld.get(), nullptr, nullptr);
    if (rc != LDAP_SUCCESS) return Unreachable(rc);
  }
  return ld;
}

int SimpleBind(LDAP* ld, const std::string& dn, const std::string& password) {
  berval credentials{static_cast<ber_len_t>(password.size()), const_cast<char*>(password.data())};
  return ldap_sasl_bind_s(ld, dn.empty() ? nullptr : dn.c_str(), LDAP_SASL_SIMPLE, &credentials, nullptr, nullptr,
                          nullptr);
}

std::string Attribute(LDAP* ld, LDAPMessage* entry, const char* name) {
  berval** values = ldap_get_values_len(ld, entry, name);
  if (!values) return "";
  std::string out = values[0] ? std::string(values[0]->bv_val, values[0]->bv_len) : "";
  ldap_value_free_len(values);
  return out;
}

}  // namespace

std::string EscapeFilterValue(std::string_view value) {
  std::string out;
  for (char c : value) {
    switch (c) {
      case '*': out += "\\2a"; break;
      case '(': out += "\\28"; break;
      case ')': out += "\\29"; break;
      case '\\': out += "\\5c"; break;
      case '\0': out += "\\00"; break;
      default: out += c;
    }
  }
  return out;
}

Result<std::string> LdapDirectory::Bind(const std::string& email, const std::string& password) {
  // An empty password would be an "unauthenticated bind", which many directories accept.
  if (password.empty() || email.empty()) return Wrong();
  auto ld = Connect(options_);
  if (!ld.ok()) return ld.status();
  int rc = SimpleBind(ld->get(), options_.bind_dn, options_.bind_password);
  if (rc != LDAP_SUCCESS) return Unreachable(rc);
  std::string filter = options_.filter;
  const std::string escaped = EscapeFilterValue(email);
  for (size_t at = filter.find("%s"); at != std::string::npos; at = filter.find("%s", at + escaped.size())) {
    filter.replace(at, 2, escaped);
  }
  char display_name[] = "displayName", cn[] = "cn";
  char* attributes[] = {display_name, cn, nullptr};
  timeval timeout{static_cast<time_t>(options_.timeout.count()), 0};
  LDAPMessage* raw = nullptr;
  rc = ldap_search_ext_s(ld->get(), options_.base_dn.c_str(), LDAP_SCOPE_SUBTREE, filter.c_str(), attributes, 0,
                         nullptr, nullptr, &timeout, 2, &raw);
  std::unique_ptr<LDAPMessage, MessageFree> result(raw);
  if (rc == LDAP_SIZELIMIT_EXCEEDED) return Wrong();  // the address is not unique: nobody signs in with it
  if (rc != LDAP_SUCCESS) return Unreachable(rc);
  if (ldap_count_entries(ld->get(), result.get()) != 1) return Wrong();
  LDAPMessage* entry = ldap_first_entry(ld->get(), result.get());
  char* dn = ldap_get_dn(ld->get(), entry);
  if (!dn) return Wrong();
  const std::string person(dn);
  ldap_memfree(dn);
  std::string name = Attribute(ld->get(), entry, "displayName");
  if (name.empty()) name = Attribute(ld->get(), entry, "cn");
  rc = SimpleBind(ld->get(), person, password);
  if (rc == LDAP_INVALID_CREDENTIALS) return Wrong();
  if (rc != LDAP_SUCCESS) return Unreachable(rc);
  return name.empty() ? email : name;
}

}  // namespace datenwerk::directory
