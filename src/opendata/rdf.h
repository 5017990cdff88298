// An RDF graph as a list of triples, and its three usual serialisations (Turtle, JSON-LD,
// RDF/XML), all written from the same triples so that they parse to the same graph. Pure; a Graph
// is a value (not thread-safe to mutate, safe to read from several threads).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace datenwerk::opendata {

// An IRI, a blank node (its label, without "_:") or a literal (plain, with a language tag, or
// typed with a datatype IRI).
struct Term {
  enum class Kind { kIri, kBlank, kLiteral };
  Kind kind = Kind::kIri;
  std::string value;
  std::string language;  // literals only, e.g. "de"
  std::string datatype;  // literals only, a full IRI; empty: xsd:string

  static Term Iri(std::string iri) { return {Kind::kIri, std::move(iri), {}, {}}; }
  static Term Blank(std::string label) { return {Kind::kBlank, std::move(label), {}, {}}; }
  static Term Text(std::string text, std::string language = {}) {
    return {Kind::kLiteral, std::move(text), std::move(language), {}};
  }
  static Term Typed(std::string text, std::string datatype) {
    return {Kind::kLiteral, std::move(text), {}, std::move(datatype)};
  }
  bool operator==(const Term&) const = default;
};

struct Triple {
  Term subject;          // an IRI or a blank node
  std::string predicate;  // a full IRI
  Term object;
};

// Namespace prefixes the serialisations use to shorten IRIs ("dcat" -> "http://www.w3.org/ns/dcat#").
// Every predicate and every rdf:type object must fall in one of them for RDF/XML (it needs a
// qualified name for each property); the writers of this module only use such predicates.
using Prefixes = std::vector<std::pair<std::string, std::string>>;

class Graph {
 public:
  void Add(const Term& subject, std::string_view predicate, Term object) {
    triples_.push_back({subject, std::string(predicate), std::move(object)});
  }
  // Subjects in the order they first appear: the serialisations group by subject.
  const std::vector<Triple>& triples() const { return triples_; }

 private:
  std::vector<Triple> triples_;
};

std::string ToTurtle(const Graph& graph, const Prefixes& prefixes);
// JSON-LD 1.1 in flattened form: an @context of the prefixes and an @graph of node objects.
std::string ToJsonLd(const Graph& graph, const Prefixes& prefixes);
// RDF/XML: one rdf:Description per subject (rdf:about or rdf:nodeID).
std::string ToRdfXml(const Graph& graph, const Prefixes& prefixes);

}  // namespace datenwerk::opendata
