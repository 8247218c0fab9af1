"""Table downloads (CSV and Excel) shared by every app: the bottom floor, importing no app."""
