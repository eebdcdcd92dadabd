"""Sources turn a world (files, git, images, traces) into bytes with an origin for the engine.

Importing them registers the engine's decoders (decoders.py: Kubernetes Secrets), which every scan uses.
"""

from .. import decoders  # noqa: F401 - registers the decoders
