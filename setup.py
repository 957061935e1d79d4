"""The compiled CRF tagger: optional, so an install without a C compiler still works.

Without it, the ``crf`` extractor tags through python-crfsuite (same output, slower).
"""

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext


class BuildExt(build_ext):
    """Keeps floating point in source order (no fused multiply-add) where gcc/clang build."""

    def build_extensions(self) -> None:
        if self.compiler.compiler_type == "unix":
            for ext in self.extensions:
                ext.extra_compile_args = ["-ffp-contract=off", "-fno-fast-math"]
        super().build_extensions()


setup(
    ext_modules=[
        Extension("leasebench.crf._tagger", ["src/leasebench/crf/_tagger.c"], optional=True)
    ],
    cmdclass={"build_ext": BuildExt},
)
