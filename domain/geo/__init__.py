"""Offline geography without Django: districts, point lookup, distances, SVG maps, addresses."""
