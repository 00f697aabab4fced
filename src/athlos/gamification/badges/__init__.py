"""Badges as data: definitions in ``definitions.json``, each a rule kind from a registry and its
parameters, evaluated over a person's activities; awarded once, re-evaluated over history on demand."""
