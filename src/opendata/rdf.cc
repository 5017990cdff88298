#include "opendata/rdf.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>

#include "core/json_text.h"
#include "core/utf8.h"

namespace datenwerk::opendata {

namespace {

constexpr std::string_view kRdfType = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
constexpr std::string_view kRdfNs = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";

// Text every syntax can carry alike: XML 1.0 has no control characters but tab, newline and
// carriage return, so the others are dropped everywhere; bytes that are no UTF-8 become U+FFFD.
std::string Clean(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') out += static_cast<char>(c);
      ++i;
      continue;
    }
    const size_t length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
    const std::string_view sequence = text.substr(i, length);
    if (sequence.size() == length && IsUtf8(sequence)) {
      out += sequence;
      i += length;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  return out;
}

// An IRI every syntax can carry alike: what Turtle's IRIREF forbids (controls, space, <>"{}|^`\)
// and bytes that are no UTF-8 percent-encoded; the same in all three, so they read as one graph.
std::string CleanIri(std::string_view iri) {
  std::string out;
  out.reserve(iri.size());
  for (size_t i = 0; i < iri.size();) {
    const unsigned char c = static_cast<unsigned char>(iri[i]);
    if (c >= 0x80) {
      const size_t length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
      const std::string_view sequence = iri.substr(i, length);
      if (sequence.size() == length && IsUtf8(sequence)) {
        out += sequence;
        i += length;
        continue;
      }
    }
    if (c <= 0x20 || c >= 0x80 || c == '<' || c == '>' || c == '"' || c == '{' || c == '}' || c == '|' ||
        c == '^' || c == '`' || c == '\\') {
      out += fmt::format("%{:02X}", c);
    } else {
      out += static_cast<char>(c);
    }
    ++i;
  }
  return out;
}

struct Node {
  const Term* subject;
  std::vector<const Triple*> triples;
};

std::string Key(const Term& t) { return (t.kind == Term::Kind::kBlank ? "_:" : "<") + t.value; }

// Subjects in order of first appearance, each with its triples in order.
std::vector<Node> BySubject(const Graph& graph) {
  std::vector<Node> nodes;
  std::map<std::string, size_t> index;
  for (const Triple& t : graph.triples()) {
    auto [it, added] = index.try_emplace(Key(t.subject), nodes.size());
    if (added) nodes.push_back({&t.subject, {}});
    nodes[it->second].triples.push_back(&t);
  }
  return nodes;
}

bool LocalNameChar(char c, bool first) {
  const bool alpha = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
  return alpha || (!first && ((c >= '0' && c <= '9') || c == '-'));
}

// The prefix and local name of `iri` when it has a safe one in both Turtle and XML (a name
// start, then letters, digits, '_' and '-'); the longest namespace wins.
std::optional<std::pair<std::string_view, std::string_view>> Split(std::string_view iri,
                                                                   const Prefixes& prefixes) {
  std::optional<std::pair<std::string_view, std::string_view>> best;
  for (const auto& [prefix, ns] : prefixes) {
    if (!iri.starts_with(ns) || iri.size() == ns.size()) continue;
    if (best && ns.size() <= iri.size() - best->second.size()) continue;
    std::string_view local = iri.substr(ns.size());
    bool ok = LocalNameChar(local.front(), true);
    for (size_t i = 1; ok && i < local.size(); ++i) ok = LocalNameChar(local[i], false);
    if (ok) best = {prefix, local};
  }
  return best;
}

// ---- Turtle ----

void TurtleIri(std::string_view iri, const Prefixes& prefixes, std::string& out) {
  if (auto split = Split(iri, prefixes)) {
    out.append(split->first).append(":").append(split->second);
    return;
  }
  out += '<';
  out += CleanIri(iri);
  out += '>';
}

void TurtleTerm(const Term& t, const Prefixes& prefixes, std::string& out) {
  switch (t.kind) {
    case Term::Kind::kIri:
      TurtleIri(t.value, prefixes, out);
      return;
    case Term::Kind::kBlank:
      out.append("_:").append(t.value);
      return;
    case Term::Kind::kLiteral:
      break;
  }
  // JSON's escapes (\", \\, \n, \r, \t, \b, \f, \u00XX) are all Turtle ECHARs or UCHARs.
  out += '"';
  AppendJsonEscaped(Clean(t.value), out);
  out += '"';
  if (!t.language.empty()) {
    out.append("@").append(t.language);
  } else if (!t.datatype.empty()) {
    out += "^^";
    TurtleIri(t.datatype, prefixes, out);
  }
}

// ---- JSON-LD ----

void JsonLdIri(std::string_view iri, const Prefixes& prefixes, std::string& out) {
  if (auto split = Split(iri, prefixes)) {
    AppendJsonString(std::string(split->first) + ":" + std::string(split->second), out);
  } else {
    AppendJsonString(CleanIri(iri), out);
  }
}

void JsonLdObject(const Term& t, const Prefixes& prefixes, std::string& out) {
  switch (t.kind) {
    case Term::Kind::kIri:
      out += R"({"@id":)";
      AppendJsonString(CleanIri(t.value), out);  // full IRIs as ids: never read as a relative one
      out += '}';
      return;
    case Term::Kind::kBlank:
      out += R"({"@id":)";
      AppendJsonString("_:" + t.value, out);
      out += '}';
      return;
    case Term::Kind::kLiteral:
      break;
  }
  out += R"({"@value":)";
  AppendJsonString(Clean(t.value), out);
  if (!t.language.empty()) {
    out += R"(,"@language":)";
    AppendJsonString(t.language, out);
  } else if (!t.datatype.empty()) {
    out += R"(,"@type":)";
    JsonLdIri(t.datatype, prefixes, out);
  }
  out += '}';
}

// ---- RDF/XML ----

void XmlEscaped(std::string_view text, std::string& out) {
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\r': out += "&#13;"; break;  // else a parser reads it as a line end
      default: out += c;
    }
  }
}

