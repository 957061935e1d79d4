"""Loading the plugin (every `leasebench` command does) imports neither torch nor
transformers: they load with the first training or extraction."""

from __future__ import annotations

import subprocess
import sys


def test_loading_the_plugin_imports_no_torch():
    code = ("import sys; from leasebench.plugin_manager import get_plugin_manager; "
            "get_plugin_manager(); "
            "print(sorted(m for m in ('torch', 'transformers', 'peft') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120, check=True)
    assert out.stdout.strip() == "[]", out.stderr
