"""Repair scraped news text with named, explainable repairs."""
