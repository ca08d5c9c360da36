"""Submission packs: the PDF the company hands to ITC and ImmD, made by RQ workers."""
