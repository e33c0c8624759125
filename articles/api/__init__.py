"""The public REST API, version 1: the desk's curated record, its provenance, and reader comments.

It lives in `articles` because provenance (which articles report a meeting or a measure) is
built from coverage links, and `negotiations` never imports `articles`.
"""
