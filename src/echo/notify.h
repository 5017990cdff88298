// What a reporter who left an e-mail address hears when their report changes: a German mail with
// the new state, the public note and the links, queued in the back office's outbox inside the
// write that made the change (so it is sent exactly when the change commits). Staff changes
// only: the reporter's own answers and moderation send nothing.
#pragma once

#include <optional>
#include <string>

#include "core/status.h"
#include "echo/report.h"
#include "echo/services.h"
#include "mail/outbox.h"
#include "store/sql_connection.h"

namespace datenwerk::echo {

// The mail for `after` (changed from `before`), or nullopt when there is no address or nothing
// public changed. `base_url`: how citizens reach the server ("https://…", no trailing slash).
std::optional<mail::Mail> StatusMail(const Report& before, const Report& after, const Services& services,
                                     const std::string& base_url, int64_t now_ms);

// StatusMail queued in `tx`.
datenwerk::Status QueueStatusMail(sql::Tx& tx, const Report& before, const Report& after, const Services& services,
                                  const std::string& base_url, int64_t now_ms);

}  // namespace datenwerk::echo
