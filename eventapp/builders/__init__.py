"""Pure builders: plain data in, bytes out. No Flask, no database (STYLE.md C12)."""