// A property element's qualified name; an IRI outside the prefixes gets a local namespace
// declaration (split after its last '#' or '/').
std::string XmlName(std::string_view iri, const Prefixes& prefixes, std::string& declaration) {
  if (auto split = Split(iri, prefixes)) return std::string(split->first) + ":" + std::string(split->second);
  const size_t cut = iri.find_last_of("#/");
  std::string_view ns = iri.substr(0, cut + 1), local = iri.substr(cut + 1);
  bool ok = !local.empty() && LocalNameChar(local.front(), true);  // an XML NCName may hold '.'
  for (size_t i = 1; ok && i < local.size(); ++i) ok = LocalNameChar(local[i], false) || local[i] == '.';
  if (!ok) return {};  // not expressible as a property element
  declaration = " xmlns:ns0=\"";
  XmlEscaped(ns, declaration);
  declaration += '"';
  return "ns0:" + std::string(local);
}

}  // namespace

std::string ToTurtle(const Graph& graph, const Prefixes& prefixes) {
  std::string out;
  for (const auto& [prefix, ns] : prefixes) out += fmt::format("@prefix {}: <{}> .\n", prefix, ns);
  for (const Node& node : BySubject(graph)) {
    out += '\n';
    TurtleTerm(*node.subject, prefixes, out);
    for (size_t i = 0; i < node.triples.size(); ++i) {
      const Triple& t = *node.triples[i];
      out += i == 0 ? "\n    " : " ;\n    ";
      if (t.predicate == kRdfType) {
        out += 'a';
      } else {
        TurtleIri(t.predicate, prefixes, out);
      }
      out += ' ';
      TurtleTerm(t.object, prefixes, out);
    }
    out += " .\n";
  }
  return out;
}

