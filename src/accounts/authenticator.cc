#include "accounts/authenticator.h"

#include <boost/json.hpp>

#include "accounts/password.h"
#include "core/json_text.h"

namespace datenwerk::accounts {

namespace {

constexpr int64_t kResetValidMs = 3'600'000;

const std::string& DummyHash() {
  // Verified against for unknown addresses, so that their answer takes as long as a known one's.
  static const std::string hash = [] {
    auto h = HashPassword("datenwerk-dummy-password");
    return h.ok() ? *h : std::string();
  }();
  return hash;
}

Status WrongPair() {
  return Status(ErrorCode::kUnauthenticated, "E-Mail-Adresse oder Passwort ist falsch.", "passwort");
}

std::string WaitText(int64_t ms) {
  int64_t seconds = (ms + 999) / 1000;
  if (seconds < 120) return std::to_string(seconds) + " Sekunden";
  return std::to_string((seconds + 59) / 60) + " Minuten";
}

}  // namespace

std::string AccountAuditJson(const Account& a) {
  boost::json::array scopes;
  for (const std::string& s : a.scopes) scopes.emplace_back(s);
  return ToJsonText(boost::json::object{{"id", a.id},
                                        {"email", a.email},
                                        {"name", a.name},
                                        {"role", RoleName(a.role)},
                                        {"scopes", std::move(scopes)},
                                        {"active", a.active},
                                        {"directory", a.directory}});
}

Authenticator::Authenticator(AccountStore& store, audit::AuditLog& audit, SessionPolicy policy, Directory* directory)
    : store_(store), audit_(audit), policy_(policy), directory_(directory) {}

Status Authenticator::Audit(const Origin& origin, const std::string& action, const std::string& object,
                            const std::string& before, const std::string& after, int64_t now_ms) {
  return audit_.Append(audit::Entry{0, now_ms, origin.actor, origin.from, action, object, before, after, ""})
      .status();
}

Result<Session> Authenticator::Refuse(const Account* account, const std::string& email, const std::string& from,
                                      int64_t now_ms) {
  std::string object = account ? "konto:" + std::to_string(account->id) : "email:" + email;
  if (account) {
    int failures = account->failed_attempts + 1;
    int64_t delay = LockoutDelayMs(failures);
    if (Status s = store_.RecordAttempt(account->id, failures, delay ? now_ms + delay : 0); !s.ok()) return s;
  }
  if (Status s = Audit({"", from}, "anmeldung_fehlgeschlagen", object, "", "", now_ms); !s.ok()) return s;
  return WrongPair();
}

Result<Session> Authenticator::SignIn(const std::string& email_text, const std::string& password,
                                      const std::string& from, int64_t now_ms) {
  auto email = NormaliseEmail(email_text);
  if (!email.ok()) return email.status();
  if (password.empty()) return InvalidArgument("Bitte geben Sie Ihr Passwort ein.", "passwort");
  if (password.size() > 1024) return WrongPair();
  auto account = store_.FindByEmail(*email);
  if (!account.ok()) {
    if (account.status().code() != ErrorCode::kNotFound) return account.status();
    (void)VerifyPassword(DummyHash(), password);
    return Refuse(nullptr, *email, from, now_ms);
  }
  if (account->locked_until_ms > now_ms) {
    if (Status s = Audit({"", from}, "anmeldung_gesperrt", "konto:" + std::to_string(account->id), "", "", now_ms);
        !s.ok()) {
      return s;
    }
    return Status(ErrorCode::kUnavailable,
                  "Zu viele fehlgeschlagene Anmeldungen. Bitte versuchen Sie es in " +
                      WaitText(account->locked_until_ms - now_ms) + " wieder.",
                  "sperre");
  }
  bool matches = false;
  if (account->directory) {
    if (!directory_) return Unavailable("Die Anmeldung über das Verzeichnis ist nicht eingerichtet.", "passwort");
    auto bound = directory_->Bind(account->email, password);
    if (!bound.ok() && bound.status().code() != ErrorCode::kUnauthenticated) return bound.status();
    matches = bound.ok();
  } else {
    matches = VerifyPassword(account->password_hash, password);
  }
  if (!matches || !account->active) return Refuse(&*account, *email, from, now_ms);
  if (account->failed_attempts != 0) {
    if (Status s = store_.RecordAttempt(account->id, 0, 0); !s.ok()) return s;
  }
  return StartSession(*account, from, now_ms);
}

Result<Session> Authenticator::StartSession(const Account& account, const std::string& from, int64_t now_ms) {
  Session session{account, RandomToken(), RandomToken()};
  if (Status s = store_.InsertSession({TokenHash(session.token), account.id, session.csrf, now_ms, now_ms}); !s.ok()) {
    return s;
  }
  if (Status s = Audit({ActorName(account), from}, "anmeldung", "konto:" + std::to_string(account.id), "", "", now_ms);
      !s.ok()) {
    return s;
  }
  return session;
}

Result<std::optional<Session>> Authenticator::Resolve(const std::string& token, int64_t now_ms) {
  if (token.empty() || token.size() > 100) return std::optional<Session>();
  std::string hash = TokenHash(token);
  auto record = store_.FindSession(hash);
  if (!record.ok()) return record.status();
  if (!*record) return std::optional<Session>();
  const SessionRecord& r = **record;
  if (now_ms - r.created_ms > policy_.absolute_ms || now_ms - r.last_seen_ms > policy_.idle_ms) {
    if (Status s = store_.DeleteSession(hash); !s.ok()) return s;
    return std::optional<Session>();
  }
  auto account = store_.FindById(r.account_id);
  if (!account.ok()) {
    if (account.status().code() == ErrorCode::kNotFound) return std::optional<Session>();
    return account.status();
  }
  if (!account->active) return std::optional<Session>();
  if (now_ms - r.last_seen_ms >= policy_.touch_every_ms) {
    if (Status s = store_.TouchSession(hash, now_ms); !s.ok()) return s;
  }
  return std::optional<Session>(Session{std::move(account).value(), "", r.csrf});
}

Status Authenticator::SignOut(const std::string& token, const Origin& origin, int64_t now_ms) {
  if (Status s = store_.DeleteSession(TokenHash(token)); !s.ok()) return s;
  return Audit(origin, "abmeldung", "", "", "", now_ms);
}

Result<Account> Authenticator::CreateAccount(Account account, const std::string& password, const Origin& origin,
                                             int64_t now_ms) {
  auto email = NormaliseEmail(account.email);
  if (!email.ok()) return email.status();
  account.email = *email;
  if (account.name.empty()) account.name = account.email;
  if (account.name.size() > 200) return InvalidArgument("Der Name darf höchstens 200 Zeichen lang sein.", "name");
  if (!account.directory) {
    if (Status s = CheckPasswordRules(password); !s.ok()) return s;
    auto hash = HashPassword(password);
    if (!hash.ok()) return hash.status();
    account.password_hash = *hash;
  }
  account.created_ms = now_ms;
  auto created = store_.Create(std::move(account));
  if (!created.ok()) return created.status();
  if (Status s = Audit(origin, "konto.angelegt", "konto:" + std::to_string(created->id), "",
                       AccountAuditJson(*created), now_ms);
      !s.ok()) {
    return s;
  }
  return created;
}

Status Authenticator::UpdateAccount(const Account& account, const Origin& origin, int64_t now_ms) {
  auto before = store_.FindById(account.id);
  if (!before.ok()) return before.status();
  if (account.name.empty() || account.name.size() > 200) {
    return InvalidArgument("Bitte geben Sie einen Namen mit höchstens 200 Zeichen an.", "name");
  }
  if (Status s = store_.Update(account); !s.ok()) return s;
  if (!account.active || account.role != before->role) {
    if (Status s = store_.DeleteSessionsOf(account.id); !s.ok()) return s;
  }
  Account after = *before;
  after.name = account.name;
  after.role = account.role;
  after.scopes = account.scopes;
  after.active = account.active;
  after.directory = account.directory;
  return Audit(origin, "konto.geaendert", "konto:" + std::to_string(account.id), AccountAuditJson(*before),
               AccountAuditJson(after), now_ms);
}

Status Authenticator::SetPassword(int64_t account_id, const std::string& password, const Origin& origin,
                                  int64_t now_ms) {
  if (Status s = CheckPasswordRules(password); !s.ok()) return s;
  auto hash = HashPassword(password);
  if (!hash.ok()) return hash.status();
  if (Status s = store_.SetPasswordHash(account_id, *hash); !s.ok()) return s;
  if (Status s = store_.DeleteSessionsOf(account_id); !s.ok()) return s;
  return Audit(origin, "konto.passwort_gesetzt", "konto:" + std::to_string(account_id), "", "", now_ms);
}

Result<std::optional<std::string>> Authenticator::CreateReset(const std::string& email_text, const std::string& from,
                                                              int64_t now_ms) {
  auto email = NormaliseEmail(email_text);
  if (!email.ok()) return email.status();
  auto account = store_.FindByEmail(*email);
  if (!account.ok()) {
    if (account.status().code() == ErrorCode::kNotFound) return std::optional<std::string>();
    return account.status();
  }
  if (!account->active || account->directory) return std::optional<std::string>();
  std::string token = RandomToken();
  if (Status s = store_.InsertReset(TokenHash(token), account->id, now_ms + kResetValidMs); !s.ok()) return s;
  if (Status s = Audit({"", from}, "passwort.reset_angefordert", "konto:" + std::to_string(account->id), "", "",
                       now_ms);
      !s.ok()) {
    return s;
  }
  return std::optional<std::string>(token);
}

Status Authenticator::ResetPassword(const std::string& token, const std::string& password, const std::string& from,
                                    int64_t now_ms) {
  if (Status s = CheckPasswordRules(password); !s.ok()) return s;
  if (token.empty() || token.size() > 100) {
    return NotFound("Der Link ist ungültig oder abgelaufen. Bitte fordern Sie einen neuen an.", "token");
  }
  auto account_id = store_.ConsumeReset(TokenHash(token), now_ms);
  if (!account_id.ok()) return account_id.status();
  return SetPassword(*account_id, password, {"konto:" + std::to_string(*account_id), from}, now_ms);
}

}  // namespace datenwerk::accounts
