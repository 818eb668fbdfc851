#!/usr/bin/env bash
# Installs the Debian packages ResLab needs when they are missing:
#   chromium              the browser test suite drives Debian's Chromium (never a downloaded browser)
#   dataset-fashion-mnist the real dataset the lessons train on (/usr/share/datasets/fashion-mnist)
#   fonts-dejavu-core     a text font for the headless browser (the set the tests were developed with)
#   python3-torch         PyTorch 1.13 for /usr/bin/python3 (with torch.distributed and /usr/bin/torchrun):
#                         the tests run every PyTorch export against the TF.js model it came from
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -d /usr/share/datasets/fashion-mnist ] || missing+=(dataset-fashion-mnist)
[ -d /usr/share/fonts/truetype/dejavu ] || missing+=(fonts-dejavu-core)
/usr/bin/python3 -c 'import torch' 2>/dev/null || missing+=(python3-torch)
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing Debian packages: ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "Run as root or install: apt-get install ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
