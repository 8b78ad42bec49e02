"""Partner data docking: venues' slots, prices and visitor counts, weather; the live-data view."""
