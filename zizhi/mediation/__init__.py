"""Mediation of residents' disputes by the legal service association: cases, conflict-checked mediators, sessions, outcomes, follow-ups."""
