"""Commands of the annotation stage: serve, push, status, annotators."""
