"""Panel outcomes, recommendations, rapporteurs, follow-up and the briefing report."""
