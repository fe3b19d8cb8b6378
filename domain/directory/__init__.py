"""The service directory's pure logic: text normalising, opening hours, working days (no Django)."""
