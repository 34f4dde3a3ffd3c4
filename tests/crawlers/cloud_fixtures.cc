#include "tests/crawlers/cloud_fixtures.h"

#include <array>
#include <cstdint>
#include <map>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace squatguard {
namespace testing {
namespace {

constexpr char kListGroups[] = "SageMaker.ListModelPackageGroups";
constexpr char kListPackages[] = "SageMaker.ListModelPackages";
constexpr char kGroupsToken[] = "eyJwYWdlIjogMn0=";
constexpr char kPackagesToken[] = "cGFja2FnZXMtMg==";

// --- SHA-256 (FIPS 180-4) -------------------------------------------------

constexpr uint32_t kK[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
    0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
    0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
    0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
    0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

uint32_t Rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

std::string Sha256(absl::string_view data) {
  uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  std::string m(data);
  const uint64_t bits = static_cast<uint64_t>(data.size()) * 8;
  m.push_back(static_cast<char>(0x80));
  while (m.size() % 64 != 56) m.push_back('\0');
  for (int i = 7; i >= 0; --i) m.push_back(static_cast<char>(bits >> (8 * i)));
  for (size_t off = 0; off < m.size(); off += 64) {
    uint32_t w[64];
    for (int i = 0; i < 16; ++i) {
      const auto* p = reinterpret_cast<const unsigned char*>(&m[off + 4 * i]);
      w[i] = (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) |
             (uint32_t{p[2]} << 8) | uint32_t{p[3]};
    }
    for (int i = 16; i < 64; ++i) {
      uint32_t s0 = Rotr(w[i - 15], 7) ^ Rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
      uint32_t s1 = Rotr(w[i - 2], 17) ^ Rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5],
             g = h[6], k = h[7];
    for (int i = 0; i < 64; ++i) {
      uint32_t s1 = Rotr(e, 6) ^ Rotr(e, 11) ^ Rotr(e, 25);
      uint32_t ch = (e & f) ^ (~e & g);
      uint32_t t1 = k + s1 + ch + kK[i] + w[i];
      uint32_t s0 = Rotr(a, 2) ^ Rotr(a, 13) ^ Rotr(a, 22);
      uint32_t maj = (a & b) ^ (a & c) ^ (b & c);
      uint32_t t2 = s0 + maj;
      k = g;
      g = f;
      f = e;
      e = d + t1;
      d = c;
      c = b;
      b = a;
      a = t1 + t2;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d;
    h[4] += e; h[5] += f; h[6] += g; h[7] += k;
  }
  std::string out;
  for (uint32_t v : h) {
    for (int i = 3; i >= 0; --i) out.push_back(static_cast<char>(v >> (8 * i)));
  }
  return out;
}

std::string Hex(absl::string_view raw) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : raw) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

void Serve(FixtureServer& server, const std::string& key, const std::string& file) {
  server.Serve(key, {200, {}, ReadTestdata(file)});
}

}  // namespace

std::string Sha256Hex(absl::string_view data) { return Hex(Sha256(data)); }

std::string HmacSha256(absl::string_view key, absl::string_view data) {
  std::string k(key);
  if (k.size() > 64) k = Sha256(k);
  k.resize(64, '\0');
  std::string inner, outer;
  for (char c : k) {
    inner.push_back(static_cast<char>(c ^ 0x36));
    outer.push_back(static_cast<char>(c ^ 0x5c));
  }
  return Sha256(absl::StrCat(outer, Sha256(absl::StrCat(inner, data))));
}

std::string CheckSigV4(const RecordedRequest& request, absl::string_view key_id,
                       absl::string_view secret, absl::string_view region,
                       absl::string_view service) {
  const std::string auth = request.Header("authorization");
  constexpr absl::string_view kAlgorithm = "AWS4-HMAC-SHA256 ";
  if (!absl::StartsWith(auth, kAlgorithm)) return "no AWS4-HMAC-SHA256 header: " + auth;
  std::map<std::string, std::string> fields;
  for (absl::string_view part : absl::StrSplit(
           absl::string_view(auth).substr(kAlgorithm.size()), ',')) {
    part = absl::StripAsciiWhitespace(part);
    size_t eq = part.find('=');
    if (eq == absl::string_view::npos) return "malformed field: " + std::string(part);
    fields[std::string(part.substr(0, eq))] = std::string(part.substr(eq + 1));
  }
  const std::string date_time = request.Header("x-amz-date");
  if (date_time.size() != 16) return "bad x-amz-date: " + date_time;
  const std::string date = date_time.substr(0, 8);
  const std::string scope =
      absl::StrCat(date, "/", region, "/", service, "/aws4_request");
  if (fields["Credential"] != absl::StrCat(key_id, "/", scope)) {
    return "credential is " + fields["Credential"];
  }
  // Canonical request: method, path, query, the signed headers, the body hash.
  const std::string& target = request.target;
  size_t q = target.find('?');
  std::string canonical = absl::StrCat(
      request.method, "\n", target.substr(0, q), "\n",
      q == std::string::npos ? "" : target.substr(q + 1), "\n");
  for (absl::string_view name : absl::StrSplit(fields["SignedHeaders"], ';')) {
    std::string value = request.Header(std::string(name));
    if (value.empty() && name != "host") return "signed header missing: " + std::string(name);
    absl::StrAppend(&canonical, name, ":", absl::StripAsciiWhitespace(value), "\n");
  }
  absl::StrAppend(&canonical, "\n", fields["SignedHeaders"], "\n",
                  Sha256Hex(request.body));
  const std::string to_sign = absl::StrCat("AWS4-HMAC-SHA256\n", date_time, "\n",
                                           scope, "\n", Sha256Hex(canonical));
  std::string key = HmacSha256(absl::StrCat("AWS4", secret), date);
  key = HmacSha256(key, region);
  key = HmacSha256(key, service);
  key = HmacSha256(key, "aws4_request");
  const std::string expected = Hex(HmacSha256(key, to_sign));
  if (fields["Signature"] != expected) {
    return absl::StrCat("signature ", fields["Signature"], " != expected ", expected,
                        " over\n", canonical);
  }
  return "";
}

std::string SageMakerKey(absl::string_view operation, absl::string_view group,
                         absl::string_view token) {
  return absl::StrCat(operation, "|", group, "|", token);
}

std::string SageMakerRoute(const RecordedRequest& request) {
  const std::string op = request.Header("x-amz-target");
  if (op.empty()) return "";
  nlohmann::json body = nlohmann::json::parse(request.body, nullptr, false);
  if (!body.is_object()) return SageMakerKey(op, "", "");
  auto text = [&](const char* key) {
    auto it = body.find(key);
    return it != body.end() && it->is_string() ? it->get<std::string>() : "";
  };
  return SageMakerKey(op, text("ModelPackageGroupName"), text("NextToken"));
}

void ServeSageMaker(FixtureServer& server, RegistryState state) {
  server.Route(SageMakerRoute);
  const std::string d = "sagemaker/";
  Serve(server, SageMakerKey(kListGroups, "", ""), d + "groups_1.json");
  Serve(server, SageMakerKey(kListGroups, "", kGroupsToken), d + "groups_2.json");
  Serve(server, SageMakerKey(kListPackages, "fraud-detector", ""),
        d + "packages_fraud-detector_1.json");
  Serve(server, SageMakerKey(kListPackages, "fraud-detector", kPackagesToken),
        d + (state == RegistryState::kBaseline ? "packages_fraud-detector_2.json"
             : state == RegistryState::kJump   ? "packages_fraud-detector_jump.json"
                                               : "packages_fraud-detector_reverted.json"));
  Serve(server, SageMakerKey(kListPackages, "fraud-detecter", ""),
        d + "packages_fraud-detecter.json");
  Serve(server, SageMakerKey(kListPackages, "churn-model", ""),
        d + "packages_churn-model.json");
}

void ServeVertex(FixtureServer& server, RegistryState state) {
  const std::string d = "vertex/";
  const std::string models = kVertexModels;
  const std::string base = "/v1/projects/123456789012/locations/us-central1/models/";
  Serve(server, models, d + "models_1.json");
  Serve(server, models + "&pageToken=CgwIgICAgICAgIAaEAE", d + "models_2.json");
  const std::string q = ":listVersions?pageSize=100";
  Serve(server, base + "1111" + q, d + "versions_1111_1.json");
  Serve(server, base + "1111" + q + "&pageToken=Cg0xNzE2NTUyMDAwMDAw",
        d + (state == RegistryState::kBaseline ? "versions_1111_2.json"
             : state == RegistryState::kJump   ? "versions_1111_jump.json"
                                               : "versions_1111_reverted.json"));
  Serve(server, base + "2222" + q, d + "versions_2222.json");
  Serve(server, base + "3333" + q, d + "versions_3333.json");
}

std::string AzureModels() {
  return absl::StrCat(kAzureRegistry, "/models?api-version=2023-04-01");
}

void ServeAzureMl(FixtureServer& server, RegistryState state) {
  const std::string d = "azureml/";
  const std::string skip = "&$skip=eyJza2lwIjoyfQ%3D%3D";
  Serve(server, AzureModels(),
        d + (state == RegistryState::kJump ? "models_1_jump.json" : "models_1.json"));
  Serve(server, AzureModels() + skip, d + "models_2.json");
  const std::string versions = absl::StrCat(kAzureRegistry, "/models/");
  const std::string q = "/versions?api-version=2023-04-01";
  Serve(server, versions + "credit-scoring" + q, d + "versions_credit-scoring_1.json");
  Serve(server, versions + "credit-scoring" + q + skip,
        d + (state == RegistryState::kBaseline ? "versions_credit-scoring_2.json"
             : state == RegistryState::kJump   ? "versions_credit-scoring_jump.json"
                                               : "versions_credit-scoring_reverted.json"));
  Serve(server, versions + "credit-scorinq" + q, d + "versions_credit-scorinq.json");
  Serve(server, versions + "income-model" + q, d + "versions_income-model.json");
}

}  // namespace testing
}  // namespace squatguard
