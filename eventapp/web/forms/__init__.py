"""Flask-WTF forms, one module per blueprint. Forms check shape; services check rules."""
