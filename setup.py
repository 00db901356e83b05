"""The compiled capacity kernels: Cython extensions, built by `pip install -e .` (`make setup`).
Everything else about the package is in pyproject.toml."""

from Cython.Build import cythonize
from setuptools import Extension, setup

KERNELS = "src/placeplan/capacity/domain/kernels/compiled"
# -ffp-contract=off: no fused multiply-adds, so every float operation rounds as the numpy code
# it mirrors does (the kernels give the numpy kernels' numbers bit for bit)
FLAGS = ["-O3", "-ffp-contract=off"]

setup(
    ext_modules=cythonize(
        [
            Extension(
                f"placeplan.capacity.domain.kernels.compiled.{name}",
                [f"{KERNELS}/{name}.pyx"],
                extra_compile_args=FLAGS,
            )
            for name in ("loop", "single", "accumulate", "intervals", "interp")
        ],
        include_path=["src"],
        language_level=3,
    ),
)
