"""Shramik Sahayak backend: data, business rules and the HTTP API."""
