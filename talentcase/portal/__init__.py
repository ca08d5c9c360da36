"""The expert's private link: follow one case, see what is needed, upload it. No account."""
