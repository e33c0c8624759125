"""Serializers of the v1 API: shared shapes, the record, articles and comments."""
