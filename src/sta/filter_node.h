// Private to sta/filter*.cc: the tree a $filter parses into, and the parser.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "sta/filter_value.h"
#include "sta/model.h"

namespace datenwerk::sta {

struct FilterNode {
  enum class Kind { kLiteral, kPath, kNot, kNegate, kBinary, kCall } kind;
  filter::Value literal;
  std::vector<std::string> path;
  std::string op;  // binary operator or function name
  std::vector<std::unique_ptr<FilterNode>> args;
  int depth = 1;  // of the subtree: evaluation recurses this deep
};

// Parses `text` against `def` within the bounds of Filter (terms, nesting, geometry sizes).
Result<std::unique_ptr<FilterNode>> ParseFilterTree(std::string_view text, const EntityDef& def);

}  // namespace datenwerk::sta
