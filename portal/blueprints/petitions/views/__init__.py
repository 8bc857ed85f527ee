"""Public pages of petitions: ``public`` (the list, a petition, its count), ``signing`` (the
form and the confirmation page), ``parts`` (the home page's part and the sitemap)."""
