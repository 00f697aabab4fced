"""Words every domain may use: catalogues of the things Athlos speaks about, without tables or I/O.

A domain may import the vocabulary; the vocabulary imports no domain, so two domains that share a word
(the sports a person does, the sports an activity is) do not have to import each other.
"""