std::string ToJsonLd(const Graph& graph, const Prefixes& prefixes) {
  std::string out = R"({"@context":{)";
  for (size_t i = 0; i < prefixes.size(); ++i) {
    if (i) out += ',';
    AppendJsonString(prefixes[i].first, out);
    out += ':';
    AppendJsonString(prefixes[i].second, out);
  }
  out += R"(},"@graph":[)";
  bool first_node = true;
  for (const Node& node : BySubject(graph)) {
    out += first_node ? "\n" : ",\n";
    first_node = false;
    out += R"({"@id":)";
    AppendJsonString(node.subject->kind == Term::Kind::kBlank ? "_:" + node.subject->value : CleanIri(node.subject->value), out);
    // Predicates in order of first use, each with all its objects.
    std::vector<std::pair<std::string_view, std::vector<const Term*>>> properties;
    for (const Triple* t : node.triples) {
      auto it = std::find_if(properties.begin(), properties.end(),
                             [&](const auto& p) { return p.first == t->predicate; });
      if (it == properties.end()) {
        properties.push_back({t->predicate, {}});
        it = properties.end() - 1;
      }
      it->second.push_back(&t->object);
    }
    for (const auto& [predicate, objects] : properties) {
      out += ',';
      const bool type = predicate == kRdfType;
      if (type) {
        out += R"("@type":[)";
      } else {
        JsonLdIri(predicate, prefixes, out);
        out += ":[";
      }
      for (size_t i = 0; i < objects.size(); ++i) {
        if (i) out += ',';
        if (type && objects[i]->kind == Term::Kind::kIri) {
          JsonLdIri(objects[i]->value, prefixes, out);
        } else {
          JsonLdObject(*objects[i], prefixes, out);
        }
      }
      out += ']';
    }
    out += '}';
  }
  out += "\n]}\n";
  return out;
}

std::string ToRdfXml(const Graph& graph, const Prefixes& prefixes) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rdf:RDF";
  bool has_rdf = false;
  for (const auto& [prefix, ns] : prefixes) {
    has_rdf = has_rdf || prefix == "rdf";
    out += fmt::format("\n    xmlns:{}=\"", prefix);
    XmlEscaped(ns, out);
    out += '"';
  }
  if (!has_rdf) out += fmt::format("\n    xmlns:rdf=\"{}\"", kRdfNs);
  out += ">\n";
  for (const Node& node : BySubject(graph)) {
    out += node.subject->kind == Term::Kind::kBlank ? "  <rdf:Description rdf:nodeID=\""
                                                    : "  <rdf:Description rdf:about=\"";
    XmlEscaped(node.subject->kind == Term::Kind::kBlank ? node.subject->value : CleanIri(node.subject->value), out);
    out += "\">\n";
    for (const Triple* t : node.triples) {
      std::string declaration;
      const std::string name = XmlName(t->predicate, prefixes, declaration);
      if (name.empty()) continue;  // see Prefixes: the callers never make such a predicate
      out += "    <" + name + declaration;
      switch (t->object.kind) {
        case Term::Kind::kIri:
          out += " rdf:resource=\"";
          XmlEscaped(CleanIri(t->object.value), out);
          out += "\"/>\n";
          continue;
        case Term::Kind::kBlank:
          out += " rdf:nodeID=\"";
          XmlEscaped(t->object.value, out);
          out += "\"/>\n";
          continue;
        case Term::Kind::kLiteral:
          break;
      }
      if (!t->object.language.empty()) {
        out += " xml:lang=\"";
        XmlEscaped(t->object.language, out);
        out += '"';
      } else if (!t->object.datatype.empty()) {
        out += " rdf:datatype=\"";
        XmlEscaped(CleanIri(t->object.datatype), out);
        out += '"';
      }
      out += '>';
      XmlEscaped(Clean(t->object.value), out);
      out += "</" + name + ">\n";
    }
    out += "  </rdf:Description>\n";
  }
  out += "</rdf:RDF>\n";
  return out;
}

}  // namespace datenwerk::opendata
