"""Training: fitness (VDOT) and race predictions, and the training load (fitness, fatigue, form)."""
