#!/usr/bin/env bash
# The frameworks' own check of clinit's manifests and outputs (tools/manifests/check_frameworks.py): torchvision's
# ResNet-50 and transformers' GPT-2 load clinit's files strictly, Keras takes the Keras models' variables, and
# small Llama models of Llama-3.2-1B's and Llama-3-8B's architectures, written in Hugging Face's folder layout,
# load with transformers' from_pretrained and match its save_pretrained's shards and index. The frameworks come
# from PyPI into a virtual environment made here once (VENV; about 6 GB: PyPI's torch brings CUDA's libraries,
# which stay unused) with the versions the manifests were generated with.
# usage: run.sh VENV CLINIT SOURCE_DIR
set -euo pipefail
venv=$1 clinit=$2 src=$3
packages=(torch==2.15.0 torchvision==0.29.2 transformers==5.25.0 keras==3.15.1 safetensors)
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import torch, torchvision, transformers, safetensors' 2>/dev/null; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check "${packages[@]}"
fi
export KERAS_BACKEND=torch HF_HUB_OFFLINE=1 TRANSFORMERS_VERBOSITY=error PYTHONDONTWRITEBYTECODE=1
exec "$venv/bin/python" "$src/tools/manifests/check_frameworks.py" "$clinit"
