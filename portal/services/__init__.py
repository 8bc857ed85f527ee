"""Infrastructure shared across features (sanitising, mail, SMS, storage, audit, ...)."""
