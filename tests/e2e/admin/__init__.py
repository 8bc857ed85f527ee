"""Browser tests of sign-in with two factors and the municipality admin."""
