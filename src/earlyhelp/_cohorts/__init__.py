"""Cohort analyses: early help before statutory services, audit samples, escalation, flows."""
