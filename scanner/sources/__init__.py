"""Sources turn a world (files, git, images, traces) into bytes with an origin for the engine."""
