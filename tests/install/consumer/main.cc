// The README's library example as a user writes it against the installed
// package: build an Engine from the installed protected lists, check a name.
// Prints "<candidate> -> <target> [techniques]" and exits 0 when meta-Ilama
// is found to imitate meta-llama.
#include <cstdio>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <squatguard/engine.h>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: app PROTECTED_DIR\n");
    return 2;
  }
  squatguard::ProtectedList list;
  absl::Status s = list.AddPath(argv[1]);
  if (!s.ok()) {
    std::fprintf(stderr, "AddPath: %s\n", std::string(s.message()).c_str());
    return 1;
  }
  absl::StatusOr<std::unique_ptr<squatguard::Engine>> engine = squatguard::Engine::Create(std::move(list));
  if (!engine.ok()) {
    std::fprintf(stderr, "Create: %s\n", std::string(engine.status().message()).c_str());
    return 1;
  }
  bool found = false;
  for (const char* name : {"hf:meta-Ilama", "hf:meta-Ilama/Llama-3-8B"}) {
    absl::StatusOr<std::vector<squatguard::Finding>> findings = (*engine)->Check(name);
    if (!findings.ok()) {
      std::fprintf(stderr, "Check(%s): %s\n", name, std::string(findings.status().message()).c_str());
      return 1;
    }
    if (findings->empty()) {
      std::printf("%s: no finding\n", name);
      continue;
    }
    const squatguard::Finding& f = findings->front();
    std::string techniques;
    for (squatguard::Technique t : f.techniques) {
      techniques += (techniques.empty() ? "" : ",") + std::string(squatguard::TechniqueName(t));
    }
    const std::string org = f.target.substr(0, f.target.find('/'));
    std::printf("%s -> %s [%s] score %.2f\n", f.candidate.substr(0, f.candidate.find('/')).c_str(), org.c_str(),
                techniques.c_str(), f.score);
    found = found || org == "meta-llama";
  }
  return found ? 0 : 1;
}
