"""Fine-tunes the base model.

Docstring examples are not code: from_pretrained("meta-Ilama/Llama-3-8B")
"""
from transformers import AutoModelForCausalLM, AutoTokenizer

BASE = "mistralai/Mistral-7B-v0.1"
PIN = "e3a5b6f0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6"

# model = AutoModelForCausalLM.from_pretrained("mistral-ai/Mistral-7B-v0.1")
model = AutoModelForCausalLM.from_pretrained(
    "mistralai/Mistral-7B-v0.1",
    revision="e3a5b6f0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6",
)
tokenizer = AutoTokenizer.from_pretrained(BASE, revision=PIN)
local = AutoModelForCausalLM.from_pretrained("./checkpoint")
