"""Case messages: one conversation per case between the company (HR), the park (officers) and the expert."""
