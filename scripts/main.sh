#!/usr/bin/env bash
# The main job: set up, build, and initialize ResNet-50 and GPT-2 small on an OpenCL device (PoCL on a
# machine without a GPU), writing safetensors files to out/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
mkdir -p out
./build/host/cli/clinit devices
for model in resnet50 gpt2; do
  ./build/host/cli/clinit init --manifest "examples/manifests/$model.json" --seed 0 \
      --out "out/$model.safetensors" --force
done
