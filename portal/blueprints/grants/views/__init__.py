"""The public pages of small grants (``public``) and the applicant's pages (``applying``)."""
