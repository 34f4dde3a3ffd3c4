// The reference extractor of `squatguard deps`: every format, the cases each
// reader must refuse, and inputs meant to break it.
#include "cli/dependency_scanner.h"

#include <algorithm>
#include <chrono>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace squatguard {
namespace cli {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr char kSha[] = "e3a5b6f0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6";

std::vector<Reference> Extract(absl::string_view path, absl::string_view contents) {
  absl::StatusOr<std::vector<Reference>> refs = ExtractReferences(path, contents);
  EXPECT_TRUE(refs.ok()) << refs.status();
  return refs.ok() ? *refs : std::vector<Reference>{};
}

std::vector<std::string> Names(const std::vector<Reference>& refs) {
  std::vector<std::string> names;
  for (const Reference& r : refs) names.push_back(r.name);
  return names;
}

std::vector<int> Lines(const std::vector<Reference>& refs) {
  std::vector<int> lines;
  for (const Reference& r : refs) lines.push_back(r.line);
  return lines;
}

TEST(IsReferenceFileTest, KnowsTheFormatsByName) {
  for (const char* yes : {"config.json", "a/b/config.json", "adapter_config.json", "package.json", "README.md",
                          "docs/readme.md", "train.py", "requirements.txt", "requirements-dev.txt",
                          "dev-requirements.txt", "requirements/base.txt", "REQUIREMENTS.TXT"}) {
    EXPECT_TRUE(IsReferenceFile(yes)) << yes;
  }
  for (const char* no : {"tokenizer.json", "model.safetensors", "notes.txt", "README.rst", "setup.cfg",
                         "requirements.in", "x.pyc", "package-lock.json", "myconfig.json"}) {
    EXPECT_FALSE(IsReferenceFile(no)) << no;
  }
}

TEST(IsCommitHashTest, ExactlyFortyHexDigits) {
  EXPECT_TRUE(IsCommitHash(kSha));
  EXPECT_TRUE(IsCommitHash("E3A5B6F0C1D2E3F4A5B6C7D8E9F0A1B2C3D4E5F6"));
  EXPECT_FALSE(IsCommitHash("e3a5b6f"));
  EXPECT_FALSE(IsCommitHash("main"));
  EXPECT_FALSE(IsCommitHash("v1.0"));
  EXPECT_FALSE(IsCommitHash(absl::StrCat(kSha, "0")));
  EXPECT_FALSE(IsCommitHash("g3a5b6f0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6"));
}

TEST(OtherFilesTest, GiveNothing) {
  EXPECT_THAT(Extract("notes.txt", "from_pretrained(\"x/y\")"), IsEmpty());
  EXPECT_THAT(Extract("model.json", "{\"_name_or_path\": \"x/y\"}"), IsEmpty());
}

// --- config.json -----------------------------------------------------------

TEST(ConfigJsonTest, NameOrPathWithItsLine) {
  const std::vector<Reference> refs = Extract("m/config.json",
                                              "{\n"
                                              "  \"architectures\": [\"LlamaForCausalLM\"],\n"
                                              "  \"_name_or_path\": \"meta-llama/Llama-3-8B\",\n"
                                              "  \"hidden_size\": 4096\n"
                                              "}\n");
  ASSERT_EQ(refs.size(), 1u);
  EXPECT_EQ(refs[0].kind, ReferenceKind::kModel);
  EXPECT_EQ(refs[0].name, "meta-llama/Llama-3-8B");
  EXPECT_EQ(refs[0].file, "m/config.json");
  EXPECT_EQ(refs[0].line, 3);
  EXPECT_EQ(refs[0].field, "_name_or_path");
  EXPECT_EQ(refs[0].raw, "meta-llama/Llama-3-8B");
  EXPECT_FALSE(refs[0].local);
  EXPECT_FALSE(refs[0].pinnable);  // config.json has no place for a revision
}

TEST(ConfigJsonTest, NestedTowersInDocumentOrder) {
  const std::vector<Reference> refs = Extract("config.json",
                                              "{\"_name_or_path\": \"org/vlm\",\n"
                                              " \"vision_config\": {\"_name_or_path\": \"openai/clip-vit\"},\n"
                                              " \"text_config\": {\n"
                                              "   \"_name_or_path\": \"meta-llama/Llama-3-8B\"}}\n");
  EXPECT_THAT(Names(refs), ElementsAre("org/vlm", "openai/clip-vit", "meta-llama/Llama-3-8B"));
  EXPECT_THAT(Lines(refs), ElementsAre(1, 2, 4));
}

TEST(ConfigJsonTest, IgnoresOtherKeysValuesAndNonStrings) {
  EXPECT_THAT(Extract("config.json",
                      "{\"name_or_path\": \"a/b\", \"x\": \"_name_or_path\", \"_name_or_path\": null,"
                      " \"list\": [\"_name_or_path\", \"c/d\"]}"),
              IsEmpty());
  EXPECT_THAT(Extract("config.json", "{\"_name_or_path\": \"\"}"), IsEmpty());
  EXPECT_THAT(Extract("config.json", "\"just a string\""), IsEmpty());
  EXPECT_THAT(Extract("config.json", "[\"a/b\"]"), IsEmpty());
}

TEST(ConfigJsonTest, DecodesEscapes) {
  const std::vector<Reference> refs = Extract("config.json", "{\"_name_\\u006fr_path\": \"meta\\u002dllama\\/x\"}");
  EXPECT_THAT(Names(refs), ElementsAre("meta-llama/x"));
}

TEST(ConfigJsonTest, PathsAreLocal) {
  for (const char* path : {"../../../etc/models/x", "./", "../", "/data/ckpt", "~/models/x", "C:\\models\\x",
                           "checkpoints/run1/step100", "out/", "org/../x", "."}) {
    const std::vector<Reference> refs =
        Extract("config.json", absl::StrCat("{\"_name_or_path\": \"", absl::StrReplaceAll(path, {{"\\", "\\\\"}}),
                                            "\"}"));
    ASSERT_EQ(refs.size(), 1u) << path;
    EXPECT_TRUE(refs[0].local) << path;
    EXPECT_EQ(refs[0].name, path);
  }
  for (const char* id : {"gpt2", "bert-base-uncased", "org/repo", "meta-Ilama/Llama-3-8B"}) {
    const std::vector<Reference> refs = Extract("config.json", absl::StrCat("{\"_name_or_path\": \"", id, "\"}"));
    ASSERT_EQ(refs.size(), 1u) << id;
    EXPECT_FALSE(refs[0].local) << id;
  }
}

TEST(ConfigJsonTest, DropsTextThatIsNoName) {
  for (const char* junk : {"https://huggingface.co/org/x", "two words", "a\\tb", "x\\u0000y", "{org}/x"}) {
    EXPECT_THAT(Extract("config.json", absl::StrCat("{\"_name_or_path\": \"", junk, "\"}")), IsEmpty()) << junk;
  }
  EXPECT_THAT(Extract("config.json", absl::StrCat("{\"_name_or_path\": \"", std::string(300, 'a'), "\"}")),
              IsEmpty());
}

TEST(ConfigJsonTest, KeepsLookAlikeLetters) {
  // Cyrillic a in "meta": exactly what the engine must see.
  EXPECT_THAT(Names(Extract("config.json", "{\"_name_or_path\": \"met\xD0\xB0-llama/x\"}")),
              ElementsAre("met\xD0\xB0-llama/x"));
}

TEST(ConfigJsonTest, MalformedJsonIsAnErrorWithThePosition) {
  absl::StatusOr<std::vector<Reference>> refs =
      ExtractReferences("config.json", "{\n  \"_name_or_path\": \"a/b\"\n  \"x\": 1\n}\n");
  ASSERT_FALSE(refs.ok());
  EXPECT_EQ(refs.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(refs.status().message(), HasSubstr("malformed JSON"));
  EXPECT_THAT(refs.status().message(), HasSubstr("line 3"));
  EXPECT_FALSE(ExtractReferences("config.json", "").ok());
  EXPECT_FALSE(ExtractReferences("config.json", "{\"_name_or_path\": \"a\xff\"}").ok());  // invalid UTF-8
  EXPECT_FALSE(ExtractReferences("package.json", "{\"dependencies\": {\"a\": \"1\",}}").ok());
  EXPECT_FALSE(ExtractReferences("adapter_config.json", "{// comment\n}").ok());
}

// --- adapter_config.json ---------------------------------------------------

TEST(AdapterConfigTest, BaseModelAndRevision) {
  std::vector<Reference> refs = Extract("adapter_config.json",
                                        "{\n  \"base_model_name_or_path\": \"meta-Ilama/Llama-3-8B\",\n"
                                        "  \"revision\": null\n}");
  ASSERT_EQ(refs.size(), 1u);
  EXPECT_EQ(refs[0].name, "meta-Ilama/Llama-3-8B");
  EXPECT_EQ(refs[0].line, 2);
  EXPECT_EQ(refs[0].field, "base_model_name_or_path");
  EXPECT_TRUE(refs[0].pinnable);
  EXPECT_FALSE(refs[0].pinned);
  EXPECT_EQ(refs[0].revision, "");

  // The revision may come first; a branch is no pin, a commit is.
  refs = Extract("adapter_config.json", "{\"revision\": \"main\", \"base_model_name_or_path\": \"a/b\"}");
  ASSERT_EQ(refs.size(), 1u);
  EXPECT_EQ(refs[0].revision, "main");
  EXPECT_FALSE(refs[0].pinned);
  refs = Extract("adapter_config.json",
                 absl::StrCat("{\"base_model_name_or_path\": \"a/b\", \"revision\": \"", kSha, "\"}"));
  ASSERT_EQ(refs.size(), 1u);
  EXPECT_TRUE(refs[0].pinned);
}

TEST(AdapterConfigTest, OnlyTopLevel) {
  EXPECT_THAT(Extract("adapter_config.json", "{\"x\": {\"base_model_name_or_path\": \"a/b\"}}"), IsEmpty());
  EXPECT_THAT(Extract("adapter_config.json", "{\"_name_or_path\": \"a/b\"}"), IsEmpty());
}

// --- README.md model cards -------------------------------------------------

TEST(ModelCardTest, ScalarBaseModel) {
  const std::vector<Reference> refs =
      Extract("README.md", "---\nlicense: mit\nbase_model: mistralai/Mistral-7B-v0.1\n---\n# Card\n");
  ASSERT_EQ(refs.size(), 1u);
  EXPECT_EQ(refs[0].name, "mistralai/Mistral-7B-v0.1");
  EXPECT_EQ(refs[0].line, 3);
  EXPECT_EQ(refs[0].field, "base_model");
  EXPECT_FALSE(refs[0].pinnable);
}

TEST(ModelCardTest, BlockAndFlowListsQuotesAndComments) {
  std::vector<Reference> refs = Extract("README.md",
                                        "---\n"
                                        "base_model:\n"
                                        "- mistralai/Mistral-7B-v0.1\n"
                                        "  # a comment between items\n"
                                        "-   \"gogle/gemma-7b\"  \n"
                                        "- 'org/quoted' # trailing\n"
                                        "tags:\n"
                                        "- not-a-model\n"
                                        "---\n");
  EXPECT_THAT(Names(refs), ElementsAre("mistralai/Mistral-7B-v0.1", "gogle/gemma-7b", "org/quoted"));
  EXPECT_THAT(Lines(refs), ElementsAre(3, 5, 6));

  refs = Extract("README.md", "---\nbase_model:\n  - a/one\n  - b/two\nlicense: mit\n---\n");
  EXPECT_THAT(Names(refs), ElementsAre("a/one", "b/two"));

  refs = Extract("README.md", "---\nbase_model: [a/one, \"b/two\"]\n---\n");
  EXPECT_THAT(Names(refs), ElementsAre("a/one", "b/two"));
  EXPECT_THAT(Lines(refs), ElementsAre(2, 2));

  refs = Extract("README.md", "---\nbase_model: org/x # the base\n---\n");
  EXPECT_THAT(Names(refs), ElementsAre("org/x"));
}

TEST(ModelCardTest, OnlyTopLevelBaseModelInLeadingFrontMatter) {
  EXPECT_THAT(Extract("README.md", "# Title\n---\nbase_model: a/b\n---\n"), IsEmpty());
  EXPECT_THAT(Extract("README.md", "---\nlicense: mit\n---\nbase_model: a/b\n"), IsEmpty());
  EXPECT_THAT(Extract("README.md", "---\nbase_model_relation: quantized\nmodel-index:\n  base_model: a/b\n---\n"),
              IsEmpty());
  EXPECT_THAT(Extract("README.md", "---\nbase_model: null\nbase_model: ~\nbase_model: ''\n---\n"), IsEmpty());
  EXPECT_THAT(Extract("README.md", "---\nbase_model:\n- name: a/b\n---\n"), IsEmpty());
  EXPECT_THAT(Extract("README.md", ""), IsEmpty());
  EXPECT_THAT(Extract("README.md", "---"), IsEmpty());
}

TEST(ModelCardTest, CrLfAndByteOrderMark) {
  const std::vector<Reference> refs = Extract("README.md", "\xEF\xBB\xBF---\r\nbase_model:\r\n- a/b\r\n---\r\n");
  EXPECT_THAT(Names(refs), ElementsAre("a/b"));
  EXPECT_THAT(Lines(refs), ElementsAre(3));
}

TEST(ModelCardTest, UnclosedFrontMatterIsReadToTheEnd) {
  EXPECT_THAT(Names(Extract("README.md", "---\nbase_model: a/b")), ElementsAre("a/b"));
}

// --- Python ----------------------------------------------------------------

TEST(PythonTest, FromPretrainedPositionalAndKeyword) {
  const std::vector<Reference> refs = Extract("train.py",
                                              "from transformers import AutoModel\n"
                                              "m = AutoModel.from_pretrained(\"mistral-ai/Mistral-7B-v0.1\")\n"
                                              "t = AutoTokenizer.from_pretrained(pretrained_model_name_or_path='a/b')\n"
                                              "p = PeftModel.from_pretrained(m, \"org/adapter\")\n"
                                              "q = PeftModel.from_pretrained(m, model_id=\"org/adapter2\")\n");
  EXPECT_THAT(Names(refs), ElementsAre("mistral-ai/Mistral-7B-v0.1", "a/b", "org/adapter", "org/adapter2"));
  EXPECT_THAT(Lines(refs), ElementsAre(2, 3, 4, 5));
  for (const Reference& r : refs) {
    EXPECT_EQ(r.field, "from_pretrained");
    EXPECT_TRUE(r.pinnable);
    EXPECT_FALSE(r.pinned);
  }
}

TEST(PythonTest, PipelineHubDownloadsAndSentenceTransformers) {
  const std::vector<Reference> refs = Extract("x.py",
                                              "pipeline('text-generation', model='org/gen')\n"
                                              "pipeline('fill-mask', 'org/mask')\n"
                                              "pipeline('fill-mask')\n"
                                              "hf_hub_download(repo_id='org/dl', filename='w.bin')\n"
                                              "hf_hub_download('org/dl2', 'w.bin')\n"
                                              "snapshot_download(repo_id=\"org/snap\")\n"
                                              "SentenceTransformer('org/st')\n"
                                              "CrossEncoder(model_name='org/ce')\n");
  EXPECT_THAT(Names(refs), ElementsAre("org/gen", "org/mask", "org/dl", "org/dl2", "org/snap", "org/st", "org/ce"));
  EXPECT_EQ(refs[0].field, "pipeline");
  EXPECT_EQ(refs[2].field, "hf_hub_download");
  EXPECT_EQ(refs[4].field, "snapshot_download");
  EXPECT_EQ(refs[5].field, "SentenceTransformer");
}

TEST(PythonTest, Revisions) {
  const std::vector<Reference> refs = Extract("x.py",
                                              absl::StrCat("a.from_pretrained('o/pinned', revision='", kSha, "')\n",
                                                           "a.from_pretrained('o/branch', revision='main')\n"
                                                           "a.from_pretrained('o/short', revision='e3a5b6f')\n"
                                                           "a.from_pretrained('o/var', revision=REV)\n"
                                                           "a.from_pretrained('o/none', revision=None)\n"
                                                           "a.from_pretrained('o/bare')\n"));
  ASSERT_EQ(refs.size(), 6u);
  EXPECT_TRUE(refs[0].pinned);
  EXPECT_EQ(refs[0].revision, kSha);
  EXPECT_FALSE(refs[1].pinned);
  EXPECT_EQ(refs[1].revision, "main");
  EXPECT_FALSE(refs[2].pinned);
  EXPECT_TRUE(refs[3].pinned);  // a variable: not judged
  EXPECT_EQ(refs[3].revision, "(expression)");
  EXPECT_FALSE(refs[4].pinned);
  EXPECT_EQ(refs[4].revision, "");
  EXPECT_FALSE(refs[5].pinned);
}

TEST(PythonTest, MultiLineCallsReportTheLiteralsLine) {
  const std::vector<Reference> refs = Extract("x.py",
                                              "model = AutoModel.from_pretrained(\n"
                                              "    # the base\n"
                                              "    \"org/base\",\n"
                                              "    torch_dtype=torch.float16,\n"
                                              "    device_map={\"\": 0},\n"
                                              "    revision=\"main\",\n"
                                              ")\n"
                                              "w = hf_hub_download(\n  repo_id=\"org/w\")\n");
  EXPECT_THAT(Names(refs), ElementsAre("org/base", "org/w"));
  EXPECT_THAT(Lines(refs), ElementsAre(3, 9));
  EXPECT_EQ(refs[0].revision, "main");
}

TEST(PythonTest, OnlyPlainStringLiteralsCount) {
  EXPECT_THAT(Extract("x.py",
                      "a.from_pretrained(f\"{org}/x\")\n"
                      "a.from_pretrained(F'org/x')\n"
                      "a.from_pretrained(b'org/x')\n"
                      "a.from_pretrained(name)\n"
                      "a.from_pretrained(os.path.join('a', 'b'))\n"
                      "a.from_pretrained('org/' + name)\n"
                      "a.from_pretrained(*args)\n"
                      "pipeline('task', model=model)\n"),
              IsEmpty());
  // Raw and unicode prefixes, and implicit concatenation, are plain text.
  EXPECT_THAT(Names(Extract("x.py", "a.from_pretrained(r'org/raw')\na.from_pretrained(u'org/uni')\n"
                                    "a.from_pretrained('org/'\n  'joined')\n")),
              ElementsAre("org/raw", "org/uni", "org/joined"));
}

TEST(PythonTest, CommentsDocstringsAndDefinitionsAreNotCalls) {
  const std::vector<Reference> refs = Extract("x.py",
                                              "\"\"\"Usage:\n"
                                              "    model = AutoModel.from_pretrained(\"bad/docstring\")\n"
                                              "\"\"\"\n"
                                              "# AutoModel.from_pretrained(\"bad/comment\")\n"
                                              "s = 'from_pretrained(\"bad/string\")'\n"
                                              "class M:\n"
                                              "    def from_pretrained(cls, name='bad/default'):\n"
                                              "        '''it's a \"quote\" inside'''\n"
                                              "        return cls.from_pretrained('good/real')\n");
  EXPECT_THAT(Names(refs), ElementsAre("good/real"));
  EXPECT_THAT(Lines(refs), ElementsAre(9));
}

TEST(PythonTest, EscapesInsideStrings) {
  const std::vector<Reference> refs = Extract("x.py",
                                              "x = 'it\\'s \\\\'\n"
                                              "y = \"say \\\"from_pretrained('bad/x')\\\"\"\n"
                                              "a.from_pretrained('org/after')\n");
  EXPECT_THAT(Names(refs), ElementsAre("org/after"));
  EXPECT_THAT(Lines(refs), ElementsAre(3));
}

TEST(PythonTest, PathsAreLocal) {
  const std::vector<Reference> refs =
      Extract("x.py", "a.from_pretrained('./out')\na.from_pretrained('../../x')\na.from_pretrained('/models/m')\n");
  ASSERT_EQ(refs.size(), 3u);
  for (const Reference& r : refs) EXPECT_TRUE(r.local) << r.name;
}

TEST(PythonTest, BrokenSourceDoesNotBreakTheReader) {
  EXPECT_THAT(Extract("x.py", "a.from_pretrained('org/x'"), IsEmpty());
  // A string left open ends with its line; the outer call stays unclosed, the
  // inner one is whole.
  EXPECT_THAT(Names(Extract("x.py", "a.from_pretrained('unterminated\nb.from_pretrained('org/y')\n")),
              ElementsAre("org/y"));
  EXPECT_THAT(Names(Extract("x.py", "s = 'open\na.from_pretrained('org/z')\n")), ElementsAre("org/z"));
  EXPECT_THAT(Extract("x.py", "'''never closed\na.from_pretrained('org/x')\n"), IsEmpty());
  EXPECT_THAT(Extract("x.py", ")))]]]}}}((("), IsEmpty());
  EXPECT_THAT(Extract("x.py", "from_pretrained"), IsEmpty());
  EXPECT_THAT(Extract("x.py", "\\"), IsEmpty());
}

TEST(PythonTest, DeepNestingStaysFast) {
  // 200,000 nested calls: linear, not one scan per call.
  std::string src;
  for (int i = 0; i < 200000; ++i) src += "a.from_pretrained(";
  src += "'org/x'";
  for (int i = 0; i < 200000; ++i) src += ")";
  const auto start = std::chrono::steady_clock::now();
  const std::vector<Reference> refs = Extract("x.py", src);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_THAT(Names(refs), ElementsAre("org/x"));
  EXPECT_LT(secs, 3.0);
}

// --- requirements ----------------------------------------------------------

TEST(RequirementsTest, NamesPinsAndLines) {
  const std::vector<Reference> refs = Extract("requirements.txt",
                                              "# comment\n"
                                              "reqeusts==2.0\n"
                                              "numpy>=1.26  # not pinned\n"
                                              "Flask[async]==3.0.0 ; python_version >= \"3.8\"\n"
                                              "torch\n"
                                              "scipy~=1.11\n"
                                              "pandas===2.2.0\n"
                                              "urllib3==2.*\n"
                                              "certifi==2024.2.2 \\\n"
                                              "    --hash=sha256:0e7c33d2a0d5b25a6b2cc7c0c6b5e4b1\n"
                                              "idna --hash=sha256:abc\n"
                                              "six==1.16.0\r\n");
  EXPECT_THAT(Names(refs), ElementsAre("reqeusts", "numpy", "Flask", "torch", "scipy", "pandas", "urllib3",
                                       "certifi", "idna", "six"));
  EXPECT_THAT(Lines(refs), ElementsAre(2, 3, 4, 5, 6, 7, 8, 9, 11, 12));
  std::vector<bool> pinned;
  for (const Reference& r : refs) pinned.push_back(r.pinned);
  EXPECT_THAT(pinned, ElementsAre(true, false, true, false, false, true, false, true, true, true));
  EXPECT_EQ(refs[0].kind, ReferenceKind::kPyPIPackage);
  EXPECT_EQ(refs[0].raw, "reqeusts==2.0");
  EXPECT_EQ(refs[0].revision, "==2.0");
  EXPECT_EQ(refs[0].field, "requirements");
  EXPECT_EQ(refs[1].revision, ">=1.26");
  EXPECT_EQ(refs[3].revision, "");
  EXPECT_EQ(refs[4].revision, "~=1.11");
  EXPECT_EQ(refs[7].revision, "==2024.2.2 --hash");
  for (const Reference& r : refs) EXPECT_TRUE(r.pinnable);
}

TEST(RequirementsTest, OptionsUrlsAndLocalPathsAreSkipped) {
  EXPECT_THAT(Extract("requirements.txt",
                      "-r other.txt\n"
                      "--requirement base.txt\n"
                      "-c constraints.txt\n"
                      "-e ./local\n"
                      "--editable git+https://github.com/o/r.git#egg=r\n"
                      "--index-url https://pypi.example/simple\n"
                      "-i https://x\n"
                      "git+https://github.com/huggingface/peft.git\n"
                      "https://example.com/pkg-1.0.tar.gz\n"
                      "./vendor/tool\n"
                      "../sibling\n"
                      "/abs/path\n"
                      "~/pkg\n"
                      "wheels/local-1.0-py3-none-any.whl\n"
                      "local-1.0-py3-none-any.whl\n"
                      "pkg @ https://example.com/pkg.zip\n"
                      "pkg@ file:///tmp/pkg\n"
                      "${PKG_NAME}==1.0\n"
                      "   \n"
                      "#only a comment\n"),
              IsEmpty());
}

TEST(RequirementsTest, FileNamesThatCount) {
  EXPECT_THAT(Names(Extract("requirements-dev.txt", "pytest\n")), ElementsAre("pytest"));
  EXPECT_THAT(Names(Extract("src/requirements/base.txt", "django\n")), ElementsAre("django"));
  EXPECT_THAT(Extract("notes.txt", "django\n"), IsEmpty());
}

TEST(RequirementsTest, ContinuationAtEndOfFile) {
  EXPECT_THAT(Names(Extract("requirements.txt", "a==1 \\")), ElementsAre("a"));
}

// --- package.json ----------------------------------------------------------

TEST(PackageJsonTest, AllSectionsAliasesAndLines) {
  const std::vector<Reference> refs = Extract("web/package.json",
                                              "{\n"
                                              "  \"name\": \"web\",\n"
                                              "  \"version\": \"1.0.0\",\n"
                                              "  \"dependencies\": {\n"
                                              "    \"lodahs\": \"^4.17.21\",\n"
                                              "    \"react\": \"18.3.1\",\n"
                                              "    \"@types/node\": \"~20.1.0\"\n"
                                              "  },\n"
                                              "  \"devDependencies\": {\"srv\": \"npm:expresss@4.19.2\"},\n"
                                              "  \"peerDependencies\": {\"x\": \"npm:@scope/pkg@>=1\"},\n"
                                              "  \"optionalDependencies\": {\"y\": \"npm:bare\"}\n"
                                              "}\n");
  EXPECT_THAT(Names(refs), ElementsAre("lodahs", "react", "@types/node", "expresss", "@scope/pkg", "bare"));
  EXPECT_THAT(Lines(refs), ElementsAre(5, 6, 7, 9, 10, 11));
  std::vector<bool> pinned;
  for (const Reference& r : refs) pinned.push_back(r.pinned);
  EXPECT_THAT(pinned, ElementsAre(false, true, false, true, false, false));
  EXPECT_EQ(refs[0].kind, ReferenceKind::kNpmPackage);
  EXPECT_EQ(refs[0].field, "dependencies");
  EXPECT_EQ(refs[0].revision, "^4.17.21");
  EXPECT_EQ(refs[0].raw, "\"lodahs\": \"^4.17.21\"");
  EXPECT_EQ(refs[3].field, "devDependencies");
  EXPECT_EQ(refs[3].revision, "4.19.2");
  EXPECT_EQ(refs[3].raw, "\"srv\": \"npm:expresss@4.19.2\"");
  EXPECT_EQ(refs[4].revision, ">=1");
  EXPECT_EQ(refs[5].revision, "");
}

TEST(PackageJsonTest, NonRegistrySpecsAndOtherFieldsAreSkipped) {
  EXPECT_THAT(Extract("package.json",
                      "{\"name\": \"lodahs\",\n"
                      " \"scripts\": {\"lodahs\": \"1.0.0\"},\n"
                      " \"overrides\": {\"lodahs\": \"1.0.0\"},\n"
                      " \"bundledDependencies\": [\"lodahs\"],\n"
                      " \"dependencies\": {\n"
                      "  \"a\": \"file:../a\", \"b\": \"link:../b\", \"c\": \"workspace:*\",\n"
                      "  \"d\": \"git+https://github.com/o/d.git\", \"e\": \"https://x/e.tgz\",\n"
                      "  \"f\": \"github:o/f\", \"g\": \"o/g#v1\", \"h\": \"./h\", \"i\": {\"nested\": \"1\"},\n"
                      "  \"j\": 1}}\n"),
              IsEmpty());
  EXPECT_THAT(Extract("package.json", "{\"dependencies\": [\"lodahs\"]}"), IsEmpty());
  EXPECT_THAT(Extract("package.json", "[]"), IsEmpty());
}

TEST(PackageJsonTest, ExactVersions) {
  const std::vector<Reference> refs = Extract("package.json",
                                              "{\"dependencies\": {\"a\": \"1.2.3\", \"b\": \"=1.2.3\",\n"
                                              "\"c\": \"v1.2.3-rc.1+build.5\", \"d\": \"1.2\", \"e\": \"*\",\n"
                                              "\"f\": \"latest\", \"g\": \"1.2.x\", \"h\": \"1.2.3 - 1.4.0\",\n"
                                              "\"i\": \">=1.2.3\", \"k\": \"1.2.3 || 2.0.0\", \"l\": \"\"}}");
  std::vector<bool> pinned;
  for (const Reference& r : refs) pinned.push_back(r.pinned);
  EXPECT_THAT(pinned, ElementsAre(true, true, true, false, false, false, false, false, false, false, false));
}

// --- robustness ------------------------------------------------------------

TEST(RobustnessTest, MutatedFilesNeverCrash) {
  const std::vector<std::pair<std::string, std::string>> seeds = {
      {"config.json", "{\"_name_or_path\": \"a/b\", \"text_config\": {\"_name_or_path\": \"c/d\"}}"},
      {"adapter_config.json", "{\"base_model_name_or_path\": \"a/b\", \"revision\": \"main\"}"},
      {"package.json", "{\"dependencies\": {\"a\": \"npm:@s/b@1\", \"c\": \"^1\"}}"},
      {"README.md", "---\nbase_model:\n- a/b\n- [c, d]\n---\n"},
      {"x.py", "m = A.from_pretrained(\"a/b\", revision='''x''')\npipeline(model=r'c/d')\n"},
      {"requirements.txt", "a[x]==1 ; python_version<'3' \\\n --hash=sha256:00\n-e .\n"},
  };
  std::mt19937 rng(20240607);
  const std::string alphabet = "{}[]()\"'\\:,=-#\n\r/.@ ~abc\xD0\xB0\xff\x00";
  size_t parsed = 0;
  for (int round = 0; round < 4000; ++round) {
    const auto& [name, seed] = seeds[round % seeds.size()];
    std::string text = seed;
    const int edits = 1 + static_cast<int>(rng() % 6);
    for (int e = 0; e < edits; ++e) {
      const size_t at = text.empty() ? 0 : rng() % text.size();
      const char c = alphabet[rng() % alphabet.size()];
      switch (rng() % 3) {
        case 0: text.insert(text.begin() + at, c); break;
        case 1: if (!text.empty()) text[at] = c; break;
        default: if (!text.empty()) text.erase(at, 1 + rng() % 4); break;
      }
    }
    absl::StatusOr<std::vector<Reference>> refs = ExtractReferences(name, text);
    if (!refs.ok()) continue;
    ++parsed;
    for (const Reference& r : *refs) {
      EXPECT_FALSE(r.name.empty());
      EXPECT_GE(r.line, 1);
      EXPECT_LE(r.line, static_cast<int>(std::count(text.begin(), text.end(), '\n')) + 1);
      EXPECT_EQ(r.file, name);
    }
  }
  EXPECT_GT(parsed, 1000u);
}

TEST(RobustnessTest, LargeInputsAreLinear) {
  std::string reqs, py, pkg = "{\"dependencies\": {";
  for (int i = 0; i < 100000; ++i) {
    absl::StrAppend(&reqs, "pkg", i, "==1.0\n");
    absl::StrAppend(&py, "m", i, " = A.from_pretrained('org/m", i, "')\n");
    absl::StrAppend(&pkg, i ? "," : "", "\"p", i, "\": \"1.0.0\"");
  }
  pkg += "}}";
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(Extract("requirements.txt", reqs).size(), 100000u);
  EXPECT_EQ(Extract("x.py", py).size(), 100000u);
  EXPECT_EQ(Extract("package.json", pkg).size(), 100000u);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_LT(secs, 10.0);
}

}  // namespace
}  // namespace cli
}  // namespace squatguard
