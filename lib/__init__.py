"""Rules every app shares, on the bottom floor: a module per topic, importing no app."""
