// squatguard_eval: the quality harness. Builds the engine from the shipped
// lists (data/protected, data/affixes) plus every labelled target and every
// negative's nearest popular name, then measures
//   recall@1 / recall@3 on the labelled squats (pairs file) and
//   the false-positive rate on the labelled legitimate names (negatives),
// overall, per technique label and per ecosystem, with the confusion of
// labels against the engine's techniques and every miss and false positive
// spelled out for tuning. --registry-volume instead scans every PyPI name
// against the shipped PyPI top 5,000. See bench/README.md.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/corpora.h"
#include "common/flags.h"
#include "common/measure.h"
#include "eval/labelled.h"
#include "eval/registry_volume.h"
#include "nlohmann/json.hpp"
#include "squatguard/engine.h"

namespace squatguard {
namespace bench {
namespace {

using Json = nlohmann::ordered_json;

struct EvalOptions {
  std::string pairs_path;
  std::string negatives_path;
  std::string shared_dir;
  std::string data_dir;
  double min_score = 0.5;
  bool corpus_context = true;
  std::optional<double> min_recall1;
  std::optional<double> max_fpr;
};

std::string Techniques(const Finding& f) {
  std::vector<std::string> t;
  for (Technique x : f.techniques) t.emplace_back(TechniqueName(x));
  return absl::StrJoin(t, ",");
}

std::string FirstTechnique(const Finding& f) {
  return f.techniques.empty() ? "(no technique)" : std::string(TechniqueName(f.techniques.front()));
}

std::string Describe(const Finding& f) {
  return absl::StrFormat("%s:%s score %.3f %s [%s] d=%d -- %s", EcosystemName(f.ecosystem), f.target, f.score,
                         SeverityName(f.severity), Techniques(f), f.distance, f.explanation);
}

Json FindingJson(const Finding& f) {
  Json t = Json::array();
  for (Technique x : f.techniques) t.push_back(std::string(TechniqueName(x)));
  return Json{{"candidate", f.candidate},          {"ecosystem", std::string(EcosystemName(f.ecosystem))},
              {"target", f.target},                {"target_kind", std::string(EntryKindName(f.target_kind))},
              {"score", f.score},                  {"severity", std::string(SeverityName(f.severity))},
              {"techniques", t},                   {"distance", f.distance},
              {"explanation", f.explanation}};
}

std::string Ratio(size_t part, size_t whole) {
  if (whole == 0) return "-";
  return absl::StrFormat("%d/%d = %.3f", part, whole, static_cast<double>(part) / static_cast<double>(whole));
}

double Frac(size_t part, size_t whole) { return whole == 0 ? 0.0 : static_cast<double>(part) / whole; }

std::string ContextText(const Candidate& c) {
  std::string s;
  if (c.rank) absl::StrAppend(&s, " rank ", *c.rank);
  if (c.downloads) absl::StrAppend(&s, " downloads ", *c.downloads);
  return s.empty() ? "" : absl::StrCat(" (", s.substr(1), ")");
}

struct Tally {
  size_t n = 0, rank1 = 0, rank3 = 0, flagged = 0, target_any_score = 0;
};

struct NegTally {
  size_t n = 0, fp = 0, strict_fp = 0;
};

int RunEval(const EvalOptions& o, const std::string& json_path) {
  absl::StatusOr<std::vector<LabelledPair>> pairs = ReadLabelledPairs(o.pairs_path);
  if (!pairs.ok()) {
    std::fprintf(stderr, "squatguard_eval: %s\n", std::string(pairs.status().message()).c_str());
    return 3;
  }
  absl::StatusOr<std::vector<LabelledNegative>> negatives = ReadLabelledNegatives(o.negatives_path);
  if (!negatives.ok()) {
    std::fprintf(stderr, "squatguard_eval: %s\n", std::string(negatives.status().message()).c_str());
    return 3;
  }

  // Shipped lists, then the labelled names (never a negative's own name).
  ProtectedList list;
  if (absl::Status s = list.AddPath(o.data_dir + "/protected"); !s.ok()) {
    std::fprintf(stderr, "squatguard_eval: %s\n", std::string(s.message()).c_str());
    return 3;
  }
  const size_t shipped = list.size();
  std::set<std::pair<Ecosystem, std::string>> protected_ids;
  for (const ProtectedEntry& e : list.entries()) protected_ids.insert({e.ecosystem, IdentityKey(e.ecosystem, e.name)});
  std::set<std::pair<Ecosystem, std::string>> negative_ids;
  for (const LabelledNegative& n : *negatives) negative_ids.insert({n.ecosystem, IdentityKey(n.ecosystem, n.name)});
  size_t added = 0, already = 0;
  std::vector<std::string> skipped_negative;
  auto add = [&](Ecosystem eco, const std::string& name, const std::string& origin) {
    if (name.empty()) return;
    const std::pair<Ecosystem, std::string> id{eco, IdentityKey(eco, name)};
    if (negative_ids.count(id)) {
      skipped_negative.push_back(absl::StrCat(EcosystemName(eco), ":", name));
      return;
    }
    if (!protected_ids.insert(id).second) {
      ++already;
      return;
    }
    ProtectedEntry e;
    e.name = name;
    e.ecosystem = eco;
    e.kind = eco == Ecosystem::kHuggingFace ? (name.find('/') != std::string::npos ? EntryKind::kRepo : EntryKind::kOrg)
                                            : EntryKind::kPackage;
    e.origin = origin;
    list.Add(std::move(e));
    ++added;
  };
  for (const LabelledPair& p : *pairs) add(p.ecosystem, p.target, p.origin);
  for (const LabelledNegative& n : *negatives) add(n.ecosystem, n.nearest, n.origin);
  std::sort(skipped_negative.begin(), skipped_negative.end());
  skipped_negative.erase(std::unique(skipped_negative.begin(), skipped_negative.end()), skipped_negative.end());
  size_t negatives_protected = 0;
  std::vector<std::string> negatives_protected_names;
  for (const LabelledNegative& n : *negatives) {
    if (protected_ids.count({n.ecosystem, IdentityKey(n.ecosystem, n.name)})) {
      ++negatives_protected;
      negatives_protected_names.push_back(absl::StrCat(EcosystemName(n.ecosystem), ":", n.name));
    }
  }

  EngineOptions engine_options;
  absl::StatusOr<size_t> words = LoadAffixWords(o.data_dir + "/affixes", &engine_options);
  if (!words.ok()) {
    std::fprintf(stderr, "squatguard_eval: %s\n", std::string(words.status().message()).c_str());
    return 3;
  }
  absl::StatusOr<std::unique_ptr<Engine>> engine = Engine::Create(std::move(list), engine_options);
  if (!engine.ok()) {
    std::fprintf(stderr, "squatguard_eval: Engine::Create: %s\n", std::string(engine.status().message()).c_str());
    return 3;
  }
  CorpusContext context;
  if (o.corpus_context) {
    absl::StatusOr<CorpusContext> c = LoadCorpusContext(o.shared_dir);
    if (!c.ok()) {
      std::fprintf(stderr, "squatguard_eval: %s\n", std::string(c.status().message()).c_str());
      return 3;
    }
    context = std::move(*c);
  }

  std::printf("squatguard_eval\n  pairs     %s (%zu positives)\n  negatives %s (%zu negatives)\n",
              o.pairs_path.c_str(), pairs->size(), o.negatives_path.c_str(), negatives->size());
  std::printf("  engine: %zu shipped entries (%s/protected) + %zu labelled names added (%zu already protected, "
              "%zu skipped because they are negatives themselves: %s); affix words %zu from %s/affixes\n",
              shipped, o.data_dir.c_str(), added, already, skipped_negative.size(),
              skipped_negative.empty() ? "-" : absl::StrJoin(skipped_negative, " ").c_str(), *words,
              o.data_dir.c_str());
  std::printf("  %zu of the negatives are themselves protected by the shipped lists (a protected name counts as "
              "established)\n",
              negatives_protected);
  std::printf("  candidates carry corpus context: %s; min_score %.3f\n\n",
              o.corpus_context ? "yes (PyPI rank, npm downloads from ../shared/corpora)" : "no", o.min_score);

  auto matches = [](const Finding& f, Ecosystem eco, const std::string& target) {
    return f.ecosystem == eco && IdentityKey(eco, f.target) == IdentityKey(eco, target);
  };

  // Positives.
  Tally overall;
  std::map<std::string, Tally> by_technique;
  std::map<std::string, Tally> by_eco;
  std::map<std::string, std::map<std::string, size_t>> confusion;
  std::set<std::string> confusion_columns;
  Json misses = Json::array();
  std::vector<std::string> miss_lines;
  size_t check_errors = 0;
  for (const LabelledPair& p : *pairs) {
    Candidate c;
    c.name = p.squat;
    c.ecosystem = p.ecosystem;
    context.Fill(&c);
    absl::StatusOr<std::vector<Finding>> all = (*engine)->Check(c, 0.0, 0);
    if (!all.ok()) {
      ++check_errors;
      all = std::vector<Finding>{};
    }
    int rank_above = 0, rank_all = 0, above = 0;
    const Finding* target_finding = nullptr;
    for (size_t i = 0; i < all->size(); ++i) {
      const Finding& f = (*all)[i];
      const bool is_above = f.score >= o.min_score;
      above += is_above ? 1 : 0;
      if (rank_all == 0 && matches(f, p.ecosystem, p.target)) {
        rank_all = static_cast<int>(i) + 1;
        target_finding = &f;
        if (is_above) rank_above = above;
      }
    }
    const bool r1 = rank_above == 1, r3 = rank_above >= 1 && rank_above <= 3, flagged = above > 0;
    for (Tally* t : {&overall, &by_technique[p.technique], &by_eco[std::string(EcosystemName(p.ecosystem))]}) {
      ++t->n;
      t->rank1 += r1;
      t->rank3 += r3;
      t->flagged += flagged;
      t->target_any_score += rank_all > 0;
    }
    const std::string engine_label = flagged ? FirstTechnique(all->front()) : "(none)";
    ++confusion[p.technique][engine_label];
    confusion_columns.insert(engine_label);
    if (!r1) {
      std::string line = absl::StrFormat("  MISS %s:%s%s -> %s [%s]\n", EcosystemName(p.ecosystem), p.squat,
                                         ContextText(c), p.target, p.technique);
      if (flagged) {
        absl::StrAppend(&line, "       top:    ", Describe(all->front()), "\n");
      } else {
        absl::StrAppend(&line, "       top:    (nothing at or above ", absl::StrFormat("%.2f", o.min_score), ")",
                        all->empty() ? "" : absl::StrCat("; best below: ", Describe(all->front())), "\n");
      }
      if (target_finding != nullptr) {
        absl::StrAppend(&line, "       target: rank ", rank_all, " of ", all->size(), ": ", Describe(*target_finding),
                        "\n");
      } else {
        absl::StrAppend(&line, "       target: not among the ", all->size(), " findings at any score\n");
      }
      miss_lines.push_back(line);
      Json m{{"origin", p.origin},
             {"ecosystem", std::string(EcosystemName(p.ecosystem))},
             {"squat", p.squat},
             {"target", p.target},
             {"technique", p.technique},
             {"target_rank_at_any_score", rank_all},
             {"target_rank_above_min_score", rank_above}};
      if (c.rank) m["candidate_rank"] = *c.rank;
      if (c.downloads) m["candidate_downloads"] = *c.downloads;
      m["top_finding"] = all->empty() ? Json() : FindingJson(all->front());
      m["target_finding"] = target_finding ? FindingJson(*target_finding) : Json();
      misses.push_back(m);
    }
  }

  // Negatives.
  NegTally neg_overall;
  std::map<std::string, NegTally> neg_by_eco;
  Json false_positives = Json::array();
  std::vector<std::string> fp_lines;
  for (const LabelledNegative& n : *negatives) {
    Candidate c;
    c.name = n.name;
    c.ecosystem = n.ecosystem;
    context.Fill(&c);
    absl::StatusOr<std::vector<Finding>> all = (*engine)->Check(c, 0.0, 0);
    if (!all.ok()) {
      ++check_errors;
      all = std::vector<Finding>{};
    }
    bool fp = false, strict = false;
    for (const Finding& f : *all) {
      if (f.score < o.min_score) break;
      fp = true;
      strict = strict || matches(f, n.ecosystem, n.nearest);
    }
    for (NegTally* t : {&neg_overall, &neg_by_eco[std::string(EcosystemName(n.ecosystem))]}) {
      ++t->n;
      t->fp += fp;
      t->strict_fp += strict;
    }
    if (fp) {
      std::string line = absl::StrFormat("  FP   %s:%s%s (nearest popular: %s)%s\n", EcosystemName(n.ecosystem), n.name,
                                         ContextText(c), n.nearest, strict ? " [flags its nearest]" : "");
      absl::StrAppend(&line, "       top:    ", Describe(all->front()), "\n");
      int shown = 1;
      for (size_t i = 1; i < all->size() && (*all)[i].score >= o.min_score && shown < 3; ++i, ++shown) {
        absl::StrAppend(&line, "       also:   ", Describe((*all)[i]), "\n");
      }
      fp_lines.push_back(line);
      Json j{{"origin", n.origin},
             {"ecosystem", std::string(EcosystemName(n.ecosystem))},
             {"name", n.name},
             {"nearest_popular_name", n.nearest},
             {"flags_nearest", strict},
             {"top_finding", FindingJson(all->front())}};
      if (c.rank) j["candidate_rank"] = *c.rank;
      if (c.downloads) j["candidate_downloads"] = *c.downloads;
      false_positives.push_back(j);
    }
  }

  // Report.
  const double recall1 = Frac(overall.rank1, overall.n);
  const double fpr = Frac(neg_overall.fp, neg_overall.n);
  std::printf("OVERALL (min_score %.2f)\n", o.min_score);
  std::printf("  recall@1            %s\n", Ratio(overall.rank1, overall.n).c_str());
  std::printf("  recall@3            %s\n", Ratio(overall.rank3, overall.n).c_str());
  std::printf("  flagged (any target) %s\n", Ratio(overall.flagged, overall.n).c_str());
  std::printf("  target found at any score %s\n", Ratio(overall.target_any_score, overall.n).c_str());
  std::printf("  false-positive rate %s   (any finding >= min_score)\n", Ratio(neg_overall.fp, neg_overall.n).c_str());
  std::printf("  strict FP rate      %s   (flags its nearest_popular_name)\n",
              Ratio(neg_overall.strict_fp, neg_overall.n).c_str());
  if (check_errors > 0) std::printf("  Check errors: %zu (counted as no finding)\n", check_errors);

  std::printf("\nPER TECHNIQUE (label of the pairs file)\n");
  std::printf("  %-16s %5s %-22s %-22s %-22s %-22s\n", "technique", "n", "recall@1", "recall@3", "flagged",
              "target at any score");
  for (const auto& [tech, t] : by_technique) {
    std::printf("  %-16s %5zu %-22s %-22s %-22s %-22s\n", tech.c_str(), t.n, Ratio(t.rank1, t.n).c_str(),
                Ratio(t.rank3, t.n).c_str(), Ratio(t.flagged, t.n).c_str(), Ratio(t.target_any_score, t.n).c_str());
  }

  std::printf("\nPER ECOSYSTEM\n");
  std::printf("  %-6s %5s %-22s %-22s | %5s %-22s %-22s\n", "eco", "pos", "recall@1", "recall@3", "neg", "FP rate",
              "strict FP rate");
  std::set<std::string> ecos;
  for (const auto& [e, t] : by_eco) ecos.insert(e);
  for (const auto& [e, t] : neg_by_eco) ecos.insert(e);
  for (const std::string& e : ecos) {
    const Tally t = by_eco.count(e) ? by_eco[e] : Tally{};
    const NegTally nt = neg_by_eco.count(e) ? neg_by_eco[e] : NegTally{};
    std::printf("  %-6s %5zu %-22s %-22s | %5zu %-22s %-22s\n", e.c_str(), t.n, Ratio(t.rank1, t.n).c_str(),
                Ratio(t.rank3, t.n).c_str(), nt.n, Ratio(nt.fp, nt.n).c_str(), Ratio(nt.strict_fp, nt.n).c_str());
  }

  std::printf("\nCONFUSION (rows: label; columns: first technique of the engine's top finding >= min_score)\n");
  std::vector<std::string> cols(confusion_columns.begin(), confusion_columns.end());
  std::printf("  %-16s", "");
  for (const std::string& c : cols) std::printf(" %*s", static_cast<int>(std::max<size_t>(5, c.size())), c.c_str());
  std::printf("\n");
  for (const auto& [label, row] : confusion) {
    std::printf("  %-16s", label.c_str());
    for (const std::string& c : cols) {
      auto it = row.find(c);
      std::printf(" %*zu", static_cast<int>(std::max<size_t>(5, c.size())), it == row.end() ? size_t{0} : it->second);
    }
    std::printf("\n");
  }

  std::printf("\nMISSES (labelled target not ranked first at >= min_score): %zu\n", miss_lines.size());
  for (const std::string& l : miss_lines) std::printf("%s", l.c_str());
  std::printf("\nFALSE POSITIVES (a finding >= min_score on a legitimate name): %zu\n", fp_lines.size());
  for (const std::string& l : fp_lines) std::printf("%s", l.c_str());

  bool bounds_ok = true;
  std::string bounds;
  if (o.min_recall1) {
    const bool ok = recall1 >= *o.min_recall1;
    bounds_ok = bounds_ok && ok;
    absl::StrAppend(&bounds, absl::StrFormat("  recall@1 %.4f >= %.4f: %s\n", recall1, *o.min_recall1, ok ? "ok" : "FAILED"));
  }
  if (o.max_fpr) {
    const bool ok = fpr <= *o.max_fpr;
    bounds_ok = bounds_ok && ok;
    absl::StrAppend(&bounds, absl::StrFormat("  FP rate %.4f <= %.4f: %s\n", fpr, *o.max_fpr, ok ? "ok" : "FAILED"));
  }
  if (!bounds.empty()) std::printf("\nBOUNDS\n%s", bounds.c_str());

  if (!json_path.empty()) {
    Json j;
    j["pairs"] = o.pairs_path;
    j["negatives"] = o.negatives_path;
    j["min_score"] = o.min_score;
    j["engine"] = Json{{"shipped_entries", shipped},
                       {"labelled_added", added},
                       {"labelled_already_protected", already},
                       {"labelled_skipped_as_negatives", skipped_negative},
                       {"negatives_protected_by_shipped_lists", negatives_protected_names},
                       {"affix_words", *words}};
    auto tally = [](const Tally& t) {
      return Json{{"n", t.n},
                  {"recall_at_1", Frac(t.rank1, t.n)},
                  {"recall_at_3", Frac(t.rank3, t.n)},
                  {"flagged", Frac(t.flagged, t.n)},
                  {"target_at_any_score", Frac(t.target_any_score, t.n)},
                  {"rank1", t.rank1},
                  {"rank3", t.rank3}};
    };
    auto neg = [](const NegTally& t) {
      return Json{{"n", t.n}, {"false_positives", t.fp}, {"fpr", Frac(t.fp, t.n)},
                  {"strict_false_positives", t.strict_fp}, {"strict_fpr", Frac(t.strict_fp, t.n)}};
    };
    j["overall"] = Json{{"positives", tally(overall)}, {"negatives", neg(neg_overall)}};
    Json bt = Json::object();
    for (const auto& [k, t] : by_technique) bt[k] = tally(t);
    j["by_technique"] = bt;
    Json be = Json::object();
    for (const std::string& e : ecos) {
      be[e] = Json{{"positives", tally(by_eco.count(e) ? by_eco[e] : Tally{})},
                   {"negatives", neg(neg_by_eco.count(e) ? neg_by_eco[e] : NegTally{})}};
    }
    j["by_ecosystem"] = be;
    Json conf = Json::object();
    for (const auto& [label, row] : confusion) {
      Json r = Json::object();
      for (const auto& [c, n] : row) r[c] = n;
      conf[label] = r;
    }
    j["confusion"] = conf;
    j["misses"] = misses;
    j["false_positives"] = false_positives;
    j["bounds_ok"] = bounds_ok;
    std::ofstream f(json_path);
    f << j.dump(2) << "\n";
    if (!f) {
      std::fprintf(stderr, "squatguard_eval: cannot write %s\n", json_path.c_str());
      return 3;
    }
  }
  return bounds_ok ? 0 : 1;
}

int Main(int argc, char** argv) {
  Flags flags;
  flags.Value("pairs", "PATH", "labelled squats, dev-pairs.tsv format (default SHARED/eval/dev-pairs.tsv)");
  flags.Value("negatives", "PATH", "labelled legitimate names, dev-negatives.tsv format (default SHARED/eval/dev-negatives.tsv)");
  flags.Value("shared", "DIR", "the shared folder with corpora/ and eval/ (default " + DefaultSharedDir() + ")");
  flags.Value("data", "DIR", "squatguard's data/ folder: protected/ and affixes/ (default " + DefaultDataDir() + ")");
  flags.Value("min-score", "X", "a finding counts at or above X (default 0.5)");
  flags.Value("json", "PATH", "also write the figures as JSON");
  flags.Value("min-recall1", "X", "exit 1 when recall@1 < X");
  flags.Value("max-fpr", "Y", "exit 1 when the false-positive rate > Y");
  flags.Switch("corpus-context", "give candidates their PyPI rank / npm downloads from the corpora (default on)");
  flags.Switch("registry-volume", "scan every PyPI name against data/protected/pypi-top5000.jsonl instead");
  flags.Value("threads", "N", "threads for --registry-volume (default 2)");
  flags.Value("top-findings", "N", "findings listed by --registry-volume (default 50)");
  flags.Switch("help", "this text");
  const std::string synopsis = "[--pairs PATH] [--negatives PATH] [flags] | --registry-volume [flags]";
  if (absl::Status s = flags.Parse(argc, argv); !s.ok() || !flags.positional().empty()) {
    std::fprintf(stderr, "squatguard_eval: %s\n%s",
                 s.ok() ? "unexpected argument" : std::string(s.message()).c_str(),
                 flags.Usage("squatguard_eval", synopsis).c_str());
    return 2;
  }
  if (flags.GetSwitch("help").value_or(false)) {
    std::printf("%s", flags.Usage("squatguard_eval", synopsis).c_str());
    return 0;
  }
  EvalOptions o;
  o.shared_dir = flags.Get("shared").value_or(DefaultSharedDir());
  o.data_dir = flags.Get("data").value_or(DefaultDataDir());
  o.pairs_path = flags.Get("pairs").value_or(o.shared_dir + "/eval/dev-pairs.tsv");
  o.negatives_path = flags.Get("negatives").value_or(o.shared_dir + "/eval/dev-negatives.tsv");
  o.corpus_context = flags.GetSwitch("corpus-context").value_or(true);
  auto number = [&](const char* name, double lo, double hi, std::optional<double>* out) {
    if (auto v = flags.Get(name)) {
      double x;
      if (!absl::SimpleAtod(*v, &x) || x < lo || x > hi) {
        std::fprintf(stderr, "squatguard_eval: --%s: expected a number in [%g, %g], got '%s'\n", name, lo, hi,
                     v->c_str());
        return false;
      }
      *out = x;
    }
    return true;
  };
  std::optional<double> min_score;
  if (!number("min-score", 0, 1, &min_score) || !number("min-recall1", 0, 1, &o.min_recall1) ||
      !number("max-fpr", 0, 1, &o.max_fpr)) {
    return 2;
  }
  if (min_score) o.min_score = *min_score;
  if (flags.GetSwitch("registry-volume").value_or(false)) {
    RegistryVolumeOptions r;
    r.shared_dir = o.shared_dir;
    r.data_dir = o.data_dir;
    r.min_score = o.min_score;
    r.json_path = flags.Get("json").value_or("");
    if (auto v = flags.Get("threads"); v && (!absl::SimpleAtoi(*v, &r.threads) || r.threads < 1)) {
      std::fprintf(stderr, "squatguard_eval: --threads: expected a whole number >= 1\n");
      return 2;
    }
    if (auto v = flags.Get("top-findings"); v && !absl::SimpleAtoi(*v, &r.top_findings)) {
      std::fprintf(stderr, "squatguard_eval: --top-findings: expected a whole number\n");
      return 2;
    }
    return RunRegistryVolume(r);
  }
  return RunEval(o, flags.Get("json").value_or(""));
}

}  // namespace
}  // namespace bench
}  // namespace squatguard

int main(int argc, char** argv) { return squatguard::bench::Main(argc, argv); }
