"""The built-in plugins: one package per category (``language``, ``goal``, ``consent``).

Each registers its rules (and term packs) through the same hooks as a third-party
plugin; the engine imports none of them directly.
"""
