"""The web chat widget as the platform serves it: the built bundle, a demo page, staff replies."""
