"""The service directory's plain logic (no Django): normalising and matching free text, opening hours."""
