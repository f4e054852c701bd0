#!/usr/bin/env bash
# Time and peak memory to a loadable checkpoint on disk (docs/BENCHMARKS.md, "LLM checkpoints"): clinit init of
# examples/manifests/MODEL.json into a Hugging Face folder against transformers' own
# LlamaForCausalLM(config) in bf16 + save_pretrained, one after the other in one run, each under /usr/bin/time -v.
# usage: bench/llm_checkpoint.sh CLINIT PYTHON OUT_DIR MODEL... (MODEL: llama3_2_1b, llama3_8b;
#        MODEL:clinit runs clinit only). PYTHON has torch and transformers. The outputs are deleted afterwards.
set -euo pipefail
clinit=$1 python=$2 out=$3
shift 3
src=$(cd "$(dirname "$0")/.." && pwd)
measure() { # label, command...
  local label=$1
  shift
  /usr/bin/time -v "$@" > "$out/log" 2> "$out/time" || { cat "$out/log" "$out/time"; exit 1; }
  local wall rss
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$out/time")
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$out/time")
  printf '%-34s %10s %10d MiB %8s GB on disk\n' "$label" "$wall" $((rss / 1024)) \
         "$(du -sb "$out/ckpt" | awk '{printf "%.2f", $1 / 1e9}')"
  rm -rf "$out/ckpt"
}
mkdir -p "$out"
printf '%-34s %10s %14s\n' "run" "wall" "peak RSS"
for spec in "$@"; do
  model=${spec%%:*}
  measure "clinit init $model" "$clinit" init --manifest "$src/examples/manifests/$model.json" --out "$out/ckpt/"
  [ "$spec" = "$model:clinit" ] && continue
  measure "transformers $model" env HF_HUB_OFFLINE=1 TRANSFORMERS_VERBOSITY=error "$python" -c '
import json, sys, torch
from transformers import AutoConfig, AutoModelForCausalLM
config = AutoConfig.for_model(**json.load(open(sys.argv[1]))["config"])
model = AutoModelForCausalLM.from_config(config, dtype=torch.bfloat16)  # initialized by _init_weights
model.save_pretrained(sys.argv[2])' "$src/examples/manifests/$model.json" "$out/ckpt"
done
