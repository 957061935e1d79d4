#!/usr/bin/env bash
# The compiled CRF tagger built with AddressSanitizer and UndefinedBehaviorSanitizer, and
# the tagger's tests plus the fuzz of model files and direct calls run against that build
# (`tox -e asan`). The build goes to a copy of the package under SCRATCH; the working
# tree's own extension is left as it is. Usage: asan.sh SCRATCH [pytest args]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="${1:?usage: asan.sh SCRATCH [pytest args]}/asan"
shift
cc="${CC:-gcc}"
flags="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g -O1"
# Python is not instrumented: the sanitizer runtime must be loaded before anything else
runtime="$("$cc" -print-file-name=libasan.so)"
if [ ! -e "$runtime" ]; then
    echo "asan.sh: $cc has no libasan.so (install the compiler's sanitizer runtime)" >&2
    exit 2
fi
rm -rf "$work"
mkdir -p "$work/pkg"
cd "$root"
CC="$cc" CFLAGS="$flags" LDFLAGS="-fsanitize=address,undefined" \
    python setup.py -q build_ext --build-lib "$work/lib" --build-temp "$work/tmp"
cp -r "$root/src/leasebench" "$work/pkg/"
rm -f "$work/pkg/leasebench/crf/"_tagger*.so
cp "$work/lib/leasebench/crf/"_tagger*.so "$work/pkg/leasebench/crf/"
export LD_PRELOAD="$runtime"
export PYTHONPATH="$work/pkg"
export ASAN_OPTIONS="detect_leaks=0:abort_on_error=1:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}"
python -c "import leasebench.crf._tagger as t, sys; \
assert t.__file__.startswith(sys.argv[1]), t.__file__; print('sanitized tagger:', t.__file__)" \
    "$work/pkg"
python -m pytest -p no:cacheprovider -q tests/robustness/test_model_files.py \
    tests/offline/test_crf_compiled.py "$@"
