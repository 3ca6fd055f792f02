"""A test plugin implementing every hook; loaded by module path in the core test suite."""
