# Kept equal to the CMake project version and CLINIT_VERSION_STRING (tests/install/test_version.c checks).
__version__ = "0.2.0"
# CLINIT_GENERATION_VERSION of include/clinit.h: the generation contract of docs/ALGORITHMS.md.
GENERATION_VERSION = 2
