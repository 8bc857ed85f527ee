"""Petitions (issue 12): the domain core (models, signing, counting, sampling statistics,
anonymisation) and the municipality's settings; the pages arrive with the feature's views."""
