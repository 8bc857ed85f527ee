"""Georgian language helpers shared by the search of the archive and of the documents register:
a stemmer for nouns and adjectives (``stem``) and Latin typing read as Georgian (``latin``)."""
