"""Fields of a document: its type, the values printed on it, and how far each can be trusted."""
