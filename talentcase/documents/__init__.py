"""Case documents: the checklist of what a case needs and checks on uploaded files."""
