import torch
from huggingface_hub import hf_hub_download
from transformers import AutoModelForCausalLM, AutoTokenizer, pipeline

# Typosquat: mistral-ai is not mistralai.
model = AutoModelForCausalLM.from_pretrained("mistral-ai/Mistral-7B-v0.1")

# The real model, pinned to a commit: no finding.
tokenizer = AutoTokenizer.from_pretrained("mistralai/Mistral-7B-v0.1", revision="e3a5b6f0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6")

# A retired org name that someone else may now hold.
weights = hf_hub_download(repo_id="CohereForAI/aya-101", filename="model.safetensors",
                          revision="e3a5b6f0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6")

# Protected, but on a branch: unpinned.
generator = pipeline("text-generation", model="google/gemma-7b", revision="main")

name = "meta-Ilama/Llama-3-8B"
ignored = AutoModelForCausalLM.from_pretrained(f"{name}")
