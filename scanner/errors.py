"""The root of every error a user can cause and mend: the command line prints it and exits 2."""


class VeilError(ValueError):
    """Something asked of Veil cannot be done (a bad rule, configuration, baseline, repository …).

    Each domain has its own subclass (``RuleError``, ``ConfigError``, ``BaselineError``, ``GitError`` …);
    the message names the file or thing at fault and never holds a secret.
    """
