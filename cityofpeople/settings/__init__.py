"""Settings live here, one module per environment: base, dev, test, prod."""
