"""Readers and writers: exports and graph files become records and graphs."""
